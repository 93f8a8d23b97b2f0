// Peak RSS of the whole Node-RED process as a user runs it: `npm start`'s runtime
// (scripts/start.js → node-red/red.js, our COMPILED dist/, no TypeScript loader) with the
// nightly example flow (examples/01-nightly-pipeline.json, its own settings: library-only
// gaps, 30 searches and 10 downloads per run) against a 10,000-book library on the ABS
// simulator, the MAM simulator and a real qbittorrent-nox (dry run without it). The nightly
// trigger fires 2 s after start; RSS of the Node-RED process (start.js's child) is sampled
// every 20 ms from /proc until the run has queued its downloads. Not a pass/fail test.
// Run: npm run build && npm run bench node-red-rss   (BENCH_SERIES=400 for a quick look;
//      NODE_RED_NODE_ARGS=' ' for no V8 flag, or other flags, on the Node-RED process;
//      BENCH_NODE_OPTIONS for NODE_OPTIONS, e.g. '--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=/tmp/snap'
//      with BENCH_SNAPSHOT_DIR=/tmp/snap takes a heap snapshot after each run)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAbsSim } from '../test/sim/abs-sim';
import { mamRow, startMamSim } from '../test/sim/mam-sim';
import { fakeTorrent, freePort, startQbittorrent, type QbitInstance } from '../test/helpers/qbittorrent';
import { readStates, summary } from '../scripts/demo-store';

const SERIES = Number(process.env.BENCH_SERIES ?? 2000);
const OWNED = 5;
const root = join(__dirname, '..');
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const SECRETS = { abs: 'rss-bench-abs-token', mam: 'rss-bench-mam-id', qbitUser: 'admin' };

type FlowNode = Record<string, unknown> & { id: string; type: string; wires?: string[][] };

function procStatus(pid: number, field: string): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(field));
    return Number(/(\d+) kB/.exec(line ?? '')?.[1] ?? 0) * 1024;
  } catch { return 0; }
}

function childOf(pid: number): number | undefined {
  try { return Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]) || undefined; } catch { return undefined; }
}

async function main(): Promise<void> {
  if (!existsSync(join(root, 'dist', 'nodes', 'abs-library', 'abs-library.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const hasQbit = spawnSync('qbittorrent-nox', ['--version'], { stdio: 'ignore' }).status === 0;
  const qbit: QbitInstance | undefined = hasQbit ? await startQbittorrent() : undefined;
  const abs = await startAbsSim({ token: SECRETS.abs });
  const mam = await startMamSim({ mamId: SECRETS.mam });
  const libraryId = abs.libraryIds.generated;
  let holes = 0;
  for (let s = 0; s < SERIES; s++) {
    const name = `Bench Saga ${s}`;
    const author = `Writer ${String.fromCharCode(65 + (s % 26))} Number${s}`;
    const hole = s % 8 === 0; // every 8th series lacks its book 3: a hole the library alone shows
    for (let i = 1; i <= OWNED + (hole ? 1 : 0); i++) {
      const title = `Chronicle ${s} Volume ${i}`;
      if (hole && i === 3) {
        const id = 100_000 + s;
        mam.addTorrent(id, fakeTorrent(`rss-${s}-${i}`), mamRow({ id, title, authors: [author], series: [[name, String(i)]], size: '400.0 MiB' }));
        holes++;
      } else {
        abs.addItem({ title, authors: [author], series: [{ name, sequence: String(i) }], asin: `B${String(s).padStart(6, '0')}${String(i).padStart(3, '0')}`, addedAt: 1_600_000_000_000 + s * 10 + i }, { libraryId });
      }
    }
  }
  const owned = abs.state.items.length;

  // The nightly example as a user imports it; only the URLs, the credentials and the trigger time change.
  const userDir = mkdtempSync(join(tmpdir(), 'abg-bench-rss-'));
  const storeDir = join(userDir, 'audiobook-gaps');
  const downloads = qbit?.downloads ?? join(userDir, 'downloads');
  mkdirSync(downloads, { recursive: true });
  const flows = JSON.parse(readFileSync(join(root, 'examples', '01-nightly-pipeline.json'), 'utf8')) as FlowNode[];
  const one = (type: string) => flows.find((n) => n.type === type) as FlowNode;
  one('abs-server').url = abs.url;
  one('mam-account').url = mam.url;
  one('qbit-server').url = qbit?.url ?? 'http://127.0.0.1:9';
  Object.assign(one('qbit-queue'), { savePath: downloads, dryRun: !qbit });
  for (const n of flows.filter((x) => x.type === 'inject' && x.crontab)) Object.assign(n, { once: true, onceDelay: 2 });
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify(flows));
  writeFileSync(join(userDir, 'flows_cred.json'), JSON.stringify({
    [one('abs-server').id]: { token: SECRETS.abs },
    [one('mam-account').id]: { mamId: SECRETS.mam },
    [one('qbit-server').id]: { username: qbit?.username ?? 'admin', password: qbit?.password ?? 'x' },
  }));

  console.log(`Node-RED RSS bench: npm start's runtime (scripts/start.js, compiled dist/), the nightly example, ${owned} books in ${SERIES + 1} series, ${holes} holes with a MAM result, qBittorrent: ${qbit ? 'real qbittorrent-nox' : 'dry run (not installed)'}`);
  console.log(`  Node-RED's node flags: ${process.env.NODE_RED_NODE_ARGS === undefined ? "scripts/start.js's default (--optimize-for-size)" : `NODE_RED_NODE_ARGS="${process.env.NODE_RED_NODE_ARGS}"`}`);
  const port = String(await freePort());
  const started = performance.now();
  const start = spawn(process.execPath, [join(root, 'scripts', 'start.js')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env, NODE_RED_USER_DIR: userDir, NODE_RED_SETTINGS: join(root, 'scripts', 'demo-settings.js'), PORT: port,
      AUDIOBOOK_GAPS_STORE: storeDir, ABG_DEMO_MAM_INTERVAL_MS: '0', ABG_DEMO_LOG_LEVEL: 'warn',
      NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '',
    },
  });
  let pid: number | undefined;
  let peak = 0;
  let idle = 0;
  const sampler = setInterval(() => {
    pid ??= childOf(start.pid as number);
    if (pid) peak = Math.max(peak, procStatus(pid, 'VmRSS:'));
  }, 20);
  const cap = Math.min(10, holes);
  const nightly = flows.find((x) => x.type === 'inject' && x.crontab) as FlowNode;
  async function untilQueued(want: number): Promise<string> {
    const deadline = Date.now() + 300_000;
    let last = '';
    let quietSince = Date.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      if (start.exitCode !== null) throw new Error(`Node-RED exited (${start.exitCode})`);
      const states = readStates(storeDir);
      const text = summary(states);
      if (text !== last) { last = text; quietSince = Date.now(); }
      if ((states.queued ?? 0) + (states.downloading ?? 0) + (states.completed ?? 0) >= want && Date.now() - quietSince > 2000) return last;
      if (Date.now() > deadline) throw new Error(`no ${want} queued after 300 s: ${text}`);
    }
  }
  try {
    for (const [label, want] of [['first run (Node-RED start included)', cap], ['second run (the inject button)', Math.min(2 * cap, holes)]] as const) {
      const t0 = performance.now();
      const before = { mam: mam.searches().length, abs: abs.requests.length };
      // The editor's inject button: POST /inject/<id> on the admin API.
      if (want > cap) {
        const inject = () => fetch(`http://127.0.0.1:${port}/inject/${nightly.id}`, { method: 'POST' });
        await inject().catch(() => new Promise((r) => setTimeout(r, 1000)).then(inject));
      }
      const last = await untilQueued(want);
      const wall = (performance.now() - (want > cap ? t0 : started)) / 1000;
      idle = pid ? procStatus(pid, 'VmRSS:') : 0;
      const hwm = pid ? procStatus(pid, 'VmHWM:') : 0;
      console.log(`  ${label}: ${wall.toFixed(1)} s to ${want} queued in all; ${mam.searches().length - before.mam} MAM searches, ${abs.requests.length - before.abs} ABS requests`);
      console.log(`    store: ${last}`);
      if (process.env.BENCH_SNAPSHOT_DIR && pid) {
        // With BENCH_NODE_OPTIONS='--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=<dir>': a heap snapshot after each run.
        process.kill(pid, 'SIGUSR2');
        await new Promise((r) => setTimeout(r, 15_000));
      }
      console.log(`    Node-RED process peak RSS so far ${mb(Math.max(peak, hwm))} (sampled ${mb(peak)}, kernel VmHWM ${mb(hwm)}); now ${mb(idle)}; budget 200 MB${Math.max(peak, hwm) > 200 * 1024 * 1024 ? ' — OVER' : ''}`);
    }
  } finally {
    clearInterval(sampler);
    await new Promise<void>((resolve) => {
      if (start.exitCode !== null) return resolve();
      start.once('exit', () => resolve());
      start.kill('SIGINT');
    });
    await Promise.all([abs.close(), mam.close(), qbit?.close()]);
  }
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
