// Proves the published package works: `npm pack`, install the tarball into a fresh Node-RED
// user dir, start Node-RED on a free loopback port and check that every node type listed in
// package.json loaded without error. Run by .ci/run (`npm run check:pack`).
const { execFileSync, spawn } = require('node:child_process');
const { mkdtempSync, writeFileSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const root = join(__dirname, '..');
const pkg = require(join(root, 'package.json'));

function freePort() {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

async function waitForNodes(url, deadline) {
  for (;;) {
    try {
      const res = await fetch(`${url}/nodes`, { headers: { accept: 'application/json' } });
      if (res.ok) return await res.json();
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error('Node-RED did not start within 60 s');
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'abg-pack-'));
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
  const userDir = join(work, 'userdir');
  execFileSync('mkdir', ['-p', userDir]);
  writeFileSync(join(userDir, 'package.json'), JSON.stringify({ name: 'pack-check', private: true }));
  console.log(`installing ${tarball} into ${userDir}`);
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--omit=optional', join(work, tarball)], { cwd: userDir, stdio: 'inherit' });

  const port = await freePort();
  const red = spawn(process.execPath, [require.resolve('node-red/red.js'), '--userDir', userDir, '--port', String(port), '--settings', join(__dirname, 'settings.js')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_RED_FLOW_FILE: 'flows.json' } });
  let log = '';
  red.stdout.on('data', (d) => { log += d; });
  red.stderr.on('data', (d) => { log += d; });
  try {
    const sets = await waitForNodes(`http://127.0.0.1:${port}`, Date.now() + 60000);
    const ours = sets.filter((s) => s.module === pkg.name);
    const expected = Object.keys(pkg['node-red'].nodes);
    const problems = [];
    for (const name of expected) {
      const set = ours.find((s) => s.name === name);
      if (!set) problems.push(`${name}: not registered`);
      else if (set.err) problems.push(`${name}: ${set.err}`);
      else if (!set.enabled || !set.types.length) problems.push(`${name}: not enabled`);
    }
    if (problems.length) {
      console.error(log);
      throw new Error(`package check failed:\n  ${problems.join('\n  ')}`);
    }
    // The package's main entry (lib/index.ts) loads without Node-RED and exposes its API.
    const api = require(require.resolve(pkg.name, { paths: [userDir] }));
    const missing = ['AbsClient', 'readLibrary', 'findGaps', 'MamClient', 'rankTorrents', 'QbitAdapter', 'runQueue', 'pollOnce', 'WantedStore'].filter((k) => typeof api[k] !== 'function');
    if (missing.length) throw new Error(`package main is missing ${missing.join(', ')}`);
    // The editor scripts the nodes' .html load with <script src="resources/<package>/...">: shipped and served.
    const html = await (await fetch(`http://127.0.0.1:${port}/nodes`, { headers: { accept: 'text/html' } })).text();
    const scripts = [...new Set([...html.matchAll(/<script[^>]* src="(resources\/[^"]+)"/g)].map((m) => m[1]))];
    for (const src of scripts) {
      const res = await fetch(`http://127.0.0.1:${port}/${src}`);
      if (!res.ok || !/javascript/.test(res.headers.get('content-type') ?? '')) throw new Error(`${src}: ${res.status} ${res.headers.get('content-type')}`);
    }
    if (!scripts.length) throw new Error('no editor script under resources/ is loaded by any node');
    const types = ours.flatMap((s) => s.types);
    console.log(`packed package loads in Node-RED: ${expected.length} node files, types ${types.join(', ')}; main exports ${Object.keys(api).length} names; editor scripts served: ${scripts.join(', ')}`);
  } finally {
    red.kill('SIGINT');
    await new Promise((r) => red.on('exit', r));
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => { console.error(err.message); process.exit(1); });
