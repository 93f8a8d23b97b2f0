// Fault matrix, Node-RED rows: the whole pipeline as a flow (node-red-node-test-helper) with
// a redeploy and a full restart (SIGKILL of a Node-RED child process) in the middle of a run,
// two triggers at once, and a corrupt or half-written store file.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { forgetStores } from '../../lib/store/store';
import { helper } from '../helpers/node-red';
import { startQbittorrent, type QbitInstance } from '../helpers/qbittorrent';
import { assertAllQueuedOnce, assertConsistent } from './checks';
import { startNodeRedChild } from './child';
import { IDS, nodeTypes, pipelineFlow, type PipelineFlow } from './flow';
import { printMatrixAtEnd, record } from './matrix';
import { createWorld, type World } from './world';

printMatrixAtEnd();

type Emitter = NodeJS.EventEmitter & { receive(msg: object): void };

describe('fault matrix: Node-RED', function () {
  this.timeout(40_000);
  let q: QbitInstance;
  let w: World;
  let cfg: PipelineFlow;
  before(async () => { q = await startQbittorrent(); });
  after(async () => { await q?.close(); });
  beforeEach(async function () {
    forgetStores();
    w = await createWorld(q, this.currentTest?.title ?? 'node-red');
    cfg = pipelineFlow(w, { absToken: w.abs.token, mamId: w.mamId, qbitPassword: q.password });
  });
  afterEach(async () => { await helper.unload(); helper.settings({}); await w.close(); });

  const load = async () => {
    helper.settings(cfg.settings as Parameters<typeof helper.settings>[0]);
    await helper.load(nodeTypes(), cfg.flow as never, cfg.credentials);
  };
  /** The next qbit-queue output (resolves with its payload size) or Catch (rejects). */
  const outcome = () => new Promise<number>((resolve, reject) => {
    const out = helper.getNode(IDS.out);
    const caught = helper.getNode(IDS.caught);
    const onOut = (m: { payload: unknown[] }) => { caught.off('input', onCaught); resolve(m.payload.length); };
    const onCaught = (m: { error: { message: string } }) => { out.off('input', onOut); reject(new Error(m.error.message)); };
    out.once('input', onOut);
    caught.once('input', onCaught);
  });
  const trigger = () => (helper.getNode(IDS.library) as unknown as Emitter).receive({ payload: 'go' });
  const run = async () => { const done = outcome(); trigger(); return done; };
  /** Calls fn (once) the moment MAM is asked for the first .torrent: the queue stage is mid-way. */
  const onFirstTorrentFetch = (fn: () => void) => {
    const requests = w.mam.requests;
    const push = requests.push.bind(requests);
    let fired = false;
    requests.push = (...items) => {
      const n = push(...items);
      if (!fired && items.some((r) => r.path === '/tor/download.php')) { fired = true; fn(); }
      return n;
    };
  };

  it('two triggers at the same time: runs queue behind each other, every book once', async () => {
    await load();
    const outs: number[] = [];
    (helper.getNode(IDS.out) as unknown as NodeJS.EventEmitter).on('input', (m: { payload: unknown[] }) => outs.push(m.payload.length));
    trigger();
    trigger();
    for (let i = 0; outs.length < 2 && i < 200; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(outs, [w.missing.length, 0], 'first run queues all, the second none');
    record({ row: 'two triggers at once', service: 'Node-RED', outcome: `runs serialized (${outs.join(' + ')} queued)`, error: '', rerun: await assertAllQueuedOnce(w) });
  });

  it('redeploy in the middle of a run: the run ends with a clear error or completes; the next run finishes the job', async () => {
    await load();
    let redeployed: Promise<void> | undefined;
    onFirstTorrentFetch(() => { redeployed = helper.setFlows(cfg.flow as never, 'full', cfg.credentials) as unknown as Promise<void>; });
    // The old flow's output and Catch nodes are gone after the redeploy: the old run may end unseen.
    const settle = new Promise<string>((r) => setTimeout(() => r('(old run ended without output)'), 3000));
    const first = await Promise.race([run().then((n) => `completed (${n} queued)`, (err: Error) => err.message), settle]);
    await redeployed;
    const logged = (helper.log() as unknown as { args: { level: number; msg: unknown }[][] }).args.map((a) => a[0]).filter((l) => l.level <= 30).map((l) => String(l.msg));
    assert.ok(redeployed, 'the redeploy happened mid-run');
    await assertConsistent(w, { allowIntent: true });
    const second = await run();
    assert.ok(second <= w.missing.length);
    record({ row: 'Node-RED redeploy mid-run', service: 'Node-RED', outcome: 'old run ends, store intact', error: logged.find((l) => /qBittorrent|MyAnonamouse|closed/.test(l)) ?? first, rerun: await assertAllQueuedOnce(w) });
  });

  it('full restart (Node-RED killed) in the middle of a run: the next start heals and finishes, nothing twice', async function () {
    this.timeout(60_000);
    let child = await startNodeRedChild(cfg);
    let cutOff = 0;
    onFirstTorrentFetch(() => { child.proc.kill('SIGKILL'); cutOff = Number(w.mam.requests.at(-1)?.query.tid); });
    await assert.rejects(child.run(), /exited \(SIGKILL\)/);
    await assertConsistent(w, { allowIntent: true });
    forgetStores();
    child = await startNodeRedChild(cfg);
    try {
      const { count } = await child.run();
      assert.ok(count <= w.missing.length);
    } finally {
      await child.kill();
    }
    forgetStores(); // the child wrote the files: read them afresh
    record({ row: 'Node-RED full restart mid-run (SIGKILL)', service: 'Node-RED', outcome: 'killed while fetching a .torrent', error: '', rerun: await assertAllQueuedOnce(w, { interrupted: [cutOff] }) });
  });

  it('corrupt store file: a clear Store error and a backup copy, the file is not wiped', async () => {
    const file = join(w.dir, 'wanted.db');
    const garbage = '{"key":"series:kept#1","state":"queued"}\nthis is not json at all\n\u0000\u0000\u0000 binary junk }{\n';
    writeFileSync(file, garbage);
    await load();
    const error = await run().then(() => 'no error', (err: Error) => err.message);
    assert.match(error, /^Store: cannot read .*wanted\.db: .*a copy was saved as .*wanted\.db\.corrupt-/);
    const backups = readdirSync(w.dir).filter((f) => f.startsWith('wanted.db.corrupt-'));
    assert.equal(backups.length, 1, 'one backup');
    assert.equal(readFileSync(join(w.dir, backups[0]), 'utf8'), garbage, 'the backup is the original');
    assert.equal(readFileSync(file, 'utf8'), garbage, 'the store file itself was not wiped');
    assert.equal(w.mam.requests.length, 0, 'nothing searched with a broken store');
    rmSync(file); // the user's fix: remove the broken file (the backup stays), then redeploy
    await helper.setFlows(cfg.flow as never, 'full', cfg.credentials);
    await run();
    record({ row: 'corrupt store file', service: 'Store', outcome: 'stops at series-gaps, backup kept', error, rerun: await assertAllQueuedOnce(w) });
  });

  it('half-written store file (a crash mid-append): a clear error and a backup, never a silent drop', async () => {
    cfg = pipelineFlow(w, { absToken: w.abs.token, mamId: w.mamId, qbitPassword: q.password }, { maxPerRun: 2 });
    await load();
    assert.equal(await run(), 2);
    await helper.unload();
    forgetStores();
    const file = join(w.dir, 'downloads.db');
    const before = readFileSync(file, 'utf8');
    appendFileSync(file, '{"key":"series:half-written#9","phase":"intent","gap":{"key":"ser');
    cfg = pipelineFlow(w, { absToken: w.abs.token, mamId: w.mamId, qbitPassword: q.password });
    await load();
    const error = await run().then((n) => `no error (${n} queued)`, (err: Error) => err.message);
    const backups = readdirSync(w.dir).filter((f) => f.startsWith('downloads.db.corrupt-'));
    const kept = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const row = { row: 'half-written store file', service: 'Store', outcome: backups.length ? 'clear error, backup kept' : 'SILENT: line dropped, no backup', error, rerun: 'not reached' };
    try {
      assert.match(error, /^Store: cannot read .*downloads\.db/, 'a clear Store error');
      assert.equal(backups.length, 1, 'a backup of the half-written file');
      assert.equal(readFileSync(join(w.dir, backups[0]), 'utf8'), `${before}{"key":"series:half-written#9","phase":"intent","gap":{"key":"ser`, 'the backup is the file as it was');
      assert.ok(kept.startsWith(before.trimEnd().split('\n')[0]), 'the good records are still in the file');
      // The user's fix, as the error says: cut the half-written last line, then redeploy.
      writeFileSync(file, kept.slice(0, kept.lastIndexOf('\n') + 1));
      await helper.setFlows(cfg.flow as never, 'full', cfg.credentials);
      assert.equal(await run(), w.missing.length - 2, 'the re-run queues the books the first run left');
      row.rerun = await assertAllQueuedOnce(w);
    } finally {
      record(row);
    }
  });
});
