// qbit-server and qbit-queue with node-red-node-test-helper against a real qbittorrent-nox.
// mam-account is stood in for by a tiny config node with the same duck-typed `.client`.
import assert from 'node:assert/strict';
import type { NodeAPI, Node, NodeDef } from 'node-red';
import { helper, tempStoreDir, withStore } from '../helpers/node-red';
import { forgetStores } from '../../lib/store/store';
import type { QbitAdapter } from '../../lib/qbit/adapter';
import qbitServerNode from '../../nodes/qbit-server/qbit-server';
import qbitQueueNode from '../../nodes/qbit-queue/qbit-queue';
import { FakeQbit, candidate, fakeTorrent, freePort, startQbittorrent, type QbitInstance } from '../helpers/qbittorrent';
import { ServiceError } from '../../lib/errors';
import { makeTorrent } from '../helpers/torrents';
import { eventually, startQbitStub } from '../lib/qbit-webui-stub';

// The Catch node from the Node-RED that runs the tests (4.1, or NODE_RED_HOME's 5.x).
const home = process.env.NODE_RED_HOME;
const catchNode = require(require.resolve('@node-red/nodes/core/common/25-catch.js', home ? { paths: [home] } : undefined));

type AdminAnswer = { ok: boolean; result?: unknown; error?: string };
const files = new Map<number, Buffer>();
const mamDownloads: number[] = [];
function fakeMamAccount(RED: NodeAPI) {
  RED.nodes.registerType('mam-account', function (this: Node & { client: unknown }, config: NodeDef) {
    RED.nodes.createNode(this, config);
    this.client = { downloadTorrent: async (id: number) => { mamDownloads.push(id); await new Promise((r) => setTimeout(r, 20)); const f = files.get(id); if (!f) throw new Error(`MyAnonamouse: torrent ${id} not found (404)`); return f; } };
  });
}

describe('qbit-server and qbit-queue nodes', function () {
  this.timeout(20_000);
  let q: QbitInstance;
  before(async () => { q = await startQbittorrent({ password: 'node-test-pass-42' }); });
  after(async () => { await q?.close(); });
  afterEach(async () => { await helper.unload(); forgetStores(); });

  async function admin(body: object): Promise<{ json: AdminAnswer; text: string }> {
    const res = await helper.request().post('/audiobook-gaps/qbit-server/test').send(body).expect(200);
    return { json: res.body as AdminAnswer, text: res.text };
  }

  it('qbit-server owns one client from URL + credentials; Test reports the version or the exact error without the password', async () => {
    const flow = [{ id: 'srv', type: 'qbit-server', url: q.url }];
    await helper.load(qbitServerNode, flow, { srv: { username: q.username, password: q.password } });
    const node = helper.getNode('srv') as unknown as { client: QbitAdapter };
    assert.match(await node.client.describe(), /^qBittorrent v4\.\d+\.\d+, \d+ torrents?$/);

    const stored = await admin({ id: 'srv', url: q.url, credentials: { username: q.username, password: '__PWRD__' } });
    assert.equal(stored.json.ok, true);
    assert.match(String(stored.json.result), /^qBittorrent v4\.5\.\d+, 0 torrents$/);
    const wrong = await admin({ url: q.url, credentials: { username: q.username, password: 'typed-wrong-pass-7' } });
    assert.deepEqual(wrong.json, { ok: false, error: 'qBittorrent: login refused (check user and password)' });
    assert.ok(!wrong.text.includes('typed-wrong-pass-7') && !stored.text.includes(q.password));
    const port = await freePort();
    const down = await admin({ url: `http://127.0.0.1:${port}`, credentials: { username: 'a', password: 'b' } });
    assert.equal(down.json.error, `qBittorrent: cannot reach http://127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it('qbit-queue queues, skips, reports status, and never leaks the password', async () => {
    const dir = tempStoreDir();
    withStore(dir);
    const made = makeTorrent(q.downloads, `Node Book ${Date.now()}`);
    const c1 = candidate(1);
    const c2 = candidate(2);
    files.set(c1.torrent.id, made.torrent);
    const flow = [
      { id: 'srv', type: 'qbit-server', url: q.url },
      { id: 'mam', type: 'mam-account' },
      { id: 'qq', type: 'qbit-queue', server: 'srv', mam: 'mam', category: 'audiobooks', tags: 'nr', savePath: made.dir, paused: true, maxPerRun: 10, wires: [['out']] },
      { id: 'out', type: 'helper' },
    ];
    await helper.load([qbitServerNode, qbitQueueNode, fakeMamAccount], flow, { srv: { username: q.username, password: q.password } });
    const qq = helper.getNode('qq');
    const statuses: string[] = [];
    const logs: string[] = [];
    const original = qq.status.bind(qq);
    qq.status = (s: { text?: string }) => { statuses.push(s.text ?? ''); return original(s); };
    for (const level of ['warn', 'error', 'log'] as const) {
      const orig = (qq[level] as (m: unknown) => void).bind(qq);
      (qq as unknown as Record<string, (m: unknown) => void>)[level] = (m: unknown) => { logs.push(String(m)); orig(m); };
    }
    const next = () => new Promise<Record<string, unknown>>((resolve) => helper.getNode('out').once('input', resolve));
    let got = next();
    qq.receive({ payload: [c1, c2] });
    let msg = await got;
    const payload = msg.payload as { key: string; hash: string; tags: string[] }[];
    assert.deepEqual(payload.map((d) => d.key), [c1.gap.key]);
    assert.deepEqual(payload[0].tags, ['audiobook-gaps', 'nr', 'The Expanse']);
    assert.deepEqual((msg.failed as { key: string }[]).map((f) => f.key), [c2.gap.key]);
    assert.equal(statuses.at(-1), 'queued 1 · fail 1');

    got = next();
    qq.receive({ payload: [c1] });
    msg = await got;
    assert.deepEqual(msg.payload, []);
    assert.equal(statuses.at(-1), 'queued 0 · skip 1');
    const [t] = await (helper.getNode('srv') as unknown as { client: QbitAdapter }).client.getTorrents([payload[0].hash]);
    assert.ok(/^(paused|stopped)(UP|DL)$|^checking/.test(t.state), `added paused, got ${t.state}`);
    const everything = JSON.stringify([msg, statuses, logs]);
    assert.ok(!everything.includes(q.password));
  });

  it('qbit-server: redeploy closes the adapter\'s sockets (a WebUI stub counts them)', async () => {
    const stub = await startQbitStub({ version: 'v5.2.0' });
    try {
      const flow = [{ id: 'srv', type: 'qbit-server', url: stub.url }];
      await helper.load(qbitServerNode, flow, { srv: { username: 'admin', password: 'stub-password-1' } });
      assert.equal(await (helper.getNode('srv') as unknown as { client: QbitAdapter }).client.describe(), 'qBittorrent v5.2.0, 0 torrents');
      assert.ok(stub.openConnections() > 0, 'keep-alive connection while deployed');
      await helper.unload();
      assert.ok(await eventually(() => stub.openConnections() === 0, 500), `${stub.openConnections()} sockets left after redeploy`);
    } finally {
      await stub.close();
    }
  });

  it('two qbit-queue nodes on one store, triggered at once with the same book: one add, one Download', async () => {
    withStore(tempStoreDir());
    const made = makeTorrent(q.downloads, `Twin Book ${Date.now()}`);
    const c = candidate(7);
    c.torrent.id = 7707;
    files.set(c.torrent.id, made.torrent);
    mamDownloads.length = 0;
    const flow = [
      { id: 'srv', type: 'qbit-server', url: q.url },
      { id: 'mam', type: 'mam-account' },
      ...['qa', 'qb'].map((id) => ({ id, type: 'qbit-queue', server: 'srv', mam: 'mam', category: 'audiobooks', savePath: made.dir, maxPerRun: 10, wires: [[`out-${id}`]] })),
      { id: 'out-qa', type: 'helper' },
      { id: 'out-qb', type: 'helper' },
    ];
    await helper.load([qbitServerNode, qbitQueueNode, fakeMamAccount], flow, { srv: { username: q.username, password: q.password } });
    const outs = ['qa', 'qb'].map((id) => new Promise<{ payload: { hash: string }[]; skipped: { reason: string }[] }>((resolve) => helper.getNode(`out-${id}`).once('input', resolve)));
    helper.getNode('qa').receive({ payload: [c] });
    helper.getNode('qb').receive({ payload: [c] });
    const [a, b] = await Promise.all(outs);
    assert.equal(a.payload.length + b.payload.length, 1, 'one Download across both nodes');
    assert.deepEqual([...a.skipped, ...b.skipped].map((s) => s.reason), ['already queued']);
    assert.deepEqual(mamDownloads, [c.torrent.id], 'the .torrent fetched from MAM once');
    const hash = [...a.payload, ...b.payload][0].hash;
    assert.equal((await (helper.getNode('srv') as unknown as { client: QbitAdapter }).client.getTorrents([hash])).length, 1);
  });

  it('qbit-queue: qBittorrent unreachable → done(err) reaches a Catch node, red status, nothing queued', async () => {
    withStore(tempStoreDir());
    const port = await freePort();
    const flow = [
      { id: 'f1', type: 'tab' },
      { id: 'srv', type: 'qbit-server', url: `http://127.0.0.1:${port}` },
      { id: 'mam', type: 'mam-account' },
      { id: 'qq', z: 'f1', type: 'qbit-queue', server: 'srv', mam: 'mam', category: 'audiobooks', maxPerRun: 10, wires: [['out']] },
      { id: 'catcher', z: 'f1', type: 'catch', scope: ['qq'], uncaught: false, wires: [['caught']] },
      { id: 'out', z: 'f1', type: 'helper' },
      { id: 'caught', z: 'f1', type: 'helper' },
    ];
    await helper.load([qbitServerNode, qbitQueueNode, fakeMamAccount, catchNode], flow, { srv: { username: 'admin', password: 'pw-never-shown' } });
    const qq = helper.getNode('qq');
    const statuses = () => (qq as unknown as { status: { args: object[][] } }).status.args.map((a) => a[0]);
    let sent = 0;
    helper.getNode('out').on('input', () => { sent++; });
    const caught = new Promise<{ error: { message: string } }>((resolve) => helper.getNode('caught').once('input', resolve));
    qq.receive({ payload: [candidate(1)] });
    const msg = await caught;
    // Node-RED 4 puts the error's name in front; Node-RED 5 may not.
    assert.equal(msg.error.message.replace(/^ServiceError: /, ''), `qBittorrent: cannot reach http://127.0.0.1:${port} (ECONNREFUSED)`);
    assert.deepEqual(statuses().at(-1), { fill: 'red', shape: 'dot', text: 'qBittorrent down' });
    assert.equal(sent, 0);
  });

  it('qbit-queue: qBittorrent gone mid-run → the torrents already added are sent, then done(err) reaches a Catch node', async () => {
    withStore(tempStoreDir());
    const fake = new FakeQbit();
    const fakeServer = (RED: NodeAPI) => RED.nodes.registerType('qbit-server', function (this: Node & { client: unknown }, config: NodeDef) {
      RED.nodes.createNode(this, config);
      this.client = fake;
    });
    const flakyMam = (RED: NodeAPI) => RED.nodes.registerType('mam-account', function (this: Node & { client: unknown }, config: NodeDef) {
      RED.nodes.createNode(this, config);
      this.client = { downloadTorrent: async (id: number) => {
        if (id === 1002) fake.down = new ServiceError('qBittorrent', 'cannot reach http://127.0.0.1:9 (ECONNREFUSED)', { code: 'unreachable' });
        return fakeTorrent(`book-${id}`);
      } };
    });
    const flow = [
      { id: 'f1', type: 'tab' },
      { id: 'srv', type: 'qbit-server' },
      { id: 'mam', type: 'mam-account' },
      { id: 'qq', z: 'f1', type: 'qbit-queue', server: 'srv', mam: 'mam', category: 'audiobooks', maxPerRun: 10, wires: [['out']] },
      { id: 'catcher', z: 'f1', type: 'catch', scope: ['qq'], uncaught: false, wires: [['caught']] },
      { id: 'out', z: 'f1', type: 'helper' },
      { id: 'caught', z: 'f1', type: 'helper' },
    ];
    await helper.load([fakeServer, qbitQueueNode, flakyMam, catchNode], flow, {});
    const sent = new Promise<{ payload: { key: string }[]; failed: { key: string; reason: string }[] }>((resolve) => helper.getNode('out').once('input', resolve));
    const caught = new Promise<{ error: { message: string } }>((resolve) => helper.getNode('caught').once('input', resolve));
    helper.getNode('qq').receive({ payload: [candidate(1), candidate(2), candidate(3)] });
    const [msg, err] = await Promise.all([sent, caught]);
    assert.deepEqual(msg.payload.map((d) => d.key), ['series:expanse#1']);
    assert.deepEqual(msg.failed.map((f) => [f.key, f.reason]), [2, 3].map((n) => [`series:expanse#${n}`, 'not queued: qBittorrent: cannot reach http://127.0.0.1:9 (ECONNREFUSED)']));
    assert.equal(err.error.message.replace(/^ServiceError: /, ''), 'qBittorrent: cannot reach http://127.0.0.1:9 (ECONNREFUSED)');
    const statuses = (helper.getNode('qq') as unknown as { status: { args: { text?: string; fill?: string }[][] } }).status.args.map((a) => a[0]);
    assert.deepEqual(statuses.at(-1), { fill: 'red', shape: 'dot', text: 'qBittorrent down' });
  });
});
