// Fault matrix, deploy rows: a flow with EVERY node that opens a store (gap-store, mam-account,
// series-gaps, mam-search, qbit-queue, abs-import-watch) deployed on a broken store file, in a
// Node-RED child process. The deploy must show the error (red badge, node.error), Node-RED must
// stay up, a restart loop must not pile up aside copies, and after the fix the flow works.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/qbittorrent';
import { tempStoreDir } from '../helpers/node-red';
import { printMatrixAtEnd, record } from './matrix';

printMatrixAtEnd();

type Event = { type: 'ready' } | { type: 'msg'; node: string; payload?: unknown; error?: string; status?: { fill?: string; text?: string; source?: { id?: string } } } | { type: 'probe'; errors: string[]; statuses: Record<string, { fill?: string; text?: string }[]> };

interface Child { events: Event[]; proc: ChildProcess; wait(pick: (e: Event) => boolean, from?: number): Promise<Event>; send(m: object): void; stop(): Promise<void> }

async function startChild(cfg: object): Promise<Child> {
  const file = join(mkdtempSync(join(tmpdir(), 'abg-deploy-')), 'flow.json');
  writeFileSync(file, JSON.stringify(cfg));
  const proc = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'store-deploy-child.ts'), file], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const events: Event[] = [];
  let stderr = '';
  proc.stderr?.on('data', (b: Buffer) => { stderr += b.toString(); });
  const waiters = new Set<() => void>();
  proc.on('message', (m: Event) => { events.push(m); waiters.forEach((w) => w()); });
  proc.on('exit', () => waiters.forEach((w) => w()));
  const wait = (pick: (e: Event) => boolean, from = 0) => new Promise<Event>((resolve, reject) => {
    const timer = setTimeout(() => { waiters.delete(check); reject(new Error('Node-RED child: nothing after 20 s')); }, 20_000);
    const check = () => {
      const hit = events.slice(from).find(pick);
      if (!hit && proc.exitCode === null && proc.signalCode === null) return;
      clearTimeout(timer);
      waiters.delete(check);
      if (hit) resolve(hit); else reject(new Error(`Node-RED exited (${proc.exitCode ?? proc.signalCode}): ${stderr.split('\n').filter(Boolean).slice(-3).join(' | ')}`));
    };
    waiters.add(check);
    check();
  });
  const child: Child = {
    events, proc, wait,
    send: (m) => proc.send(m),
    stop: () => new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    }),
  };
  await wait((e) => e.type === 'ready');
  return child;
}

describe('fault matrix: broken store file at deploy', function () {
  this.timeout(60_000);
  let dead: string;
  before(async () => { dead = `http://127.0.0.1:${await freePort()}`; });

  const flowFor = (dir: string) => ({
    settings: { audiobookGaps: { storeDir: dir, mamMinIntervalMs: 1 } },
    credentials: { abs: { token: 'deploy-test-abs-key' }, qb: { username: 'admin', password: 'deploy-test-pass' }, mam: { mamId: 'deploy-test-mam-id' } },
    flow: [
      { id: 'tab', type: 'tab', label: 'store deploy' },
      { id: 'abs', type: 'abs-server', url: dead, timeout: 1 },
      { id: 'qb', type: 'qbit-server', url: dead, timeout: 1 },
      { id: 'mam', type: 'mam-account', url: dead, languages: 'ENG' },
      { id: 'store', z: 'tab', type: 'gap-store', action: 'list', hideResolved: false, wires: [['rows']] },
      { id: 'store2', z: 'tab', type: 'gap-store', action: 'list', hideResolved: true, wires: [['rows']] },
      { id: 'gaps', z: 'tab', type: 'series-gaps', providers: 'audible', region: 'us', persist: true, wires: [[]] },
      { id: 'search', z: 'tab', type: 'mam-search', account: 'mam', wires: [[], []] },
      { id: 'queue', z: 'tab', type: 'qbit-queue', server: 'qb', mam: 'mam', category: 'audiobooks', dryRun: true, wires: [[]] },
      { id: 'watch', z: 'tab', type: 'abs-import-watch', server: 'qb', abs: 'abs', live: false, wires: [[]] },
      { id: 'status-all', z: 'tab', type: 'status', scope: null, wires: [['statuses']] },
      { id: 'catch-all', z: 'tab', type: 'catch', scope: null, uncaught: false, wires: [['caught']] },
      { id: 'rows', z: 'tab', type: 'helper' },
      { id: 'statuses', z: 'tab', type: 'helper' },
      { id: 'caught', z: 'tab', type: 'helper' },
    ],
  });

  /** Deploys on the broken file: returns what the user sees, and proves the process is still up. */
  async function deployBroken(dir: string, reporter: string): Promise<{ errors: string[]; badge?: string; caught: string }> {
    const child = await startChild(flowFor(dir));
    try {
      const probe = async () => {
        const from = child.events.length;
        child.send({ type: 'probe' });
        return (await child.wait((e) => e.type === 'probe', from)) as Extract<Event, { type: 'probe' }>;
      };
      // The deploy-time open fails asynchronously: ask until the reporting node has logged it.
      let seen = await probe();
      for (let i = 0; i < 200 && !seen.errors.some((e) => e.startsWith(`${reporter}:`)); i++) {
        await new Promise((r) => setTimeout(r, 50));
        seen = await probe();
      }
      // A gap-store trigger opens the store again: its error arrives through Catch.
      const from = child.events.length;
      child.send({ type: 'input', id: 'store', msg: {} });
      const caught = (await child.wait((e) => e.type === 'msg' && e.node === 'caught', from)) as { error?: string };
      const last = await probe();
      assert.equal(child.proc.exitCode, null, 'Node-RED is still running');
      const badge = seen.statuses.store?.find((st) => st.fill === 'red')?.text;
      return { errors: last.errors, badge, caught: caught.error ?? '' };
    } finally {
      await child.stop();
    }
  }

  async function afterFix(dir: string): Promise<number> {
    const child = await startChild(flowFor(dir));
    try {
      child.send({ type: 'input', id: 'store', msg: {} });
      const out = (await child.wait((e) => e.type === 'msg' && (e.node === 'rows' || e.node === 'caught'))) as { node: string; payload?: unknown; error?: string };
      assert.equal(out.node, 'rows', `gap-store works after the fix: ${out.error ?? ''}`);
      return out.payload as number;
    } finally {
      await child.stop();
    }
  }

  const asideCopies = (dir: string, file: string) => readdirSync(dir).filter((f) => f.startsWith(`${file}.corrupt-`)).length;

  for (const spec of [
    { row: 'corrupt store file at deploy (gap-store ×2 + every store node), restarted', file: 'wanted.db', content: '{"key":"series:kept#1","state":"queued"}\nthis is not json at all\n{"key":"series:kept#2"}\n', restarts: 2, reporter: 'gap-store' },
    { row: 'half-written store file at deploy (gap-store opens the ledger)', file: 'downloads.db', content: '{"key":"series:a#1","phase":"added"}\n{"key":"series:half#9","phase":"inte', restarts: 1, reporter: 'gap-store' },
    { row: "corrupt state file at deploy (mam-account's cookie store)", file: 'state.db', content: 'garbage\n{"kind":"x"}\n', restarts: 1, reporter: 'mam-account' },
  ]) {
    it(`${spec.row}: deploys, shows the error, Node-RED stays up; one aside copy`, async () => {
      const dir = tempStoreDir('abg-deploy-store-');
      writeFileSync(join(dir, spec.file), spec.content);
      const row = { row: spec.row, service: 'Store', outcome: 'FAILED', error: '', rerun: 'not reached' };
      try {
        let seen: Awaited<ReturnType<typeof deployBroken>> | undefined;
        for (let i = 0; i < spec.restarts; i++) seen = await deployBroken(dir, spec.reporter);
        const { errors, badge, caught } = seen!;
        const own = errors.filter((e) => e.startsWith(`${spec.reporter}:`));
        assert.ok(own.some((e) => e.includes(`Store: cannot read ${join(dir, spec.file)}`)), `node.error at deploy: ${errors.join(' / ')}`);
        if (spec.reporter === 'gap-store') {
          assert.match(String(badge), /^cannot read/, 'red badge on gap-store');
          assert.match(caught, new RegExp(`^Store: cannot read .*${spec.file.replace('.', '\\.')}`), 'a trigger reports it too');
        }
        assert.equal(asideCopies(dir, spec.file), 1, `one aside copy after ${spec.restarts} start(s)`);
        row.outcome = `deploys, ${spec.reporter === 'gap-store' ? 'red badge + ' : ''}node.error, process up (${spec.restarts} start${spec.restarts > 1 ? 's' : ''}, 1 aside copy)`;
        row.error = own[0] ?? '';
        rmSync(join(dir, spec.file)); // the user's fix: the broken file goes (its copy stays)
        const rows = await afterFix(dir);
        row.rerun = `after the fix gap-store lists ${rows} rows`;
      } finally {
        record(row);
      }
    });
  }
});
