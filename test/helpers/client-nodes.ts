// The node tests of torrent-queue + abs-import-watch against one REAL client (Transmission or
// Deluge; one daemon per test file): a flow picks the client in the nodes, every record names
// it, a Node-RED restart plus a client restart add nothing twice, and a half-done add from before
// a restart is finished by that client's watcher while a qBittorrent watcher leaves it alone.
import assert from 'node:assert/strict';
import type { Node, NodeAPI, NodeDef } from 'node-red';
import type { DownloadClient } from '../../lib/clients/types';
import { readTorrentFile } from '../../lib/qbit/torrent-file';
import { DownloadStore } from '../../lib/queue/downloads';
import { forgetStores } from '../../lib/store/store';
import type { ClientType } from '../../lib/types';
import absImportWatchNode from '../../nodes/abs-import-watch/abs-import-watch';
import qbitServerNode from '../../nodes/qbit-server/qbit-server';
import torrentQueueNode from '../../nodes/torrent-queue/torrent-queue';
import type { DaemonInstance } from './daemon';
import { helper, tempStoreDir, withStore } from './node-red';
import { candidate, freePort } from './qbittorrent';
import { makeTorrent } from './torrents';

export interface ClientNodesSpec {
  type: Exclude<ClientType, 'qbittorrent'>;
  service: string;
  serverType: string;
  serverNode: (RED: NodeAPI) => void;
  start(): Promise<DaemonInstance>;
  creds(d: DaemonInstance): Record<string, string>;
}

const files = new Map<number, Buffer>();
const fetched: number[] = [];
function fakeMamAccount(RED: NodeAPI) {
  RED.nodes.registerType('mam-account', function (this: Node & { client: unknown }, config: NodeDef) {
    RED.nodes.createNode(this, config);
    this.client = { downloadTorrent: async (id: number) => { fetched.push(id); const f = files.get(id); if (!f) throw new Error(`MyAnonamouse: torrent ${id} not found (404)`); return f; } };
  });
}

type Msg = Record<string, unknown> & { payload: unknown; topic?: string };

export function clientNodesSuite(spec: ClientNodesSpec): void {
  describe(`torrent-queue + abs-import-watch with a real ${spec.service}`, function () {
    this.timeout(60_000);
    let d: DaemonInstance;
    let dir: string;
    before(async () => { d = await spec.start(); });
    after(async () => { await helper.unload(); await d?.close(); });
    beforeEach(() => { dir = tempStoreDir(); withStore(dir); fetched.length = 0; });
    afterEach(async () => { await helper.unload(); forgetStores(); });

    const flow = (qbitUrl = '') => [
      { id: 'srv', type: spec.serverType, url: d.url },
      { id: 'mam', type: 'mam-account' },
      { id: 'tq', type: 'torrent-queue', client: spec.type, [spec.type]: 'srv', mam: 'mam', category: 'audiobooks', tags: 'nr', savePath: d.downloads, maxPerRun: 10, wires: [['out']] },
      { id: 'w', type: 'abs-import-watch', client: spec.type, [spec.type]: 'srv', heal: true, stalledMinutes: 60, notImportedMinutes: 60, wires: [['wout']] },
      { id: 'out', type: 'helper' },
      { id: 'wout', type: 'helper' },
      ...(qbitUrl ? [
        { id: 'qb', type: 'qbit-server', url: qbitUrl },
        { id: 'qw', type: 'abs-import-watch', server: 'qb', heal: true, stalledMinutes: 60, notImportedMinutes: 60, wires: [['qout']] },
        { id: 'qout', type: 'helper' },
      ] : []),
    ];
    const load = (qbitUrl = '') => helper.load([spec.serverNode, qbitServerNode, torrentQueueNode, absImportWatchNode, fakeMamAccount], flow(qbitUrl) as never, { srv: spec.creds(d), qb: { username: 'admin', password: 'x' } });
    const next = (id: string) => new Promise<Msg>((resolve) => helper.getNode(id).once('input', resolve));
    const client = () => (helper.getNode('srv') as unknown as { client: DownloadClient }).client;
    /** One watcher tick; resolves with the events it sent (none: after the tick is done). */
    async function tick(id = 'w', out = 'wout'): Promise<Msg[]> {
      const got: Msg[] = [];
      const listener = (m: Msg) => { got.push(m); };
      const sink = helper.getNode(out) as unknown as { on(e: 'input', f: (m: Msg) => void): void; removeListener(e: 'input', f: (m: Msg) => void): void };
      sink.on('input', listener);
      const node = helper.getNode(id) as unknown as { receive(m: object): void; on(e: string, f: () => void): void; status: (s: object) => void };
      const status = node.status.bind(node);
      const settled = new Promise<void>((resolve) => { node.status = (s: { text?: string }) => { status(s); if (s.text !== 'checking…') resolve(); }; });
      node.receive({ payload: 'tick' });
      await settled;
      await new Promise((r) => setImmediate(r));
      sink.removeListener('input', listener);
      node.status = status;
      return got;
    }

    it('queues into the picked client once; a Node-RED and client restart add nothing; the watcher sends "completed" once', async () => {
      const made = makeTorrent(d.downloads, `${spec.service} Node Book ${Date.now()}`);
      const c = candidate(1);
      files.set(c.torrent.id, made.torrent);
      const { hash } = readTorrentFile(made.torrent);
      await load();
      let got = next('out');
      helper.getNode('tq').receive({ payload: [c] });
      let msg = await got;
      const [download] = msg.payload as { key: string; hash: string; client?: unknown }[];
      assert.deepEqual([download.hash, download.client], [hash, { type: spec.type, node: 'srv' }]);
      assert.equal((await client().getTorrents([hash]))[0]?.category, 'audiobooks', `in ${spec.service} with its category`);
      assert.deepEqual((await (await DownloadStore.open(dir)).get(c.gap.key))?.client, { type: spec.type, node: 'srv' }, 'the record names its client');
      let events: Msg[] = [];
      for (let i = 0; i < 40 && !events.length; i++) { events = await tick(); if (!events.length) await new Promise((r) => setTimeout(r, 250)); }
      assert.deepEqual(events.map((e) => e.topic), ['completed']);

      await helper.unload();
      forgetStores();
      await d.restart();
      await load();
      got = next('out');
      helper.getNode('tq').receive({ payload: [c] });
      msg = await got;
      assert.deepEqual([msg.payload, (msg.skipped as { reason: string }[]).map((s) => s.reason)], [[], ['already queued']]);
      assert.deepEqual(await tick(), [], 'nothing sent twice after the restarts');
      assert.equal((await client().getTorrents([hash])).length, 1);
      assert.deepEqual(fetched.filter((id) => id === c.torrent.id), [c.torrent.id], 'the .torrent fetched from MAM once');
    });

    it('a half-done add left by a restart is finished by this client\'s watcher; a qBittorrent watcher leaves it alone', async () => {
      const made = makeTorrent(d.downloads, `${spec.service} Intent Book ${Date.now()}`);
      const c = candidate(2);
      const { hash, name } = readTorrentFile(made.torrent);
      const ledger = await DownloadStore.open(dir);
      await ledger.recordIntent({
        key: c.gap.key, gap: c.gap, torrentId: c.torrent.id, hash, name, category: 'audiobooks', tags: [], savePath: d.downloads, paused: false,
        intentAt: new Date().toISOString(), client: { type: spec.type, node: 'srv' }, torrentFile: made.torrent.toString('base64'),
      });
      forgetStores();
      // qBittorrent is not even running: a qBittorrent watcher that touched this record would fail.
      await load(`http://127.0.0.1:${await freePort()}`);
      const warnings: string[] = [];
      const qw = helper.getNode('qw') as unknown as { warn: (m: unknown) => void };
      qw.warn = (m: unknown) => { warnings.push(String(m)); };
      assert.deepEqual(await tick('qw', 'qout'), []);
      assert.deepEqual(warnings, []);
      assert.equal((await (await DownloadStore.open(dir)).get(c.gap.key))?.phase, 'intent', 'left to its own client');
      assert.deepEqual(await client().getTorrents([hash]), []);
      await tick();
      assert.equal((await (await DownloadStore.open(dir)).get(c.gap.key))?.phase, 'added');
      assert.equal((await client().getTorrents([hash])).length, 1, `added to ${spec.service} once`);
    });
  });
}
