// Status badges: Node-RED shows short text best; we keep it under 20 characters and never
// put a secret in it (errors pass through redact()).
import { redact } from '../../lib/secrets';

export interface StatusTarget {
  status(s: { fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey'; shape?: 'ring' | 'dot'; text?: string } | Record<string, never>): void;
}

export function shortText(text: string, max = 19): string {
  const clean = redact(text).replace(/\s+/g, ' ').trim();
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}

export const status = {
  busy: (node: StatusTarget, text: string) => node.status({ fill: 'blue', shape: 'ring', text: shortText(text) }),
  ok: (node: StatusTarget, text: string) => node.status({ fill: 'green', shape: 'dot', text: shortText(text) }),
  warn: (node: StatusTarget, text: string) => node.status({ fill: 'yellow', shape: 'ring', text: shortText(text) }),
  error: (node: StatusTarget, err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    // "Audiobookshelf: rejected…" is too long for a badge; keep what follows the service name.
    node.status({ fill: 'red', shape: 'dot', text: shortText(message.replace(/^[A-Za-z]+: /, '')) });
  },
  clear: (node: StatusTarget) => node.status({}),
};

/** "1,284" */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}
