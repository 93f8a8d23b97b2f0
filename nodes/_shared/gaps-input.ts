// The Gap[] a search node (mam-search, indexer-search) takes: anything else is a wiring mistake
// worth a clear error naming the node and what it expects.
import type { Gap } from '../../lib/types';

export function readGaps(node: string, payload: unknown, expected: string): Gap[] {
  if (!Array.isArray(payload)) throw new Error(`${node}: msg.payload must be an array of gaps (${expected})`);
  payload.forEach((g: unknown, i) => {
    const gap = g as Partial<Gap> | null;
    if (!gap || typeof gap.key !== 'string' || !Array.isArray(gap.authors)) {
      throw new Error(`${node}: msg.payload[${i}] is not a gap (needs "key" and "authors")`);
    }
  });
  return payload as Gap[];
}
