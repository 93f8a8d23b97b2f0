// Freeleech wedges from plan to purchase: mam-search (runSearch) only plans one on a candidate;
// qbit-queue (runQueue) buys it through the MAM client right before it fetches the .torrent of
// a candidate it really adds. Against the MAM simulator, so every purchase MAM sees is counted.
import assert from 'node:assert/strict';
import { MamClient } from '../../lib/mam/client';
import { runSearch, type SearchRunOptions } from '../../lib/mam/search-run';
import { DownloadStore } from '../../lib/queue/downloads';
import { partialReport, runQueue, type QueueDeps, type QueueSettings } from '../../lib/queue/queue';
import { ServiceError } from '../../lib/errors';
import { collection, forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Candidate, Gap } from '../../lib/types';
import { tempStoreDir } from '../helpers/node-red';
import { FakeQbit, candidate, fakeTorrent } from '../helpers/qbittorrent';
import { mamRow, startMamSim, type MamSim } from '../sim/mam-sim';

const GiB = 1024 ** 3;
const settings = (over: Partial<QueueSettings> = {}): QueueSettings => ({ category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false, ...over });
const gap = (seq: string, title: string): Gap => ({ key: `series:expanse|corey#${seq}`, kind: 'series', status: 'wanted', title, authors: ['James S. A. Corey'], series: 'The Expanse', sequence: seq, source: 'library', reason: 'hole' });
const GAPS = [gap('2', "Caliban's War"), gap('5', 'Nemesis Games')];
// Policy "only freeleech": both books are paid, 1.5 GiB, so each is found only with a wedge.
const WEDGED: Partial<SearchRunOptions> = { rank: { freeleechPolicy: 'only' }, wedges: { enabled: true, minBytes: GiB, perRun: 2 } };

describe('freeleech wedges: planned by mam-search, spent by qbit-queue', () => {
  let sim: MamSim;
  let client: MamClient;
  let dir: string;
  let wanted: WantedStore;
  let qbit: FakeQbit;
  let deps: QueueDeps;

  beforeEach(async () => {
    forgetStores();
    dir = tempStoreDir('abg-wedge-');
    wanted = await WantedStore.open(dir);
    await wanted.syncGaps(GAPS);
    sim = await startMamSim();
    for (const [id, g] of [[2, GAPS[0]], [50, GAPS[1]]] as const) {
      sim.addTorrent(id, fakeTorrent(`book-${id}`), mamRow({ id, title: g.title!, authors: g.authors, series: [['The Expanse', g.sequence!]], size: '1.5 GiB' }));
    }
    client = new MamClient({ baseUrl: sim.url, mamId: 'sim-mam-cookie-0', minIntervalMs: 1 });
    qbit = new FakeQbit();
    deps = { qbit, source: client, downloads: await DownloadStore.open(dir), wanted, lockKey: dir };
  });
  afterEach(async () => {
    await client.close();
    await sim.close();
  });

  async function plan(): Promise<Candidate[]> {
    const res = await runSearch(GAPS, { api: client, wanted, cache: await collection(dir, 'cache') }, WEDGED);
    assert.deepEqual(res.candidates.map((c) => c.torrent.id), [2, 50]);
    return res.candidates;
  }
  /** What MAM saw after the search: wedge purchases and .torrent downloads, in order. */
  const mamCalls = () => sim.requests.filter((r) => /bonusBuy|download/.test(r.path)).map((r) => `${/bonusBuy/.test(r.path) ? 'wedge' : 'download'} ${r.query.torrentid ?? r.query.tid}`);

  it('a dry run spends no wedge (and fetches nothing)', async () => {
    const candidates = await plan();
    assert.deepEqual([sim.wedgesSpent, candidates.map((c) => !!c.wedge)], [[], [true, true]], 'the search only plans');
    const report = await runQueue(deps, candidates, settings({ dryRun: true }));
    assert.deepEqual(report.downloads.map((d) => [d.torrentId, d.dryRun]), [[2, true], [50, true]]);
    assert.deepEqual(sim.wedgesSpent, []);
    assert.deepEqual([mamCalls(), report.wedges, sim.user.wedges], [[], [], 3]);
  });

  it('a candidate waiting for approval, or not approved, spends none; the approved one does', async () => {
    const candidates = await plan();
    const waiting = await runQueue(deps, candidates, settings({ requireApproval: true }));
    assert.equal(waiting.approvalNeeded, true);
    assert.deepEqual(sim.wedgesSpent, []);
    const report = await runQueue(deps, candidates, settings({ requireApproval: true }), [GAPS[0].key]);
    assert.deepEqual(report.skipped, [{ key: GAPS[1].key, reason: 'not approved' }]);
    assert.deepEqual(sim.wedgesSpent, [2]);
    assert.deepEqual(mamCalls(), ['wedge 2', 'download 2']);
  });

  it('the wedge is bought right before the .torrent of the book being added is fetched', async () => {
    const report = await runQueue(deps, await plan(), settings());
    assert.deepEqual(mamCalls(), ['wedge 2', 'download 2', 'wedge 50', 'download 50']);
    assert.deepEqual(sim.wedgesSpent, [2, 50]);
    assert.equal(qbit.adds, 2);
    assert.deepEqual(report.wedges, [{ key: GAPS[0].key, torrentId: 2, outcome: 'bought' }, { key: GAPS[1].key, torrentId: 50, outcome: 'bought' }]);
    assert.equal((await deps.downloads.get(GAPS[0].key))?.wedge, 'bought');
    const rec = await wanted.get(GAPS[0].key);
    assert.equal(rec?.state, 'queued');
    assert.match(rec?.history.at(-1)?.note ?? '', /^added to qBittorrent \([0-9a-f]{40}\); freeleech wedge spent$/);
  });

  it('qbit-queue\'s per-run limit: the candidate over it spends no wedge', async () => {
    const report = await runQueue(deps, await plan(), settings({ maxPerRun: 1 }));
    assert.deepEqual(report.skipped, [{ key: GAPS[1].key, reason: 'limit of 1 per run reached' }]);
    assert.deepEqual(sim.wedgesSpent, [2]);
    assert.deepEqual(mamCalls(), ['wedge 2', 'download 2']);
  });

  it('MAM will not sell the wedge: that book is not downloaded as a paid torrent; the rest go on', async () => {
    const candidates = await plan();
    sim.user.wedges = 1; // one spent elsewhere since the search
    const report = await runQueue(deps, candidates, settings());
    assert.deepEqual(report.downloads.map((d) => d.torrentId), [2]);
    assert.deepEqual(report.failed, [{ key: GAPS[1].key, reason: 'MyAnonamouse: could not spend a freeleech wedge on torrent 50: Not enough FL Wedges; not downloaded as a paid torrent (mam-search planned it as freeleech with a wedge)' }]);
    assert.deepEqual(mamCalls(), ['wedge 2', 'download 2', 'wedge 50'], 'no .torrent fetched for the refused one');
    assert.equal(qbit.adds, 1);
    assert.equal(await deps.downloads.get(GAPS[1].key), null, 'no intent left behind');
    assert.equal((await wanted.get(GAPS[1].key))?.state, 'found', 'still wanted for a later run');
  });

  it('a torrent that became free since the search needs no wedge and is added', async () => {
    const candidates = await plan();
    sim.addTorrent(2, fakeTorrent('book-2'), mamRow({ id: 2, title: "Caliban's War", authors: ['James S. A. Corey'], series: [['The Expanse', '2']], size: '1.5 GiB', free: true }));
    const report = await runQueue(deps, [candidates[0]], settings());
    assert.deepEqual([report.downloads.length, sim.wedgesSpent, report.wedges.map((w) => w.outcome)], [1, [], ['global_freeleech']]);
  });

  it('an expired session at the purchase stops the run with that error; nothing is recorded', async () => {
    const candidates = await plan();
    sim.setFault({ type: 'login-page', path: '/json/bonusBuy.php' });
    await assert.rejects(runQueue(deps, candidates, settings()), /MAM session expired/);
    assert.deepEqual([mamCalls(), await deps.downloads.list(), qbit.adds], [['wedge 2'], [], 0]);
  });

  it('an omnibus planned for two gaps buys one wedge; the client without buyWedge refuses the wedged one', async () => {
    const bought: number[] = [];
    const source = { downloadTorrent: async (id: number) => fakeTorrent(`book-${id}`), buyWedge: async (id: number) => { bought.push(id); return 'bought' as const; } };
    await wanted.syncGaps([1, 2, 3].map((n) => candidate(n).gap));
    const omnibus = (n: number): Candidate => ({ ...candidate(n), torrent: { ...candidate(n).torrent, id: 1999, covers: ['1', '2'] }, wedge: { reason: 'planned' } });
    const report = await runQueue({ ...deps, source }, [omnibus(1), omnibus(2)], settings());
    assert.deepEqual(bought, [1999]);
    assert.deepEqual(report.wedges.map((w) => w.outcome), ['bought', 'already_personal']);
    assert.equal(report.downloads.length, 2);
    const plain = await runQueue({ ...deps, source: { downloadTorrent: source.downloadTorrent } }, [{ ...candidate(3), wedge: { reason: 'planned' } }], settings());
    assert.match(plain.failed[0]?.reason ?? '', /cannot spend freeleech wedges; not downloaded as a paid torrent/);
  });

  it('qBittorrent gone right after a wedge was bought: the error still carries the wedge', async () => {
    const down = new ServiceError('qBittorrent', 'cannot reach http://127.0.0.1:9 (ECONNREFUSED)', { code: 'unreachable' });
    const source = { downloadTorrent: async (id: number) => { qbit.down = down; return fakeTorrent(`book-${id}`); }, buyWedge: async () => 'bought' as const };
    await wanted.syncGaps([candidate(1).gap]);
    const err = await runQueue({ ...deps, source }, [{ ...candidate(1), wedge: { reason: 'planned' } }], settings()).catch((e: unknown) => e);
    assert.equal(err, down);
    assert.deepEqual(partialReport(err)?.wedges, [{ key: candidate(1).gap.key, torrentId: 1001, outcome: 'bought' }]);
  });
});
