// A node that opens its store when deployed: a broken store file (corrupt, half-written) is
// reported as a red badge and node.error, never left as an unhandled rejection (that ends the
// Node-RED process, and under systemd or Docker starts a restart loop).
import type { Node } from 'node-red';
import { errorMessage } from '../../lib/errors';
import { redact } from '../../lib/secrets';
import { status, type StatusTarget } from './status';

/**
 * Starts `open` now and returns a getter for its result. A failed open is reported once and
 * tried again by the next caller (the user may have fixed the file); that caller's own error
 * handling (done(err)) reports the retry.
 */
export function storeAtDeploy<T>(node: Pick<Node, 'error'> & StatusTarget, open: () => Promise<T>): () => Promise<T> {
  let ready: Promise<T> | undefined;
  const attempt = (report: boolean): Promise<T> => {
    const p = open();
    ready = p;
    p.catch((err: unknown) => {
      if (ready === p) ready = undefined;
      if (!report) return;
      status.error(node, err);
      node.error(redact(errorMessage(err)));
    });
    return p;
  };
  attempt(true);
  return () => ready ?? attempt(false);
}
