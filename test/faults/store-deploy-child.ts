// Node-RED (node-red-node-test-helper on the real runtime) with every node of the package that
// opens a store, in a child process, so a deploy that crashes the process is seen as a crash
// and not as a failed test. No handler for unhandled rejections is installed here: as in
// Node-RED itself, one ends the process.
//   node --import tsx test/faults/store-deploy-child.ts <flow.json>  ({ flow, credentials, settings })
// IPC in:  { type: 'input', id, msg } → node.receive(msg); { type: 'probe' } → { type: 'probe', errors, statuses }
// IPC out: { type: 'ready' } | { type: 'msg', node, payload?, error?, status? } | { type: 'probe', errors: string[] }
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { helper } from '../helpers/node-red';
import { ROOT } from '../examples/runtime';

type Emitter = NodeJS.EventEmitter & { receive(msg: object): void };
const send = (m: object) => process.send?.(m);

async function main(): Promise<void> {
  const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8')) as { flow: { id: string; type: string }[]; credentials: Record<string, unknown>; settings: object };
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } };
  const ours = Object.values(pkg['node-red'].nodes).map((p) => require(join(ROOT, p.replace(/^dist\//, '').replace(/\.js$/, '.ts'))));
  const home = process.env.NODE_RED_HOME;
  const core = ['25-catch.js', '25-status.js'].map((f) => require(require.resolve(`@node-red/nodes/core/common/${f}`, home ? { paths: [home] } : undefined)));
  helper.settings(cfg.settings as Parameters<typeof helper.settings>[0]);
  await helper.load([...core, ...ours], cfg.flow as never, cfg.credentials as never);
  for (const n of cfg.flow.filter((f) => f.type === 'helper')) {
    (helper.getNode(n.id) as unknown as NodeJS.EventEmitter).on('input', (m: { payload?: unknown; error?: { message?: string }; status?: unknown }) =>
      send({ type: 'msg', node: n.id, payload: Array.isArray(m.payload) ? m.payload.length : m.payload, error: m.error?.message, status: m.status }));
  }
  process.on('message', (m: { type?: string; id?: string; msg?: object }) => {
    if (m.type === 'input' && m.id) (helper.getNode(m.id) as unknown as Emitter).receive(m.msg ?? {});
    if (m.type === 'probe') {
      const logged = (helper.log() as unknown as { args: { level: number; msg: unknown; type?: string }[][] }).args.map((a) => a[0]);
      // The helper spies on every node's status(): the badges each node showed, in order.
      const statuses = Object.fromEntries(cfg.flow.map((n) => [n.id, ((helper.getNode(n.id) as unknown as { status?: { args?: unknown[][] } } | null)?.status?.args ?? []).map((a) => a[0])]));
      send({ type: 'probe', errors: logged.filter((l) => l.level <= 20).map((l) => `${l.type}: ${String(l.msg)}`), statuses });
    }
  });
  send({ type: 'ready' });
}

main().catch((err: Error) => {
  send({ type: 'msg', node: 'child', error: `child failed to start: ${err.message}` });
  process.exit(1);
});
