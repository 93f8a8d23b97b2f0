// abs-import-watch with the test helper: a stand-in qbit-server (in-memory qBittorrent), the
// real abs-server node against the ABS simulator.
import assert from 'node:assert/strict';
import type { NodeAPI, Node, NodeDef } from 'node-red';
import { helper, tempStoreDir, withStore } from '../helpers/node-red';
import { forgetStores } from '../../lib/store/store';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue } from '../../lib/queue/queue';
import { WantedStore } from '../../lib/store/wanted';
import absServerNode from '../../nodes/abs-server/abs-server';
import watchNode from '../../nodes/abs-import-watch/abs-import-watch';
import { startAbsSim, type AbsSim } from '../sim/abs-sim';
import { FakeQbit, candidate, fakeTorrent } from '../helpers/qbittorrent';
import { readTorrentFile } from '../../lib/qbit/torrent-file';

let qbit: FakeQbit;
function fakeQbitServer(RED: NodeAPI) {
  RED.nodes.registerType('qbit-server', function (this: Node & { client: unknown }, config: NodeDef) {
    RED.nodes.createNode(this, config);
    this.client = qbit;
  });
}

type Spied = { receive(m: object): void; status: { args: { text?: string }[][] } };

/** A mam-account stand-in: heal fetches the next candidate's .torrent through its client. */
function fakeMamAccount(RED: NodeAPI) {
  RED.nodes.registerType('mam-account', function (this: Node & { client: unknown }, config: NodeDef) {
    RED.nodes.createNode(this, config);
    this.client = { downloadTorrent: async (id: number) => fakeTorrent(`book-${id}`) };
  });
}

describe('abs-import-watch node', () => {
  let sim: AbsSim;
  let dir: string;
  beforeEach(async () => {
    sim = await startAbsSim();
    qbit = new FakeQbit();
    dir = tempStoreDir();
    withStore(dir);
    const downloads = await DownloadStore.open(dir);
    const wanted = await WantedStore.open(dir);
    const settings = { category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false };
    await runQueue({ qbit, source: { downloadTorrent: async (id) => fakeTorrent(`book-${id}`) }, downloads, wanted, lockKey: dir }, [1, 2, 3].map((n) => candidate(n)), settings);
  });
  afterEach(async () => { await helper.unload(); forgetStores(); await sim.close(); });

  const flow = () => [
    { id: 'qs', type: 'qbit-server' },
    { id: 'abs', type: 'abs-server', url: sim.url, timeout: 5 },
    { id: 'w', type: 'abs-import-watch', server: 'qs', abs: 'abs', library: sim.libraryIds.audiobooks, scanOnComplete: true, mapFrom: '/dl', mapTo: '/audiobooks', stalledMinutes: 60, notImportedMinutes: 60, wires: [['out']] },
    { id: 'out', type: 'helper' },
  ];
  const load = () => helper.load([fakeQbitServer, absServerNode, watchNode], flow(), { abs: { token: sim.token } });

  /** Triggers once and collects what arrives within a short quiet period. */
  type Out = { topic: string; payload: { event: string; download: { key: string }; item?: { path: string }; match?: string } };
  async function trigger(): Promise<Out[]> {
    const got: Out[] = [];
    const out = helper.getNode('out') as unknown as NodeJS.EventEmitter;
    const listener = (m: Out) => { got.push(m); };
    out.on('input', listener);
    const w = helper.getNode('w') as unknown as Spied;
    const before = w.status.args.length;
    w.receive({ payload: Date.now() });
    for (let i = 0; i < 100 && !(w.status.args.length > before + 1); i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 30));
    out.removeListener('input', listener);
    return got;
  }

  it('sends one message per transition, with the status counts, and nothing twice after a redeploy', async () => {
    await load();
    const w = helper.getNode('w') as unknown as Spied;
    assert.deepEqual(await trigger(), []);
    assert.equal(w.status.args.at(-1)?.[0].text, '3 dl · 0 imported');

    const [t1] = [...qbit.torrents.values()];
    Object.assign(t1, { phase: 'completed', state: 'uploading', progress: 1 });
    sim.addItem({ title: 'Book 1', authors: ['X'], path: `/audiobooks/${t1.name}` }, { libraryId: sim.libraryIds.audiobooks });
    const msgs = await trigger();
    assert.deepEqual(msgs.map((m) => [m.topic, m.payload.event]), [['completed', 'completed'], ['imported', 'imported']]);
    assert.equal(msgs[1].payload.item?.path, `/audiobooks/${t1.name}`);
    assert.equal(msgs[1].payload.match, 'path', 'the message says how the import was proven');
    assert.equal(w.status.args.at(-1)?.[0].text, '2 dl · 1 imported');

    await helper.unload();
    forgetStores();
    await load();
    assert.deepEqual(await trigger(), []);
  });

  it('heals on its own tick: a torrent in error is refused and the book searched again (heal off: only reported); one the user removed is only reported', async () => {
    await (await WantedStore.open(dir)).syncGaps([1, 2, 3].map((n) => candidate(n).gap));
    for (const heal of [false, true]) {
      await helper.unload();
      forgetStores();
      await helper.load([fakeQbitServer, absServerNode, watchNode], flow().map((n) => (n.id === 'w' ? { ...n, heal } : n)), { abs: { token: sim.token } });
      const state = async (n: number) => (await (await WantedStore.open(dir)).get(candidate(n).gap.key))?.state;
      if (heal) {
        // The failure was reported by the first load; the second one picks it up on its tick.
        const msgs = await trigger();
        assert.deepEqual(msgs.map((m) => m.topic), ['refused', 'search_again']);
        assert.equal(await state(1), 'wanted');
        // A torrent the user removes is the user's decision: reported, never replaced.
        qbit.torrents.delete([...qbit.torrents.keys()][0]);
        assert.deepEqual((await trigger()).map((m) => m.topic), ['failed']);
        assert.equal(await state(2), 'failed');
      } else {
        const [t1] = [...qbit.torrents.values()];
        Object.assign(t1, { phase: 'failed', state: 'missingFiles' });
        assert.deepEqual((await trigger()).map((m) => m.topic), ['failed']);
        assert.equal(await state(1), 'failed');
      }
    }
  });

  it('verify after import: a book measured at 40 % of its runtime is sent as imported_suspect (yellow badge); with "refuse suspect imports" it is refused and searched again', async () => {
    await (await WantedStore.open(dir)).syncGaps([1, 2, 3].map((n) => candidate(n).gap));
    const downloads = await DownloadStore.open(dir);
    for (const n of [1, 2]) await downloads.update(candidate(n).gap.key, { gap: { ...candidate(n).gap, expectedDurationSec: 36000, expectedDurationFrom: 'metadata' } });
    const [t1, t2] = [...qbit.torrents.values()];
    for (const refuse of [false, true]) {
      // The user keeps book 1 (Ignore): the option then leaves it alone.
      if (refuse) await (await WantedStore.open(dir)).setIgnored(candidate(1).gap.key, true);
      await helper.unload();
      forgetStores();
      await helper.load([fakeQbitServer, absServerNode, watchNode], flow().map((n) => (n.id === 'w' ? { ...n, healRefuseSuspect: refuse } : n)), { abs: { token: sim.token } });
      const t = refuse ? t2 : t1;
      Object.assign(t, { phase: 'completed', state: 'uploading', progress: 1 });
      sim.addItem({ title: `Book ${refuse ? 2 : 1}`, authors: ['James S. A. Corey'], path: `/audiobooks/${t.name}`, durationSec: 4 * 3600 }, { libraryId: sim.libraryIds.audiobooks });
      const msgs = await trigger();
      const w = helper.getNode('w') as unknown as Spied & { status: { args: { fill?: string; text?: string }[][] } };
      if (!refuse) {
        assert.deepEqual(msgs.map((m) => m.topic), ['completed', 'imported_suspect']);
        const p = msgs[1].payload as Out['payload'] & { verify?: { reasons: string[]; evidence: { durationSec?: number; expectedSec?: number } } };
        assert.match(p.verify?.reasons[0] ?? '', /^4\.0 h of audio, the book runs 10\.0 h \(metadata runtime\): 40 %/);
        assert.deepEqual([p.verify?.evidence.durationSec, p.verify?.evidence.expectedSec], [14400, 36000]);
        assert.deepEqual(w.status.args.at(-1)?.[0], { fill: 'yellow', shape: 'dot', text: '2 dl · 1 suspect' });
        assert.equal((await (await WantedStore.open(dir)).get(candidate(1).gap.key))?.state, 'imported_suspect');
        assert.equal(qbit.torrents.has(t1.hash), true, 'kept in qBittorrent: the user judges it');
      } else {
        assert.deepEqual(msgs.map((m) => m.topic), ['completed', 'imported_suspect', 'refused', 'search_again']);
        assert.equal(qbit.torrents.has(t2.hash), false, 'removed from qBittorrent');
        assert.equal((await (await WantedStore.open(dir)).get(candidate(2).gap.key))?.state, 'wanted');
        assert.equal((await (await WantedStore.open(dir)).get(candidate(1).gap.key))?.state, 'imported_suspect', 'the book the user kept is left alone');
      }
    }
  });

  it('heal takes the next kept candidate only from a search younger than "max age" days (default 7); older, the book is searched again', async () => {
    const store = await WantedStore.open(dir);
    await store.syncGaps([candidate(1).gap]);
    const key = candidate(1).gap.key;
    await store.recordSearch(key, { lastAt: new Date(Date.now() - 8 * 86_400_000).toISOString(), attempts: 1, torrentId: 1001 }, 'found');
    const backup = { ...candidate(1), torrent: { ...candidate(1).torrent, id: 5001 } };
    await store.keepCandidates(key, [candidate(1), backup].map(({ gap: _gap, ...c }) => c));
    const [t1] = [...qbit.torrents.values()];
    Object.assign(t1, { phase: 'failed', state: 'error' });
    const withMam = (extra: object) => [...flow().map((n) => (n.id === 'w' ? { ...n, mam: 'mam', ...extra } : n)), { id: 'mam', type: 'mam-account' }];
    await helper.load([fakeQbitServer, fakeMamAccount, absServerNode, watchNode], withMam({}), { abs: { token: sim.token } });
    const stale = await trigger();
    assert.deepEqual(stale.map((m) => m.topic), ['failed', 'refused', 'search_again']);
    assert.match(String((stale[2].payload as unknown as { reason: string }).reason), /search 8 days old \(limit 7 days\)/);
    // Marked for its next candidate again (as a refusal does), with a max age of 10 days the kept backup is queued.
    await store.refuse(key, { torrentId: 1001, reason: 'failed', at: new Date().toISOString() });
    await helper.unload();
    forgetStores();
    await helper.load([fakeQbitServer, fakeMamAccount, absServerNode, watchNode], withMam({ healSearchDays: 10 }), { abs: { token: sim.token } });
    const fresh = await trigger();
    assert.deepEqual(fresh.map((m) => m.topic), ['queued_next']);
    assert.ok(qbit.torrents.has(readTorrentFile(fakeTorrent('book-5001')).hash));
  });

  it('two watch nodes on one store, triggered at once: each transition is sent once in total', async () => {
    const twin = flow().flatMap((n) => (n.id === 'w' ? [n, { ...n, id: 'w2', wires: [['out']] }] : [n]));
    await helper.load([fakeQbitServer, absServerNode, watchNode], twin, { abs: { token: sim.token } });
    const [t1] = [...qbit.torrents.values()];
    Object.assign(t1, { phase: 'completed', state: 'stoppedUP', progress: 1 });
    sim.addItem({ title: 'Book 1', authors: ['X'], path: `/audiobooks/${t1.name}` }, { libraryId: sim.libraryIds.audiobooks });
    const got: Out[] = [];
    (helper.getNode('out') as unknown as NodeJS.EventEmitter).on('input', (m: Out) => got.push(m));
    for (const id of ['w', 'w2']) (helper.getNode(id) as unknown as Spied).receive({ payload: 'tick' });
    for (let i = 0; i < 100 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(got.map((m) => m.payload.event), ['completed', 'imported']);
    assert.equal(sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/scan')).length, 1, 'one scan');
  });

  it('live: an ABS socket announcement confirms the import with no timer tick, and close stops the socket', async () => {
    await sim.close();
    sim = await startAbsSim({ socket: true, scanDelayMs: 20 });
    const liveFlow = flow().map((n) => (n.id === 'w' ? { ...n, live: true, library: sim.libraryIds.audiobooks } : n));
    await helper.load([fakeQbitServer, absServerNode, watchNode], liveFlow, { abs: { token: sim.token } });
    for (let i = 0; i < 100 && sim.socket!.authenticated() === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(sim.socket!.authenticated(), 1, 'authenticated with the user token from /api/me, not the API key');

    const [t1] = [...qbit.torrents.values()];
    Object.assign(t1, { phase: 'completed', state: 'uploading', progress: 1 });
    const got: Out[] = [];
    (helper.getNode('out') as unknown as NodeJS.EventEmitter).on('input', (m: Out) => got.push(m));
    // The folder watcher finds the finished book: ABS sends item_added; nobody triggers the node.
    sim.addItem({ title: 'Book 1', authors: ['X'], path: `/audiobooks/${t1.name}` }, { libraryId: sim.libraryIds.audiobooks });
    for (let i = 0; i < 200 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(got.map((m) => m.payload.event), ['completed', 'imported']);

    await helper.unload();
    for (let i = 0; i < 50 && sim.socket!.authenticated() > 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(sim.socket!.authenticated(), 0, 'the socket is closed on redeploy');
  });
});
