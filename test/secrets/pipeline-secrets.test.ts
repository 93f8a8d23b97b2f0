// The whole pipeline in Node-RED with known fake secrets (ABS token, mam_id and every rotated
// one, qBittorrent password, Hardcover token): a clean run and failing runs, the editor's admin
// endpoints, and then a scan of everything that leaves the nodes — every message between the
// nodes, every status, every log line and node.warn/error, every error (Catch, done(err)),
// every admin response, the exported flow and credential API, and the store files on disk.
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forgetStores } from '../../lib/store/store';
import { helper } from '../helpers/node-red';
import { startQbittorrent, type QbitInstance } from '../helpers/qbittorrent';
import { IDS, nodeTypes, pipelineFlow, type PipelineFlow } from '../faults/flow';
import { createWorld, type World } from '../faults/world';
import { findLeaks } from './leaks';
import { collectFlowState, runPipelineOnce, type Spied } from './flow-scan';

const SECRETS = {
  absToken: 'fake-abs-api-key-S3cr3t-4bs',
  mamId: 'fake-mam-id-S3cr3t-m4m%2Bplus',
  qbitPassword: 'fake-qbit-pass-S3cr3t-qb',
  hardcoverToken: 'fake-hardcover-S3cr3t-hc',
};


describe('secrets: nothing of the fake secrets leaves the nodes', function () {
  this.timeout(40_000);
  let q: QbitInstance;
  let w: World;
  let cfg: PipelineFlow;
  const seen: Record<string, string> = {};
  const note = (where: string, value: unknown) => { seen[where] = (seen[where] ?? '') + JSON.stringify(value, (_k, v) => (v instanceof Error ? { message: v.message, stack: v.stack, cause: String(v.cause) } : v)); };

  before(async () => {
    forgetStores();
    q = await startQbittorrent({ password: SECRETS.qbitPassword });
    w = await createWorld(q, 'secrets', { rotate: true, mamId: SECRETS.mamId, absToken: SECRETS.absToken });
    w.meta.hardcoverToken = SECRETS.hardcoverToken;
    cfg = pipelineFlow(w, SECRETS);
    helper.settings(cfg.settings as Parameters<typeof helper.settings>[0]);
    await helper.load(nodeTypes(), cfg.flow as never, cfg.credentials);
  });
  after(async () => {
    await helper.unload();
    helper.settings({});
    await w?.close();
    await q?.close();
  });

  /** Every secret this run has seen: the configured ones plus each mam_id MAM rotated to. */
  const allSecrets = () => [...new Set([...Object.values(SECRETS), w.mam.currentMamId, ...w.mam.requests.map((r) => r.cookie ?? '').filter(Boolean)])];

  const runOnce = (label: string) => runPipelineOnce(label, note);

  /** POST to one of the editor's admin endpoints; the answer goes into the scan. */
  const admin = async (path: string, body: object) => {
    const res = await helper.request().post(`/audiobook-gaps/${path}`).send(body);
    note(`admin ${path} ${JSON.stringify(Object.keys(body))}`, { status: res.status, body: res.text });
    return res.body as { ok: boolean; error?: string };
  };

  /** What the nodes show and keep right now: statuses, node and runtime logs, the exported flow, the store files. */
  const collectState = () => collectFlowState(cfg.flow.map((n) => n.id as string), w.dir);

  it('runs the pipeline (clean, MAM session dead, ABS key refused) and calls every admin endpoint (good and mistyped credentials)', async () => {
    await runOnce('clean run');
    assert.ok(w.mam.currentMamId !== SECRETS.mamId, 'MAM rotated the cookie during the run');
    const ledger = readFileSync(join(w.dir, 'downloads.db'), 'utf8');
    assert.ok(w.missing.every((m) => ledger.includes(m.hash)), 'the clean run queued every book');
    // A new book #8 opens new holes (#6, #7), so the next run has something to search for and
    // meets the dead session (every book so far is queued: nothing else would reach MAM).
    const m = w.missing[0];
    const author = Object.values(JSON.parse(String(m.row.author_info)) as Record<string, string>)[0];
    w.abs.addItem({ title: `${m.title} Eight`, authors: [author], series: [{ name: m.series, sequence: '8' }] }, { libraryId: w.libraryId });
    w.mam.setFault({ type: 'login-page' });
    forgetStores();
    await runOnce('MAM session dead');
    assert.match(seen['MAM session dead: message into caught'] ?? '', /MyAnonamouse: MAM session expired/, 'the dead session reached the Catch node');
    w.mam.setFault(null);
    w.abs.setFault({ kind: 'unauthorized' });
    await runOnce('ABS key refused');
    w.abs.setFault(null);

    assert.equal((await admin('abs-server/test', { id: 'abs', url: w.abs.url })).ok, true);
    assert.equal((await admin('abs-server/libraries', { id: 'abs', url: w.abs.url })).ok, true);
    assert.equal((await admin('abs-server/test', { id: 'abs', url: w.abs.url, credentials: { token: `${SECRETS.absToken}-typo` } })).ok, false);
    assert.equal((await admin('mam-account/test', { id: 'mam', url: w.mam.url })).ok, true);
    assert.equal((await admin('qbit-server/test', { id: 'qb', url: q.url })).ok, true);
    assert.equal((await admin('qbit-server/test', { id: 'qb', url: q.url, credentials: { username: 'admin', password: `${SECRETS.qbitPassword}-typo` } })).ok, false);
    assert.equal((await admin('hardcover-account/test', { id: IDS.hardcover, url: `${w.meta.url}/graphql` })).ok, true);
    assert.equal((await admin('hardcover-account/test', { id: IDS.hardcover, url: `${w.meta.url}/graphql`, credentials: { token: `${SECRETS.hardcoverToken}-typo` } })).ok, false);
  });

  it('finds no secret in messages, statuses, logs, errors, admin answers, the exported flow or the store files', async () => {
    const state = collectState();
    assert.ok(state['exported flow (runtime getFlows)'].includes('"type":"mam-account"') && state['exported flow (runtime getFlows)'].includes('"type":"qbit-server"'), 'the export holds the config nodes');
    assert.ok(Object.keys(state).some((k) => k.startsWith('store file wanted.db')), 'the store files are read');
    const secrets = allSecrets();
    assert.ok(secrets.length >= 6, `the rotated mam_ids are in the list (${secrets.length})`);
    assert.ok(seen['ABS key refused: message into caught'], 'the failing runs reached the Catch node');
    assert.deepEqual(findLeaks({ ...seen, ...state }, secrets), []);
  });

  // The scan can fail: a secret planted in each place it reads, through the same channel a
  // leaking node would use, is reported at that place.
  it('would report a secret planted in a message, a status, a log line, an error, an admin answer, a store file or the export', async () => {
    const rotated = w.mam.currentMamId;
    const planted: Record<string, string> = {};
    const plantedNote = (where: string, value: unknown) => { planted[where] = (planted[where] ?? '') + JSON.stringify(value, (_k, v) => (v instanceof Error ? { message: v.message } : v)); };
    const arrived = (id: string) => new Promise<void>((resolve) => helper.getNode(id).once('input', (m: unknown) => { plantedNote(`canary: message into ${id}`, m); resolve(); }));
    const queue = helper.getNode(IDS.queue) as unknown as Spied & { send(m: object): void; error(e: Error, m: object): void };
    const intoOut = arrived(IDS.out);
    queue.send({ payload: [{ name: `leaky ${SECRETS.absToken}` }] });
    await intoOut;
    (helper.getNode(IDS.gaps) as unknown as { status(s: object): void }).status({ fill: 'red', text: SECRETS.mamId });
    (helper.getNode(IDS.search) as unknown as { log(t: string): void }).log(`searching with ${SECRETS.qbitPassword}`);
    const intoCatch = arrived(IDS.caught);
    queue.error(new Error(`qBittorrent: refused ${SECRETS.hardcoverToken}`), { payload: [] });
    await intoCatch;
    (helper as unknown as { _httpAdmin: { post(p: string, h: (req: unknown, res: { json(b: object): void }) => void): void } })._httpAdmin
      .post('/audiobook-gaps/canary/test', (_req, res) => res.json({ ok: false, error: `rejected ${rotated}` }));
    await admin('canary/test', {});
    appendFileSync(join(w.dir, 'cache.db'), `${JSON.stringify({ _id: 'canary', cookie: rotated })}\n`);
    const leaks = findLeaks({ ...planted, ...collectState(), admin: seen['admin canary/test []'] }, allSecrets());
    const at = (where: string, secret: string) => `${where} contains ${secret.slice(0, 12)}…`;
    for (const expected of [
      at(`canary: message into ${IDS.out}`, SECRETS.absToken), at(`status of ${IDS.gaps}`, SECRETS.mamId),
      at(`node.warn/error/log of ${IDS.search}`, SECRETS.qbitPassword), at('RED.log', SECRETS.qbitPassword),
      at(`canary: message into ${IDS.caught}`, SECRETS.hardcoverToken), at(`node.warn/error/log of ${IDS.queue}`, SECRETS.hardcoverToken),
      at('admin', rotated), at('store file cache.db', rotated),
    ]) assert.ok(leaks.includes(expected), `not reported: ${expected} (reported: ${leaks.join('; ')})`);

    // Last, as it redeploys: a secret in a config node's property ends up in the export.
    const flow = cfg.flow.map((n) => (n.id === 'abs' ? { ...n, name: `ABS ${SECRETS.absToken}` } : n));
    await helper.setFlows(flow as never, 'full', cfg.credentials);
    assert.ok(findLeaks(collectState(), allSecrets()).includes(at('exported flow (runtime getFlows)', SECRETS.absToken)), 'a secret in the export is reported');
  });
});
