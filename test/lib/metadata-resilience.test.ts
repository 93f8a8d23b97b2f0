// Provider behaviour that decides whether gaps are right: cached answers still count once a
// service fails mid-run, Hardcover's split and duplicate entries, Audible's regional hosts.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findGaps } from '../../lib/gaps/find';
import { AUDIBLE_HOSTS, AudibleProvider } from '../../lib/metadata/audible';
import { MetadataCache } from '../../lib/metadata/cache';
import { GoodreadsProvider } from '../../lib/metadata/goodreads';
import { HardcoverProvider } from '../../lib/metadata/hardcover';
import type { MetadataProvider } from '../../lib/metadata/provider';
import type { Book } from '../../lib/types';
import { MetadataSim, simulatedLibrary, type SimSeries } from '../sim/metadata-sim';

const fast = { minIntervalMs: 0, backoffMs: 5, retries: 0 };
const tmp = () => mkdtempSync(join(tmpdir(), 'abg-meta-res-'));

describe('lib/metadata after a failure mid-run', () => {
  const lib = simulatedLibrary(3, 6); // series 0, 1, 2; each owns 1, 2, 4, 6
  const others = lib.books.filter((b) => !b.series[0].name.endsWith(' 0'));
  let sim: MetadataSim;
  const open: MetadataProvider[] = [];
  beforeEach(async () => { sim = new MetadataSim(lib.series); await sim.start(); });
  afterEach(async () => { await Promise.all(open.splice(0).map((p) => p.close())); await sim.close(); });

  for (const name of ['hardcover', 'goodreads'] as const) {
    it(`${name}: once the service fails, series answered from the cache still count`, async () => {
      const cache = await MetadataCache.open(tmp(), 3600_000);
      const provider = name === 'hardcover'
        ? new HardcoverProvider({ token: sim.hardcoverToken, url: `${sim.url}/graphql`, cache, ...fast })
        : new GoodreadsProvider({ baseUrl: sim.url, cache, ...fast });
      open.push(provider);
      await findGaps(others, [provider]); // caches series 1 and 2
      sim.fail(name, 503, 100);
      const r = await findGaps(lib.books, [provider]); // series 0 comes first and fails
      assert.deepEqual(r.series.map((s) => s.unavailable.length), [1, 0, 0]);
      assert.deepEqual(r.series.map((s) => s.total), [null, 6, 6]);
      assert.equal(r.warnings.length, 1);
      assert.match(r.warnings[0], new RegExp(`^${name} unavailable for 1 series`));
    });
  }
});

describe('lib/metadata/hardcover entries sharing a position', () => {
  const author = 'James S. A. Corey';
  const series: SimSeries = { asin: 'SEXP', id: 77, title: 'The Expanse', author, books: [
    { asin: 'B1', title: 'Leviathan Wakes', authors: [author], sequence: '1' },
    { asin: 'B2', title: "Caliban's War", authors: [author], sequence: '2' },
    { asin: 'B3P', title: "Abaddon's Gate, Part 1 of 2", authors: [author], sequence: '3', partial: true, usersCount: 900 },
    { asin: 'B3', title: "Abaddon's Gate", authors: [author], sequence: '3', usersCount: 500 },
    { asin: 'B4G', title: 'Cibola Burn: The Graphic Novel', authors: [author], sequence: '4', usersCount: 3 },
    { asin: 'B4', title: 'Cibola Burn', authors: [author], sequence: '4', usersCount: 800 },
  ] };
  const owned: Book[] = ['1', '2'].map((s) => ({ id: s, libraryId: 'l', title: series.books[Number(s) - 1].title, authors: [author], narrators: [], series: [{ name: 'The Expanse', sequence: s }], path: `/${s}`, addedAt: 0 }));

  it('leaves partial books out and takes the most read book at a position', async () => {
    const sim = new MetadataSim([series]);
    await sim.start();
    const hc = new HardcoverProvider({ token: sim.hardcoverToken, url: `${sim.url}/graphql`, ...fast });
    try {
      const r = await findGaps(owned, [hc]);
      assert.deepEqual(r.gaps.map((g) => [g.sequence, g.title]), [['3', "Abaddon's Gate"], ['4', 'Cibola Burn']]);
    } finally {
      await hc.close();
      await sim.close();
    }
  });
});

describe('lib/metadata/audible regions', () => {
  it('uses the documented host of each marketplace, and the editor offers exactly those regions', () => {
    assert.deepEqual(AUDIBLE_HOSTS, {
      us: 'api.audible.com', ca: 'api.audible.ca', uk: 'api.audible.co.uk', au: 'api.audible.com.au', fr: 'api.audible.fr', de: 'api.audible.de',
      jp: 'api.audible.co.jp', it: 'api.audible.it', in: 'api.audible.in', es: 'api.audible.es', br: 'api.audible.com.br',
    });
    const html = readFileSync(join(__dirname, '..', '..', 'nodes', 'series-gaps', 'series-gaps.html'), 'utf8');
    const offered = [...html.matchAll(/<option value="([a-z]{2})">/g)].map((m) => m[1]).sort();
    assert.deepEqual(offered, Object.keys(AUDIBLE_HOSTS).sort());
    assert.throws(() => new AudibleProvider({ region: 'gb' }), /Audible: unknown region "gb" \(use one of us, ca, uk/);
  });
});
