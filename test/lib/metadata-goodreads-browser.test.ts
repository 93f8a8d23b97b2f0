// The Goodreads browser transport, for real: puppeteer-extra + stealth driving the system
// Chromium (Debian's `chromium`, installed by .ci/run) against the simulator, which refuses
// plain HTTP clients the way Goodreads refuses bots.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { findGaps } from '../../lib/gaps/find';
import { GoodreadsProvider } from '../../lib/metadata/goodreads';
import { MetadataSim, simulatedLibrary } from '../sim/metadata-sim';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('lib/metadata Goodreads through the system Chromium', function () {
  this.timeout(60000);
  const lib = simulatedLibrary(2, 6);
  let sim: MetadataSim;
  let gr: GoodreadsProvider | undefined;
  before(() => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (or set CHROMIUM_PATH)`);
  });
  beforeEach(async () => { sim = new MetadataSim(lib.series); sim.goodreadsBrowsersOnly = true; await sim.start(); });
  afterEach(async () => { await gr?.close(); await sim.close(); });

  it('without a Chromium path a refused request is an error naming Goodreads and the way out', async () => {
    gr = new GoodreadsProvider({ baseUrl: sim.url, minIntervalMs: 0, retries: 0 });
    const r = await findGaps(lib.books.slice(0, 4), [gr]);
    assert.match(r.warnings[0] ?? '', /Goodreads: HTTP 403 .*set a Chromium path to use the browser transport/);
  });

  it('with a Chromium path the refused pages are read through the browser and give the same gaps', async () => {
    gr = new GoodreadsProvider({ baseUrl: sim.url, minIntervalMs: 0, retries: 0, chromiumPath: CHROMIUM });
    const r = await findGaps(lib.books.slice(0, 4), [gr]);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.series[0].missing, ['3', '5']);
    assert.equal(r.series[0].total, 6);
    assert.ok(sim.goodreadsAgents.some((a) => /Chrome\/\d+/.test(a) && !/Headless/.test(a)), 'the stealth plugin hides "HeadlessChrome"');
  });
});
