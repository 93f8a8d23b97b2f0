// `npm run demo`: the whole pipeline on one machine, no accounts needed. Starts the
// Audiobookshelf and MyAnonamouse simulators, a real qbittorrent-nox (when installed), and
// Node-RED (scripts/start.js) with the example flows configured against them, then reports
// progress from the store until Ctrl-C.
//   npm run demo                 interactive; http://127.0.0.1:1880 (PORT=… to change, PORT=0: any free one)
//   npm run demo -- --check      headless: exit 0 once a download is imported, 1 after 90 s
//   npm run demo -- --client transmission|deluge   the same with that real client instead of qBittorrent
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../test/helpers/qbittorrent';
import { CLIENT_COMMANDS, downloadsDir, hasCommand, startServices, type DemoServices } from './demo-services';
import { CLIENT_TYPES, serviceName } from '../lib/clients/ref';
import type { ClientType } from '../lib/types';
import { writeDemoFlow } from './demo-flow';
import { readStates, summary } from './demo-store';

const root = join(__dirname, '..');
const check = process.argv.includes('--check');
const clientArg = process.argv.includes('--client') ? process.argv[process.argv.indexOf('--client') + 1] : 'qbittorrent';
if (!CLIENT_TYPES.includes(clientArg as ClientType)) {
  console.error(`demo: --client must be one of ${CLIENT_TYPES.join(', ')} (got "${clientArg}")`);
  process.exit(2);
}
const client = clientArg as ClientType;
const clientName = serviceName(client);
const timeoutMs = Number(process.env.ABG_DEMO_TIMEOUT_MS || 90_000);
const demoDir = process.env.ABG_DEMO_DIR || join(root, '.tmp', 'node-red-demo');
const storeDir = join(demoDir, 'audiobook-gaps');
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const say = (text: string) => console.log(`[demo ${elapsed()}] ${text}`);

let services: DemoServices | undefined;
let nodeRed: ChildProcess | undefined;
let stopping: Promise<void> | undefined;

function stopNodeRed(): Promise<void> {
  const child = nodeRed;
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => { clearTimeout(hard); resolve(); });
    child.kill('SIGINT');
  });
}

function shutdown(code: number): Promise<void> {
  stopping ??= (async () => {
    say(`stopping Node-RED, ${clientName} and the simulators…`);
    await stopNodeRed();
    await services?.close();
    process.exit(code);
  })();
  return stopping;
}

async function waitForHttp(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (nodeRed && nodeRed.exitCode !== null) throw new Error(`Node-RED exited with code ${nodeRed.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${ms / 1000} s`);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  if (!existsSync(join(root, 'dist', 'nodes', 'abs-library', 'abs-library.js'))) throw new Error('dist/ is missing: run `npm run build` (npm run demo does it for you)');
  if (!hasCommand('mktorrent')) throw new Error('mktorrent is not installed: sudo apt-get install mktorrent');
  const lacking = CLIENT_COMMANDS[client].filter((cmd) => !hasCommand(cmd));
  const qbitInstalled = !lacking.length;
  if (!qbitInstalled) {
    const hint = `${lacking.join(' and ')} ${lacking.length > 1 ? 'are' : 'is'} not installed, so nothing can be downloaded: sudo apt-get install ${lacking.join(' ')}`;
    if (check) throw new Error(hint);
    say(`${hint}. Gaps and search results still show; queueing will fail.`);
  }

  // A fresh demo every time: the store, flows and downloads of the last run are removed.
  rmSync(demoDir, { recursive: true, force: true });
  mkdirSync(downloadsDir(demoDir), { recursive: true });
  services = await startServices(downloadsDir(demoDir), { qbit: qbitInstalled, client });
  const qbitUrl = services.qbit?.url ?? 'http://127.0.0.1:9';
  writeDemoFlow(demoDir, { absUrl: services.abs.url, mamUrl: services.mam.url, qbitUrl, downloads: downloadsDir(demoDir), client, clientPassword: services.qbit?.password });

  // PORT=0 (tests) or --check: a free port picked now, after qBittorrent took its own, so the two never race.
  const port = check || process.env.PORT === '0' ? String(await freePort()) : process.env.PORT || '1880';
  const log = join(demoDir, 'node-red.log');
  const out = check ? openSync(log, 'a') : 'inherit';
  nodeRed = spawn(process.execPath, [join(__dirname, 'start.js')], {
    stdio: ['ignore', out, out],
    env: { ...process.env, NODE_RED_USER_DIR: demoDir, NODE_RED_SETTINGS: join(__dirname, 'demo-settings.js'), PORT: port, AUDIOBOOK_GAPS_STORE: storeDir },
  });
  nodeRed.on('exit', (code) => { if (!stopping) { say(`Node-RED exited (${code}); see ${check ? log : 'above'}`); void shutdown(1); } });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/`, 30_000);

  const urls = [
    `Node-RED editor    ${base}/`,
    `Dashboard          ${base}/dashboard   (Series, Wanted, Downloads)`,
    `Audiobookshelf sim ${services.abs.url}   (API key ${'demo-abs-api-key'})`,
    `MyAnonamouse sim   ${services.mam.url}`,
    `${`${clientName} WebUI`.padEnd(18)} ${services.qbit ? `${services.qbit.url}   (${client === 'deluge' ? `password ${services.qbit.password}` : 'admin / demo-qbit-password'})` : `not running (apt-get install ${CLIENT_COMMANDS[client].join(' ')})`}`,
  ];
  say(`running:\n  ${urls.join('\n  ')}\n${check ? '' : '  Ctrl-C stops everything.\n'}`);

  let last = '';
  let firstImport: number | undefined;
  for (;;) {
    const states = readStates(storeDir);
    const text = summary(states);
    if (text !== last) { say(text); last = text; }
    if ((states.imported ?? 0) >= 1 && firstImport === undefined) {
      firstImport = Date.now() - started;
      say(`first import confirmed ${(firstImport / 1000).toFixed(1)} s after start`);
      if (check) return void shutdown(0);
    }
    if (check && Date.now() - started > timeoutMs) {
      const missing = [
        !states.total && 'no gaps in the store (abs-library / series-gaps did not run?)',
        !(states.queued || states.downloading || states.completed) && 'nothing queued (mam-search / the queue node)',
        !states.completed && `no completed download (${clientName})`,
        'no imported book (abs-import-watch)',
      ].filter(Boolean);
      console.error(`demo --check: no import after ${timeoutMs / 1000} s: ${missing.join('; ')}. Store: ${text}`);
      if (existsSync(log)) console.error(`--- last lines of ${log} ---\n${readFileSync(log, 'utf8').split('\n').slice(-40).join('\n')}`);
      return void shutdown(1);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

main().catch((err: unknown) => {
  console.error(`demo: ${err instanceof Error ? err.message : String(err)}`);
  void shutdown(1);
});
