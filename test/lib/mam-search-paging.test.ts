// mam-search reads what it needs and no more: a long series' answer is paged until the gap is
// settled, a warm re-run asks MAM nothing, and a cached answer never speaks for a book it was
// not asked for (a new hole, a Retry), nor stands in for the search a back-off step needs.
import assert from 'node:assert/strict';
import { MamClient } from '../../lib/mam/client';
import { runSearch, type SearchRunOptions } from '../../lib/mam/search-run';
import { collection, forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Gap } from '../../lib/types';
import { tempStoreDir } from '../helpers/node-red';
import { mamRow, startMamSim, type MamSim } from '../sim/mam-sim';

/** A library-only gap: no title, so the series is all there is to search for. */
const hole = (seq: string): Gap => ({ key: `series:discworld|pratchett#${seq}`, kind: 'series', status: 'wanted', authors: ['Terry Pratchett'], series: 'Discworld', sequence: seq, source: 'library', reason: 'hole' });
const DAY = 86400_000;

describe('lib/mam runSearch: paging and an honest cache', () => {
  let sim: MamSim;
  let client: MamClient;
  let dir: string;
  let wanted: WantedStore;
  let clock: number;
  const opts: Partial<SearchRunOptions> = { cacheTtlMs: 6 * 3600_000 };

  beforeEach(async () => {
    forgetStores();
    dir = tempStoreDir('abg-mam-paging-');
    wanted = await WantedStore.open(dir);
    clock = Date.parse('2030-03-01T00:00:00Z');
    sim = await startMamSim();
    // 110 Discworld uploads in MAM's default order (newest first): row k is Discworld #k,
    // except that #15 is row 106, on page 2 of 100.
    for (let k = 1; k <= 110; k++) {
      const pos = k === 106 ? '15' : k === 15 ? '106' : String(k);
      sim.addRow(mamRow({ id: 5111 - k, title: 'A Discworld Novel', authors: ['Terry Pratchett'], series: [['Discworld', pos]] }));
    }
    client = new MamClient({ baseUrl: sim.url, mamId: 'sim-mam-cookie-0', minIntervalMs: 0 });
  });
  afterEach(async () => {
    await client.close();
    await sim.close();
  });

  const at = () => new Date(clock);
  async function run(gaps: Gap[], o: Partial<SearchRunOptions> = opts) {
    return runSearch(gaps, { api: client, wanted, cache: await collection(dir, 'cache'), now: at }, o);
  }
  const starts = () => sim.searches().map((r) => (r.body as { tor: { startNumber: string } }).tor.startNumber);

  it('finds the right torrent on page 2 of a 110-row answer, and pages only where page 1 did not settle the gap', async () => {
    await wanted.syncGaps([hole('3'), hole('15')], at());
    const res = await run([hole('3'), hole('15')]);
    assert.deepEqual(res.candidates.map((c) => [c.gap.sequence, c.torrent.id]), [['3', 5108], ['15', 5005]]);
    // #3: "discworld 3 pratchett" finds nothing (no title says 3), the series' page 1 settles it.
    // #15: page 1 of the series is served from the cache (fresh: asked this run), page 2 is new.
    assert.deepEqual(starts(), ['0', '0', '0', '100']);
    assert.equal(res.stats.pages, 1, 'one extra page, for the one gap page 1 did not settle');
    assert.equal(res.stats.searches, 4);
    assert.equal((await wanted.get(hole('15').key))?.state, 'found');

    const warm = await run([hole('3'), hole('15')]);
    assert.equal(warm.stats.searches, 0, 'a warm re-run asks MAM nothing');
    assert.deepEqual(warm.candidates.map((c) => c.torrent.id), [5108, 5005]);
  });

  it('stops paging at the per-run page cap and says so in the reason', async () => {
    await wanted.syncGaps([hole('15')], at());
    const res = await run([hole('15')], { ...opts, maxPages: 0 });
    assert.equal(res.candidates.length, 0);
    assert.deepEqual(starts(), ['0', '0']);
    assert.match(res.notFound[0].reason, /stopped early: read 100 of 110 results for "Discworld Pratchett" \(per-run cap of 0 extra pages\)/);
  });

  it('a hole that appears after the series was searched is searched, not answered from the cache', async () => {
    await wanted.syncGaps([hole('3')], at());
    await run([hole('3')]);
    const before = sim.searches().length;
    clock += 3600_000; // within the cache TTL
    sim.addRow(mamRow({ id: 7777, title: 'A Discworld Novel', authors: ['Terry Pratchett'], series: [['Discworld', '150']] }));
    await wanted.syncGaps([hole('3'), hole('150')], at());
    const res = await run([hole('3'), hole('150')]);
assert.ok(sim.searches().length > before, 'MAM asked again for the new hole');
    assert.deepEqual(res.candidates.map((c) => [c.gap.sequence, c.torrent.id]), [['3', 5108], ['150', 7777]]);
    assert.equal(res.notFound.length, 0);
  });

  it('Retry after a cached not-found searches MAM again, and finds what was uploaded since', async () => {
    await wanted.syncGaps([hole('151')], at());
    const miss = await run([hole('151')]);
    assert.equal(miss.candidates.length, 0);
    assert.equal((await wanted.get(hole('151').key))?.state, 'not_found');
    clock += 3600_000; // the cached answer is still within its TTL
    sim.addRow(mamRow({ id: 4242, title: 'Discworld upload 42', authors: ['Terry Pratchett'], series: [['Discworld', '151']] }));
    assert.equal(await wanted.retry(hole('151').key, at()), true);
    const before = sim.searches().length;
    const res = await run([hole('151')]);
    assert.ok(sim.searches().length > before, 'Retry always asks MAM');
    assert.deepEqual(res.candidates.map((c) => c.torrent.id), [4242]);
  });

  it('a back-off step rests on a real request: a cached answer older than the last miss is not reused', async () => {
    await wanted.syncGaps([hole('151')], at());
    const long = { ...opts, cacheTtlMs: 30 * DAY, retryDays: [1, 3] };
    await run([hole('151')], long);
    const first = sim.searches().length;
    clock += 2 * DAY; // past the 1-day back-off, well within the 30-day cache
    const again = await run([hole('151')], long);
    assert.ok(sim.searches().length > first, 'searched again for real');
    const rec = await wanted.get(hole('151').key);
    assert.deepEqual([rec?.search?.attempts, again.stats.searches > 0], [2, true]);
  });

  it('a failed download is not searched (nor turned back to found) until the user retries it', async () => {
    await wanted.syncGaps([hole('15')], at());
    await wanted.setState(hole('15').key, 'failed', {}, 'removed from qBittorrent', at());
    const res = await run([hole('15')]);
    assert.deepEqual([res.stats.skipped, sim.searches().length, res.candidates.length], [1, 0, 0]);
    assert.equal((await wanted.get(hole('15').key))?.state, 'failed');
    await wanted.retry(hole('15').key, at());
    const retried = await run([hole('15')]);
    assert.deepEqual(retried.candidates.map((c) => c.torrent.id), [5005]);
    assert.ok((await wanted.get(hole('15').key))?.retryRequestedAt, 'the Retry is on record');
  });
});
