// What the pipeline-wide secret scans read from a loaded Node-RED flow (test/faults/flow.ts's
// pipeline): the messages of one run, and everything the nodes show and keep afterwards.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { helper } from '../helpers/node-red';
import { IDS } from '../faults/flow';

export type Spy = { args: unknown[][] };
export type Spied = NodeJS.EventEmitter & { receive(m: object): void; status: Spy; warn: Spy; error: Spy; log: Spy };

/** Triggers abs-library once and notes every message into the pipeline's nodes until the run ends (output or Catch). */
export function runPipelineOnce(label: string, note: (where: string, value: unknown) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    // Node-RED keeps 'input' callbacks of its nodes outside the EventEmitter (off() does not
    // remove them), so each listener stops noting once its run is over.
    let active = true;
    const finish = () => setTimeout(() => { active = false; resolve(); }, 100);
    for (const id of [IDS.library, IDS.gaps, IDS.search, IDS.queue, IDS.out, IDS.notFound, IDS.caught]) {
      helper.getNode(id).on('input', (msg: unknown) => {
        if (!active) return;
        note(`${label}: message into ${id}`, msg);
        if (id === IDS.out || id === IDS.caught) finish();
      });
    }
    (helper.getNode(IDS.library) as unknown as Spied).receive({ payload: 'go', topic: label });
  });
}

/** What the nodes show and keep right now: statuses, node and runtime logs, the exported flow, the store files. */
export function collectFlowState(nodeIds: string[], storeDir: string): Record<string, string> {
  const state: Record<string, string> = {};
  const put = (where: string, value: unknown) => { state[where] = JSON.stringify(value, (_k, v) => (v instanceof Error ? { message: v.message, stack: v.stack } : v)); };
  for (const id of nodeIds) {
    const node = helper.getNode(id) as unknown as Spied | null;
    if (!node?.status) continue;
    put(`status of ${id}`, node.status.args);
    put(`node.warn/error/log of ${id}`, [node.warn.args, node.error.args, node.log.args]);
  }
  put('RED.log', (helper.log() as unknown as Spy).args);
  // What GET /flows (and so the editor's Export) gives: the runtime's active flow config.
  state['exported flow (runtime getFlows)'] = JSON.stringify((helper as unknown as { _redNodes: { getFlows(): unknown } })._redNodes.getFlows());
  for (const file of readdirSync(storeDir)) state[`store file ${file}`] = readFileSync(join(storeDir, file), 'utf8');
  return state;
}
