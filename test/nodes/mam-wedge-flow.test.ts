// mam-search → qbit-queue with a real mam-account (against the MAM simulator) and a stand-in
// qBittorrent: the freeleech wedge mam-search plans is bought by qbit-queue through the
// account's client, and only for a torrent it really adds.
import assert from 'node:assert/strict';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { helper, tempStoreDir } from '../helpers/node-red';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Candidate, Download, Gap } from '../../lib/types';
import mamAccountNode from '../../nodes/mam-account/mam-account';
import mamSearchNode from '../../nodes/mam-search/mam-search';
import qbitQueueNode from '../../nodes/qbit-queue/qbit-queue';
import { FakeQbit, fakeTorrent } from '../helpers/qbittorrent';
import { mamRow, startMamSim, type MamSim } from '../sim/mam-sim';

const COOKIE = 'wedge-flow-session-cookie';
const GAP: Gap = { key: 'series:expanse|corey#2', kind: 'series', status: 'wanted', title: "Caliban's War", authors: ['James S. A. Corey'], series: 'The Expanse', sequence: '2', source: 'library', reason: 'hole' };
type Out = { payload: Download[]; wedges: { torrentId: number; outcome: string }[]; failed: unknown[] };

describe('mam-search → qbit-queue: freeleech wedges', () => {
  let sim: MamSim;
  let qbit: FakeQbit;
  beforeEach(async () => {
    forgetStores();
    const dir = tempStoreDir('abg-wedge-flow-');
    helper.settings({ audiobookGaps: { storeDir: dir, mamMinIntervalMs: 1 } } as Parameters<typeof helper.settings>[0]);
    await (await WantedStore.open(dir)).syncGaps([GAP]);
    sim = await startMamSim({ mamId: COOKIE, rotate: true });
    sim.addTorrent(2, fakeTorrent('calibans-war'), mamRow({ id: 2, title: "Caliban's War", authors: ['James S. A. Corey'], series: [['The Expanse', '2']], size: '1.5 GiB' }));
    qbit = new FakeQbit();
  });
  afterEach(async () => {
    await helper.unload();
    await sim.close();
    helper.settings({});
  });

  async function load(dryRun: boolean): Promise<void> {
    const fakeServer = (RED: NodeAPI) => RED.nodes.registerType('qbit-server', function (this: Node & { client: unknown }, config: NodeDef) {
      RED.nodes.createNode(this, config);
      this.client = qbit;
    });
    const flow = [
      { id: 'f1', type: 'tab' },
      { id: 'acct', type: 'mam-account', url: sim.url, languages: 'ENG', freeleech: 'only', useWedges: true, wedgeMinGiB: 1, wedgesPerRun: 1 },
      { id: 'srv', type: 'qbit-server' },
      { id: 'search', z: 'f1', type: 'mam-search', account: 'acct', wires: [['queue', 'found'], []] },
      { id: 'queue', z: 'f1', type: 'qbit-queue', server: 'srv', mam: 'acct', category: 'audiobooks', maxPerRun: 10, dryRun, wires: [['out']] },
      { id: 'found', z: 'f1', type: 'helper' },
      { id: 'out', z: 'f1', type: 'helper' },
    ];
    await helper.load([mamAccountNode, mamSearchNode, qbitQueueNode, fakeServer], flow, { acct: { mamId: COOKIE } });
  }
  const next = <T>(id: string) => new Promise<T>((resolve) => helper.getNode(id).once('input', resolve));

  it('dry run: the candidate carries the planned wedge, and no wedge is spent', async () => {
    await load(true);
    const found = next<{ payload: Candidate[] }>('found');
    const out = next<Out>('out');
    helper.getNode('search').receive({ payload: [GAP] });
    const [f, o] = await Promise.all([found, out]);
    assert.match(f.payload[0].wedge?.reason ?? 'no wedge planned', /^freeleech wedge planned/);
    assert.deepEqual([o.payload.map((d) => d.dryRun), o.wedges, sim.wedgesSpent, qbit.adds], [[true], [], [], 0]);
  });

  it('a real run buys the wedge through the mam-account client, then adds the torrent', async () => {
    await load(false);
    const out = next<Out>('out');
    helper.getNode('search').receive({ payload: [GAP] });
    const o = await out;
    assert.deepEqual(sim.wedgesSpent, [2]);
    assert.deepEqual(o.wedges.map((w) => [w.torrentId, w.outcome]), [[2, 'bought']]);
    assert.deepEqual([o.payload.map((d) => d.torrentId), o.failed, qbit.adds], [[2], [], 1]);
  });
});
