import assert from 'node:assert/strict';
import { MamClient } from '../../lib/mam/client';
import { runSearch, type SearchRunOptions } from '../../lib/mam/search-run';
import { collection, forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Gap } from '../../lib/types';
import { tempStoreDir } from '../helpers/node-red';
import { mamRow, startMamSim, type MamSim } from '../sim/mam-sim';

function gap(seq: string, title: string, extra: Partial<Gap> = {}): Gap {
  return { key: `series:expanse|corey#${seq}`, kind: 'series', status: 'wanted', title, authors: ['James S. A. Corey'], series: 'The Expanse', sequence: seq, source: 'library', reason: 'hole', ...extra };
}

const GAPS = [gap('2', "Caliban's War"), gap('4', 'Cibola Burn'), gap('9', 'Leviathan Falls')];

describe('lib/mam runSearch', () => {
  let sim: MamSim;
  let client: MamClient;
  let dir: string;
  let wanted: WantedStore;
  const opts: Partial<SearchRunOptions> = { cacheTtlMs: 3600_000 };

  beforeEach(async () => {
    forgetStores();
    dir = tempStoreDir('abg-mam-run-');
    wanted = await WantedStore.open(dir);
    await wanted.syncGaps(GAPS);
    sim = await startMamSim({ rotate: true });
    sim.addRow(mamRow({ id: 2, title: "Caliban's War", authors: ['James S. A. Corey'], series: [['The Expanse', '2']] }));
    sim.addRow(mamRow({ id: 3, title: "Caliban's War", authors: ['James S. A. Corey'], series: [['The Expanse', '2']], filetype: 'mp3', seeders: 50 }));
    sim.addRow(mamRow({ id: 40, title: 'Cibola Burn', authors: ['James S. A. Corey'], series: [['The Expanse', '3']] }));
    sim.addRow({ ...mamRow({ id: 90, title: 'Leviathan Falls', authors: ['James S. A. Corey'], series: [['The Expanse', '9']], langCode: 'GER' }), language: 1 }); // MAM's language filter is reported to leak
    client = new MamClient({ baseUrl: sim.url, mamId: 'sim-mam-cookie-0', minIntervalMs: 1 });
  });
  afterEach(async () => {
    await client.close();
    await sim.close();
  });

  async function run(gaps = GAPS, o: Partial<SearchRunOptions> = opts) {
    return runSearch(gaps, { api: client, wanted, cache: await collection(dir, 'cache') }, o);
  }

  it('a row MAM sent that cannot be read is named in the not-found reason, not hidden', async () => {
    sim.addRow({ ...mamRow({ id: 60, title: 'Babylon\'s Ashes', authors: ['James S. A. Corey'], series: [['The Expanse', '6']] }), author_info: '{"12": "James S. A. Co' });
    await wanted.syncGaps([...GAPS, gap('6', "Babylon's Ashes")]);
    const res = await run([gap('6', "Babylon's Ashes")]);
    assert.deepEqual(res.candidates, []);
    assert.match(res.notFound[0].reason, /1 row\(s\) unreadable \(e\.g\. "Babylon's Ashes": .*author_info/);
    assert.match((await wanted.get(gap('6', '').key))?.search?.reason ?? 'not recorded', /unreadable/);
  });

  it('never offers a torrent refused for the book (lib/heal): the next accepted one comes first', async () => {
    await wanted.refuse(GAPS[0].key, { torrentId: 2, reason: 'stalled', at: new Date().toISOString() });
    const res = await run([GAPS[0]]);
    assert.deepEqual(res.candidates.map((c) => c.torrent.id), [3]);
  });

  it('finds the right book, reports the rest with reasons, and records the retry schedule', async () => {
    const res = await run();
    assert.deepEqual(res.candidates.map((c) => [c.gap.sequence, c.torrent.id]), [['2', 2], ['2', 3]]);
    assert.ok(res.candidates[0].reasons.some((r) => /format m4b/.test(r)));
    assert.equal('mySnatched' in res.candidates[0].torrent, false);
    const nf = new Map(res.notFound.map((n) => [n.gap.sequence, n]));
    assert.match(nf.get('4')!.reason, /series position 3 is not 4/);
    assert.match(nf.get('9')!.reason, /language GER/);
    const rec = await wanted.get(GAPS[1].key);
    assert.equal(rec?.state, 'not_found');
    assert.equal(rec?.search?.attempts, 1);
    const days = (Date.parse(rec!.search!.retryAfter!) - Date.now()) / 86400_000;
    assert.ok(days > 0.99 && days <= 1, `first retry after 1 day, got ${days}`);
    assert.equal((await wanted.get(GAPS[0].key))?.state, 'found');
    assert.equal(res.stats.account, 'simreader, ratio 3.20, 12 of 100 unsatisfied (margin 5)');
  });

  it('one MAM search per new gap at most a few shapes; none on a re-run inside the back-off and cache', async () => {
    const first = await run();
    const searches = sim.searches().length;
    // Caliban's War: found by the first shape; the two misses try up to four shapes each.
    assert.equal(first.stats.searches, searches);
    assert.ok(searches <= 1 + 4 + 4, `searches ${searches}`);
    assert.equal(sim.searches().filter((r) => JSON.stringify(r.body).includes('Calibans')).length, 1);
    const before = sim.requests.length;
    const again = await run();
    assert.equal(sim.requests.length - before, 1, 'only the account check: found gap served by the cache, misses in back-off');
    assert.equal(again.stats.searches, 0);
    assert.equal(again.stats.cacheHits, 1);
    assert.deepEqual(again.candidates.map((c) => c.torrent.id), [2, 3]);
    assert.match(again.notFound.find((n) => n.gap.sequence === '4')!.reason, /^not searched: .*next search after/);
  });

  it('stops the whole run with one error when the session expires', async () => {
    sim.setFault({ type: 'login-page' });
    await assert.rejects(run(), (e: Error) => /MAM session expired: create a new session and paste its mam_id/.test(e.message));
    assert.equal(sim.requests.length, 1);
  });

  it('respects the per-run cap and skips ignored and queued books', async () => {
    await wanted.setIgnored(GAPS[2].key, true);
    await wanted.setState(GAPS[0].key, 'queued');
    const res = await run(GAPS, { ...opts, maxSearches: 1 });
    assert.equal(res.stats.skipped, 2);
    assert.equal(sim.searches().length, 1);
    assert.match(res.notFound[0].reason, /per-run cap of 1 MAM searches/);
    assert.equal((await wanted.get(GAPS[1].key))?.search, undefined, 'a capped gap gets no back-off');
  });

  it('does not search a suspect import again: it waits for the user\'s Retry', async () => {
    await wanted.setState(GAPS[0].key, 'imported_suspect');
    const res = await run([GAPS[0]]);
    assert.deepEqual([res.stats.skipped, sim.searches().length, res.candidates.length], [1, 0, 0]);
  });

  it('below the ratio floor only freeleech is accepted, and the reason says so', async () => {
    sim.user.ratio = 1.02;
    const res = await run([GAPS[0]], { ...opts, ratioFloor: 1.1 });
    assert.equal(res.candidates.length, 0);
    assert.match(res.notFound[0].reason, /ratio 1.02 below your floor 1.10: only freeleech results are accepted/);
  });

  it('stops grabbing at the unsatisfied limit', async () => {
    sim.user.unsat.count = 95;
    const res = await run([GAPS[0]]);
    assert.equal(sim.searches().length, 0);
    assert.match(res.notFound[0].reason, /95 of 100 unsatisfied/);
  });

  it('keeps the not-found schedule 1, 3, 7, 14, 14 days and a re-run honours each step', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const at = () => new Date(clock);
    const cache = await collection(dir, 'cache');
    const runAt = () => runSearch([GAPS[1]], { api: client, wanted, cache, now: at }, opts);
    const steps: number[] = [];
    for (const expected of [1, 3, 7, 14, 14]) {
      const before = sim.searches().length;
      await runAt();
      assert.ok(sim.searches().length > before, 'searched once the back-off is over');
      const rec = await wanted.get(GAPS[1].key);
      steps.push(Math.round((Date.parse(rec!.search!.retryAfter!) - clock) / 86400_000));
      // One minute before the step ends: no search; one minute after: searched again.
      clock += expected * 86400_000 - 60_000;
      const held = await runAt();
      assert.equal(held.stats.searches, 0);
      assert.match(held.notFound[0].reason, /next search after/);
      clock += 120_000;
    }
    assert.deepEqual(steps, [1, 3, 7, 14, 14]);
  });

  it('keeps the back-off without a wanted record (series-gaps not persisting), in the cache store', async () => {
    const loose = { ...GAPS[1], key: 'series:expanse|corey#4-unsynced' };
    const cache = await collection(dir, 'cache');
    const first = await runSearch([loose], { api: client, cache }, opts);
    assert.ok(first.stats.searches > 0);
    assert.ok(first.notFound[0].retryAfter);
    const again = await runSearch([loose], { api: client, wanted, cache }, opts);
    assert.equal(again.stats.searches, 0);
    assert.match(again.notFound[0].reason, /^not searched: nothing acceptable .*next search after/);
  });

  it('searches a book listed twice in one payload once, and offers it once', async () => {
    const res = await run([GAPS[0], { ...GAPS[0] }]);
    assert.equal(sim.searches().length, 1);
    assert.deepEqual(res.candidates.map((c) => c.torrent.id), [2, 3]);
    assert.equal(res.stats.skipped, 1);
  });

  it('says why a gap with nothing to search for was not searched, without asking MAM', async () => {
    const bare: Gap = { key: 'author:corey#?', kind: 'author', status: 'wanted', authors: ['James S. A. Corey'], source: 'hardcover', reason: 'new book' };
    const res = await run([bare]);
    assert.equal(sim.requests.length, 0);
    assert.match(res.notFound[0].reason, /neither a title nor a series position/);
    assert.equal(res.notFound[0].retryAfter, undefined);
  });

  it('above the ratio floor, stops taking paid torrents once this run\'s paid picks would cross it', async () => {
    // ratio 1.12 with a 1.10 floor leaves room for 112e9 / 1.1 - 100e9 ≈ 1.69 GiB of paid downloads.
    Object.assign(sim.user, { ratio: 1.12, uploaded_bytes: 112e9, downloaded_bytes: 100e9 });
    sim.addRow(mamRow({ id: 2, title: "Caliban's War", authors: ['James S. A. Corey'], series: [['The Expanse', '2']], size: '1.2 GiB' }));
    sim.addRow(mamRow({ id: 3, title: "Caliban's War", authors: ['James S. A. Corey'], series: [['The Expanse', '2']], size: '1.2 GiB', filetype: 'mp3' }));
    sim.addRow(mamRow({ id: 50, title: 'Nemesis Games', authors: ['James S. A. Corey'], series: [['The Expanse', '5']], size: '1.2 GiB' }));
    const res = await run([GAPS[0], gap('5', 'Nemesis Games')], { ...opts, ratioFloor: 1.1 });
    assert.deepEqual(res.candidates.map((c) => c.torrent.id), [2, 3]);
    assert.match(res.notFound[0].reason, /downloading 1229 MiB would take your ratio 1.12 below your floor 1.10 \(room for \d+ MiB\): only freeleech results are accepted/);
  });

  it('plans a wedge on a big paid torrent under "only freeleech" and spends none; the per-run cap holds', async () => {
    const both = [GAPS[0], gap('5', 'Nemesis Games')];
    sim.addRow(mamRow({ id: 50, title: 'Nemesis Games', authors: ['James S. A. Corey'], series: [['The Expanse', '5']], size: '1.5 GiB' }));
    const res = await run(both, { ...opts, rank: { freeleechPolicy: 'only' }, wedges: { enabled: true, minBytes: 100 * 1024 * 1024, perRun: 1 } });
    assert.deepEqual(sim.wedgesSpent, [], 'a search never spends a wedge: qbit-queue does, for what it adds');
    assert.equal(sim.user.wedges, 3);
    assert.equal(sim.requests.filter((r) => r.path.startsWith('/json/bonusBuy.php')).length, 0);
    assert.equal(res.stats.wedges, 1);
    assert.deepEqual(res.candidates.map((c) => [c.torrent.id, !!c.wedge]), [[2, true]]);
    assert.match(res.candidates[0].wedge!.reason, /^freeleech wedge planned: paid torrent of 612 MiB \(wedges from 100 MiB\)/);
    assert.ok(res.candidates[0].reasons.includes(res.candidates[0].wedge!.reason));
    assert.equal(res.candidates[0].torrent.personalFreeleech, false, 'not free until the wedge is bought');
    assert.match(res.notFound[0].reason, /only freeleech/, 'the cap of 1 leaves the second book without a wedge');
    assert.match((await wanted.get(GAPS[0].key))?.history?.at(-1)?.note ?? '', /freeleech wedge planned/);
  });

  it('plans no more wedges than the account holds', async () => {
    sim.user.wedges = 0;
    const none = await run([GAPS[0]], { ...opts, rank: { freeleechPolicy: 'only' }, wedges: { enabled: true, minBytes: 1, perRun: 5 } });
    assert.deepEqual([none.candidates.length, none.stats.wedges], [0, 0]);
  });

  it('prunes expired search results and long-overdue misses from the cache store at the start of a run', async () => {
    const now = Date.parse('2030-06-01T00:00:00Z');
    const cache = await collection(dir, 'cache');
    const day = 86400_000;
    await cache.insert([
      { kind: 'mam-search', key: 'old query', at: now - 3600_000 - 1, result: { torrents: [], rejected: [], found: 0 } },
      { kind: 'mam-search', key: 'fresh query', at: now - 60_000, result: { torrents: [], rejected: [], found: 0 } },
      { kind: 'mam-miss', key: 'gone gap', lastAt: new Date(now - 80 * day).toISOString(), attempts: 4, retryAfter: new Date(now - 61 * day).toISOString() },
      { kind: 'mam-miss', key: 'waiting gap', lastAt: new Date(now - day).toISOString(), attempts: 2, retryAfter: new Date(now + 2 * day).toISOString() },
      { key: 'audible:us:book:B0123', at: now - 400 * day, value: null }, // another owner's entry
    ]);
    await runSearch([], { api: client, cache, now: () => new Date(now) }, opts);
    const left = (await cache.find({})).map((d) => d.key).sort();
    assert.deepEqual(left, ['audible:us:book:B0123', 'fresh query', 'waiting gap']);
    assert.equal(sim.requests.length, 0, 'pruning asks MAM nothing');
    // With the cache off, results are neither kept nor left behind.
    await runSearch([GAPS[0]], { api: client, cache, now: () => new Date(now) }, { ...opts, cacheTtlMs: 0 });
    assert.deepEqual((await cache.find({ kind: 'mam-search' })).map((d) => d.key), []);
  });

  it('never spends a wedge on a paid torrent below the size threshold', async () => {
    const res = await run([GAPS[0]], { ...opts, rank: { freeleechPolicy: 'only' }, wedges: { enabled: true, minBytes: 2 * 1024 ** 3, perRun: 5 } });
    assert.deepEqual(sim.wedgesSpent, []);
    assert.equal(res.candidates.length, 0);
    assert.match(res.notFound[0].reason, /only freeleech/);
  });

  it('never spends a wedge on a free torrent', async () => {
    sim.addRow(mamRow({ id: 2, title: "Caliban's War", authors: ['James S. A. Corey'], series: [['The Expanse', '2']], free: true, size: '1.5 GiB' }));
    const res = await run([GAPS[0]], { ...opts, wedges: { enabled: true, minBytes: 1, perRun: 5 } });
    assert.equal(res.candidates[0].torrent.id, 2);
    assert.deepEqual(sim.wedgesSpent, []);
  });
});
