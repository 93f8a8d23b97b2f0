// Node-RED with our nodes in a child process (node-red-node-test-helper on the real runtime),
// so a test can SIGKILL it mid-run (a real crash) and the benchmark can measure its RSS.
//   node --import tsx test/faults/node-red-child.ts <flow.json>   (flow.json = PipelineFlow)
// IPC in:  { type: 'trigger' } → one message into abs-library.
// IPC out: { type: 'ready' } | { type: 'stage', node, ms, cpuMs, size } | { type: 'out', count } | { type: 'error', message }
import { readFileSync } from 'node:fs';
import { helper } from '../helpers/node-red';
import { IDS, nodeTypes, type PipelineFlow } from './flow';

type Emitter = NodeJS.EventEmitter & { receive(msg: object): void };

const send = (m: object) => process.send?.(m);

async function main(): Promise<void> {
  const cfg = JSON.parse(readFileSync(process.argv[2], 'utf8')) as PipelineFlow;
  helper.settings(cfg.settings as Parameters<typeof helper.settings>[0]);
  await helper.load(nodeTypes(), cfg.flow as never, cfg.credentials);
  // Stage timing: from a node's input to the next node's input (wall and this process's CPU).
  const order = [IDS.library, IDS.gaps, IDS.search, IDS.queue, IDS.out];
  let mark = { at: performance.now(), cpu: process.cpuUsage() };
  order.forEach((id, i) => {
    (helper.getNode(id) as unknown as NodeJS.EventEmitter).on('input', (msg: { payload?: unknown }) => {
      if (i > 0) {
        const cpu = process.cpuUsage(mark.cpu);
        send({ type: 'stage', node: order[i - 1], ms: performance.now() - mark.at, cpuMs: (cpu.user + cpu.system) / 1000, size: Array.isArray(msg.payload) ? msg.payload.length : 0 });
      }
      mark = { at: performance.now(), cpu: process.cpuUsage() };
      if (id === IDS.out) send({ type: 'out', count: Array.isArray(msg.payload) ? msg.payload.length : 0 });
    });
  });
  (helper.getNode(IDS.caught) as unknown as NodeJS.EventEmitter).on('input', (msg: { error?: { message?: string } }) => send({ type: 'error', message: msg.error?.message ?? 'unknown' }));
  process.on('message', (m: { type?: string }) => {
    if (m.type === 'trigger') (helper.getNode(IDS.library) as unknown as Emitter).receive({ payload: 'go' });
  });
  send({ type: 'ready' });
}

main().catch((err: Error) => {
  send({ type: 'error', message: `child failed to start: ${err.message}` });
  process.exit(1);
});
