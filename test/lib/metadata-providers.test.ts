import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findGaps, persistGaps } from '../../lib/gaps/find';
import { AudibleProvider } from '../../lib/metadata/audible';
import { MetadataCache } from '../../lib/metadata/cache';
import { GoodreadsProvider } from '../../lib/metadata/goodreads';
import { HardcoverProvider } from '../../lib/metadata/hardcover';
import type { MetadataProvider } from '../../lib/metadata/provider';
import { WantedStore } from '../../lib/store/wanted';
import { MetadataSim, simulatedLibrary } from '../sim/metadata-sim';

const fast = { minIntervalMs: 0, backoffMs: 5, retries: 1 };
const tmp = () => mkdtempSync(join(tmpdir(), 'abg-meta-'));

describe('lib/metadata providers against the simulator', () => {
  const lib = simulatedLibrary(8, 6); // owns 1, 2, 4, 6 of each: 3 and 5 are holes
  let sim: MetadataSim;
  const open: MetadataProvider[] = [];
  beforeEach(async () => { sim = new MetadataSim(lib.series); await sim.start(); });
  afterEach(async () => { await Promise.all(open.splice(0).map((p) => p.close())); await sim.close(); });
  const track = <P extends MetadataProvider>(p: P): P => { open.push(p); return p; };

  it('audible: cold cache one request per series plus shared 50-ASIN batches, warm cache 0, same gaps', async () => {
    const bigger = simulatedLibrary(8, 9); // owns 1,2,4,6,8: holes 3,5,7 and 9 after the last
    const s2 = new MetadataSim(bigger.series);
    await s2.start();
    try {
      const cache = await MetadataCache.open(tmp(), 3600_000);
      const audible = track(new AudibleProvider({ baseUrl: s2.url, cache, ...fast }));
      const cold = await findGaps(bigger.books, [audible]);
      // 1 batch of owned ASINs → series, 8 series member lists, 1 batch of missing-book details.
      assert.equal(cold.requests.audible, 1 + 8 + 1);
      assert.equal(cold.gaps.length, 8 * 4);
      const ninth = cold.gaps.find((g) => g.sequence === '9' && g.series === 'Saga Number 3');
      assert.equal(ninth?.asin, 'B000003009');
      assert.equal(ninth?.title, 'Tale 3 part 9');
      assert.equal(ninth?.source, 'audible');
      assert.equal(cold.series[0].total, 9);
      const warm = await findGaps(bigger.books, [audible]);
      assert.equal(warm.requests.audible, 0);
      assert.equal(s2.hits.audible, cold.requests.audible);
      assert.deepEqual(warm.gaps, cold.gaps);
    } finally {
      await s2.close();
    }
  });

  it('hardcover: one request per series, token sent as Bearer, warm cache 0', async () => {
    const cache = await MetadataCache.open(tmp(), 3600_000);
    const hc = track(new HardcoverProvider({ token: sim.hardcoverToken, url: `${sim.url}/graphql`, cache, ...fast }));
    const cold = await findGaps(lib.books, [hc]);
    assert.equal(cold.requests.hardcover, 8);
    assert.deepEqual(cold.series.map((s) => s.total), new Array(8).fill(6));
    assert.equal(cold.gaps.filter((g) => g.source === 'library').length, 16);
    assert.match(cold.gaps[0].reasons?.join(' ') ?? '', /hardcover: #3 "Tale 0 part 3"/);
    assert.equal((await findGaps(lib.books, [hc])).requests.hardcover, 0);
  });

  it('hardcover: a refused token fails once, names Hardcover, never leaks the token', async () => {
    const hc = track(new HardcoverProvider({ token: 'hc_pat_wrong_token', url: `${sim.url}/graphql`, ...fast }));
    const r = await findGaps(lib.books, [hc]);
    assert.equal(sim.hits.hardcover, 1, 'the breaker stops after the first failure');
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /^hardcover unavailable for 8 series: Hardcover: HTTP 401/);
    assert.doesNotMatch(JSON.stringify(r), /hc_pat_wrong_token/);
    assert.equal(r.gaps.length, 16, 'library-only gaps still come out');
    assert.ok(r.series.every((s) => s.unavailable.includes('hardcover')));
  });

  it('goodreads: search → book page → series page, then cached', async () => {
    const cache = await MetadataCache.open(tmp(), 3600_000);
    const gr = track(new GoodreadsProvider({ baseUrl: sim.url, cache, ...fast }));
    const cold = await findGaps(lib.books.slice(0, 4), [gr]);
    assert.equal(cold.requests.goodreads, 3);
    assert.deepEqual(cold.series[0].missing, ['3', '5']);
    assert.equal(cold.series[0].total, 6);
    assert.equal((await findGaps(lib.books.slice(0, 4), [gr])).requests.goodreads, 0);
  });

  it('429 with Retry-After: waits the stated time and then succeeds', async () => {
    sim.fail('audible', 429, 1, '1');
    const audible = track(new AudibleProvider({ baseUrl: sim.url, ...fast }));
    const started = Date.now();
    const r = await findGaps(lib.books.slice(0, 4), [audible]);
    assert.ok(Date.now() - started >= 900, 'slept through Retry-After: 1');
    assert.equal(r.warnings.length, 0);
    assert.equal(r.series[0].sources.includes('audible'), true);
  });

  it('429 beyond the retries: library gaps still out, series marked, one warning naming Audible', async () => {
    sim.fail('audible', 429, 10, '0');
    const audible = track(new AudibleProvider({ baseUrl: sim.url, ...fast }));
    const r = await findGaps(lib.books, [audible]);
    assert.equal(r.gaps.length, 16);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /audible unavailable for 8 series: Audible: HTTP 429 .*rate limited/);
  });

  it('changed JSON / HTML → a clear error naming the provider and the field or page', async () => {
    sim.changed = { audible: true, goodreads: true, hardcover: true };
    const providers = [
      track(new AudibleProvider({ baseUrl: sim.url, ...fast })),
      track(new HardcoverProvider({ token: sim.hardcoverToken, url: `${sim.url}/graphql`, ...fast })),
      track(new GoodreadsProvider({ baseUrl: sim.url, ...fast })),
    ];
    const r = await findGaps(lib.books.slice(0, 4), providers);
    assert.equal(r.warnings.length, 3);
    assert.match(r.warnings[0], /Audible: unexpected answer to the details of 1 products: field "products"/);
    assert.match(r.warnings[1], /Hardcover: unexpected answer to series "Saga Number 0": field "data.series"/);
    assert.match(r.warnings[2], /Goodreads: the series page layout changed .*\/series\/1000/);
    assert.deepEqual(r.gaps.map((g) => g.sequence), ['3', '5']);
  });
});

describe('lib/gaps persistGaps', () => {
  const lib = simulatedLibrary(2, 6);
  it('resolves vanished gaps (not deleted), keeps ignore marks, carries gaps of a failed provider', async () => {
    const sim = new MetadataSim(lib.series);
    await sim.start();
    const store = await WantedStore.open(tmp());
    const audible = new AudibleProvider({ baseUrl: sim.url, ...fast });
    try {
      const first = await findGaps(lib.books, [audible]);
      assert.equal((await persistGaps(store, first)).added, 4);
      const key = 'series:saga number 0|author a0 writer#5';
      await store.setIgnored(key, true);
      // Book 3 of series 0 was added; Audible is down this time.
      const added = { ...lib.books[0], id: 'new', title: 'Tale 0 part 3', asin: 'B000000003', series: [{ name: 'Saga Number 0', sequence: '3' }] };
      sim.fail('audible', 503, 10);
      const second = await findGaps([...lib.books, added], [audible]);
      const saved = await persistGaps(store, second);
      assert.equal(saved.resolved, 1);
      const three = await store.get('series:saga number 0|author a0 writer#3');
      assert.equal(three?.state, 'resolved');
      assert.equal((await store.list()).length, 4, 'nothing deleted');
      assert.equal((await store.get(key))?.ignored, true);
      assert.equal((await store.get(key))?.state, 'wanted');
    } finally {
      await audible.close();
      await sim.close();
    }
  });
});
