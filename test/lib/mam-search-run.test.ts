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
    // Caliban's War: found by the first shape; the two misses try up to three shapes each.
    assert.equal(first.stats.searches, searches);
    assert.ok(searches <= 1 + 3 + 3, `searches ${searches}`);
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

  it('spends a wedge on a big paid torrent under "only freeleech", never more than the per-run cap', async () => {
    const both = [GAPS[0], gap('5', 'Nemesis Games')];
    sim.addRow(mamRow({ id: 50, title: 'Nemesis Games', authors: ['James S. A. Corey'], series: [['The Expanse', '5']], size: '1.5 GiB' }));
    const res = await run(both, { ...opts, rank: { freeleechPolicy: 'only' }, wedges: { enabled: true, minBytes: 100 * 1024 * 1024, perRun: 1 } });
    assert.deepEqual(sim.wedgesSpent, [2]);
    assert.equal(res.stats.wedges, 1);
    assert.ok(res.candidates[0].reasons.includes('freeleech wedge spent'));
    assert.equal(res.candidates[0].torrent.personalFreeleech, true);
    assert.match(res.notFound[0].reason, /only freeleech/);
  });

  it('never spends a wedge on a free torrent', async () => {
    sim.addRow(mamRow({ id: 2, title: "Caliban's War", authors: ['James S. A. Corey'], series: [['The Expanse', '2']], free: true, size: '1.5 GiB' }));
    const res = await run([GAPS[0]], { ...opts, wedges: { enabled: true, minBytes: 1, perRun: 5 } });
    assert.equal(res.candidates[0].torrent.id, 2);
    assert.deepEqual(sim.wedgesSpent, []);
  });
});
