// The whole pipeline in Node-RED with known fake secrets (ABS token, mam_id and every rotated
// one, qBittorrent password, Hardcover token): a clean run and failing runs, the editor's admin
// endpoints, and then a scan of everything that leaves the nodes — every message between the
// nodes, every status, every log line and node.warn/error, every error (Catch, done(err)),
// every admin response, the exported flow and credential API, and the store files on disk.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { forgetStores } from '../../lib/store/store';
import { helper } from '../helpers/node-red';
import { startQbittorrent, type QbitInstance } from '../helpers/qbittorrent';
import { IDS, nodeTypes, pipelineFlow, type PipelineFlow } from '../faults/flow';
import { createWorld, type World } from '../faults/world';

const SECRETS = {
  absToken: 'fake-abs-api-key-S3cr3t-4bs',
  mamId: 'fake-mam-id-S3cr3t-m4m%2Bplus',
  qbitPassword: 'fake-qbit-pass-S3cr3t-qb',
  hardcoverToken: 'fake-hardcover-S3cr3t-hc',
};

type Spy = { args: unknown[][] };
type Spied = NodeJS.EventEmitter & { receive(m: object): void; status: Spy; warn: Spy; error: Spy; log: Spy };

/** Every place a secret (raw or URL-encoded) shows up in the collected text. */
export function findLeaks(haystacks: Record<string, string>, secrets: string[]): string[] {
  const leaks: string[] = [];
  for (const [where, text] of Object.entries(haystacks)) {
    for (const s of secrets) {
      for (const form of new Set([s, encodeURIComponent(s), decodeURIComponent(s)])) {
        if (text.includes(form)) leaks.push(`${where} contains ${s.slice(0, 12)}…`);
      }
    }
  }
  return leaks;
}

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

  const runOnce = (label: string) => new Promise<void>((resolve) => {
    const ids = [IDS.library, IDS.gaps, IDS.search, IDS.queue, IDS.out, IDS.notFound, IDS.caught];
    const listeners = ids.map((id) => {
      const fn = (msg: unknown) => { note(`${label}: message into ${id}`, msg); if (id === IDS.out || id === IDS.caught) finish(); };
      helper.getNode(id).on('input', fn);
      return () => helper.getNode(id).off('input', fn);
    });
    const finish = () => setTimeout(() => { listeners.forEach((off) => off()); resolve(); }, 100);
    (helper.getNode(IDS.library) as unknown as Spied).receive({ payload: 'go', topic: label });
  });

  it('runs the pipeline (clean, MAM session dead, ABS key refused) and calls every admin endpoint (good and mistyped credentials)', async () => {
    await runOnce('clean run');
    assert.ok(w.mam.currentMamId !== SECRETS.mamId, 'MAM rotated the cookie during the run');
    const ledger = readFileSync(join(w.dir, 'downloads.db'), 'utf8');
    assert.ok(w.missing.every((m) => ledger.includes(m.hash)), 'the clean run queued every book');
    w.mam.setFault({ type: 'login-page' });
    forgetStores();
    await runOnce('MAM session dead');
    w.mam.setFault(null);
    w.abs.setFault({ kind: 'unauthorized' });
    await runOnce('ABS key refused');
    w.abs.setFault(null);

    const admin = async (path: string, body: object) => {
      const res = await helper.request().post(`/audiobook-gaps/${path}`).send(body);
      note(`admin ${path} ${JSON.stringify(Object.keys(body))}`, { status: res.status, body: res.text });
      return res.body as { ok: boolean; error?: string };
    };
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
    for (const id of [...cfg.flow.map((n) => n.id as string)]) {
      const node = helper.getNode(id) as unknown as Spied | null;
      if (!node?.status) continue;
      note(`status of ${id}`, node.status.args);
      note(`node.warn/error/log of ${id}`, [node.warn.args, node.error.args, node.log.args]);
    }
    note('RED.log', (helper.log() as unknown as Spy).args);
    // What GET /flows (and so the editor's Export) gives: the runtime's active flow config.
    const exported = JSON.stringify((helper as unknown as { _redNodes: { getFlows(): unknown } })._redNodes.getFlows());
    note('exported flow (runtime getFlows)', exported);
    assert.ok(exported.includes('"type":"mam-account"') && exported.includes('"type":"qbit-server"'), 'the export holds the config nodes');
    for (const file of readdirSync(w.dir)) note(`store file ${file}`, readFileSync(join(w.dir, file), 'utf8'));

    const secrets = allSecrets();
    assert.ok(secrets.length >= 6, `the rotated mam_ids are in the list (${secrets.length})`);
    assert.ok(Object.keys(seen).some((k) => k.startsWith('MAM session dead: message into caught')), 'the failing runs reached the Catch node');
    assert.deepEqual(findLeaks(seen, secrets), []);
    // The scan itself can fail: a secret planted in a status copy is found.
    const canary = { ...seen, 'status of lib': `${seen['status of lib']}[{"text":"${w.mam.currentMamId}"}]` };
    assert.deepEqual(findLeaks(canary, secrets), [`status of lib contains ${w.mam.currentMamId.slice(0, 12)}…`]);
  });
});
