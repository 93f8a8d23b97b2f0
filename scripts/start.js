// `npm start`: Node-RED on 127.0.0.1:1880 with a project-local user dir (.node-red-data),
// this package linked into it (so the palette has its nodes and Import → Examples its flows).
const { existsSync, mkdirSync, symlinkSync, writeFileSync, lstatSync } = require('node:fs');
const { join } = require('node:path');
const { spawn } = require('node:child_process');

const root = join(__dirname, '..');
const userDir = process.env.NODE_RED_USER_DIR || join(root, '.node-red-data');
const port = process.env.PORT || '1880';
const modules = join(userDir, 'node_modules');
const link = join(modules, 'node-red-contrib-audiobook-gaps');

mkdirSync(modules, { recursive: true });
if (!existsSync(join(userDir, 'package.json'))) {
  writeFileSync(join(userDir, 'package.json'), JSON.stringify({ name: 'node-red-project', private: true, dependencies: { 'node-red-contrib-audiobook-gaps': 'file:..' } }, null, 2));
}
let linked = false;
try { linked = lstatSync(link).isSymbolicLink(); } catch { /* not there yet */ }
if (!linked) symlinkSync(root, link, 'dir');
// The Dashboard 2.0 package is a dev dependency here; expose it to the example flows too.
const dash = join(root, 'node_modules', '@flowfuse', 'node-red-dashboard');
const dashLink = join(modules, '@flowfuse', 'node-red-dashboard');
if (existsSync(dash) && !existsSync(dashLink)) {
  mkdirSync(join(modules, '@flowfuse'), { recursive: true });
  symlinkSync(dash, dashLink, 'dir');
}

const settings = process.env.NODE_RED_SETTINGS || join(__dirname, 'settings.js');
// NODE_RED_HOME: another Node-RED install (as CI's Node-RED 5 pass uses), e.g. to try the editor on it.
const bin = process.env.NODE_RED_HOME ? join(process.env.NODE_RED_HOME, 'red.js') : require.resolve('node-red/red.js');
// V8 flags for the Node-RED process (NODE_RED_NODE_ARGS replaces them; NODE_OPTIONS does not
// accept this one). --optimize-for-size makes V8 collect garbage sooner instead of growing the
// heap: the nightly flow on a 10,000-book library peaks at about 150 MB instead of 210 MB
// (bench/node-red-rss.bench.ts, docs/benchmarks.md); the live heap is about 50 MB either way.
const nodeArgs = (process.env.NODE_RED_NODE_ARGS ?? '--optimize-for-size').split(/\s+/).filter(Boolean);
const child = spawn(process.execPath, [...nodeArgs, bin, '--userDir', userDir, '--settings', settings, '--port', port, ...process.argv.slice(2)], { stdio: 'inherit' });
const stop = () => child.kill('SIGINT');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code) => process.exit(code ?? 0));
