// What the two search nodes (mam-search, indexer-search) do alike around their run: one run at
// a time per lane, and the two outputs with the run's counts.
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { redact } from '../../lib/secrets';
import { status } from './status';

/**
 * A queue per key (a mam-account, an indexer server pair): a second trigger, of this node or
 * another on the same key, waits for the first, so it finds the first one's cache and back-off
 * records instead of searching the same books again, and the two never share out one per-run
 * cap between them. Each node type keeps its own lanes.
 */
export function runLanes(): (key: string, task: () => Promise<void>) => void {
  const running = new Map<string, Promise<void>>();
  return (key, task) => {
    const next = (running.get(key) ?? Promise.resolve()).then(task).catch(() => undefined);
    running.set(key, next);
    void next.then(() => { if (running.get(key) === next) running.delete(key); });
  };
}

export interface SearchOutcome<S extends { stoppedBy?: string }> {
  candidates: { gap: { key: string } }[];
  notFound: unknown[];
  stats: S;
}

/**
 * Output 1: the candidates (on a shallow copy of msg), output 2: the not-found list (on a deep
 * clone, so the two branches of a flow never share an object), each with
 * the counts and the number of books found under `statsKey`. A run stopped early warns with
 * `stopped` and the reason and shows `<n> found, <stoppedStatus>`; else `<n> of <m> found`.
 */
export function sendSearchOutcome<S extends { stoppedBy?: string }>(
  RED: NodeAPI, node: Node, msg: NodeMessage, send: (m: (NodeMessage | null)[]) => void,
  outcome: SearchOutcome<S>, how: { statsKey: string; stopped: string; stoppedStatus: string },
): void {
  const found = new Set(outcome.candidates.map((c) => c.gap.key)).size;
  const stats = { ...outcome.stats, found, notFound: outcome.notFound.length };
  const out1 = { ...msg, payload: outcome.candidates, [how.statsKey]: stats } as NodeMessage;
  const out2 = { ...RED.util.cloneMessage(msg), payload: outcome.notFound, [how.statsKey]: stats } as NodeMessage;
  if (outcome.stats.stoppedBy) {
    node.warn(redact(`${how.stopped}${outcome.stats.stoppedBy}`));
    status.warn(node, `${found} found, ${how.stoppedStatus}`);
  } else status.ok(node, `${found} of ${found + outcome.notFound.length} found`);
  send([out1, out2]);
}
