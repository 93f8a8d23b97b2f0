// What loading an example flow in node-red-node-test-helper needs: this package's nodes (from
// their TypeScript sources, so no build), the Dashboard 2.0 nodes, and the core nodes the
// examples use, from the runtime in use (the dev dependency, or NODE_RED_HOME's for Node-RED 5).
import { dirname, join } from 'node:path';
import { readFileSync, readdirSync, statSync } from 'node:fs';

export type FlowNode = Record<string, unknown> & { id: string; type: string; z?: string; wires?: string[][] };

export const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } };
const dashDir = dirname(require.resolve('@flowfuse/node-red-dashboard/package.json'));
const dashPkg = JSON.parse(readFileSync(join(dashDir, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } };

export const ourTypes = Object.keys(pkg['node-red'].nodes);
export const dashTypes = Object.keys(dashPkg['node-red'].nodes);
export const CORE = ['tab', 'comment', 'inject', 'debug', 'function', 'change', 'switch', 'catch', 'status', 'link in', 'link out', 'http request'];

const ourModules = Object.values(pkg['node-red'].nodes).map((p) => require(join(ROOT, p.replace(/^dist\//, '').replace(/\.js$/, '.ts'))));
const dashModules = Object.values(dashPkg['node-red'].nodes).map((p) => require(join(dashDir, p)));
const runtimeDir = process.env.NODE_RED_HOME ?? dirname(require.resolve('node-red/package.json'));
const coreDir = join(dirname(require.resolve('@node-red/nodes/package.json', { paths: [runtimeDir] })), 'core');
const coreModules = ['common/20-inject.js', 'common/21-debug.js', 'common/25-catch.js', 'common/25-status.js', 'common/60-link.js', 'common/90-comment.js', 'function/10-function.js', 'function/10-switch.js', 'function/15-change.js', 'network/21-httprequest.js']
  .map((p) => require(join(coreDir, p)));

/** Every node module an example may use, for helper.load(). */
export const allModules = (): unknown[] => [...coreModules, ...ourModules, ...dashModules];

export function exampleFiles(dir = join(ROOT, 'examples')): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? exampleFiles(path) : name.endsWith('.json') ? [path] : [];
  });
}

export const readFlow = (file: string): FlowNode[] => JSON.parse(readFileSync(file, 'utf8')) as FlowNode[];

/** Every example, as a user imports them all into one Node-RED: one list of nodes. */
export const allExamples = (): FlowNode[] => exampleFiles().flatMap(readFlow);
