// abs-library: on any input, reads every book of one Audiobookshelf library (or all book
// libraries) and sends msg.payload = Book[] (lib/types.ts). Nothing is sent on an error.
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import type { AbsClient } from '../../lib/abs/client';
import { readLibrary } from '../../lib/abs/library-reader';
import { count, status } from '../_shared/status';
import { ConfigError, credentialsOf, reportError, reportMissing } from '../_shared/report';

interface AbsLibraryDef extends NodeDef {
  server: string;
  /** A library id, or "" / "_all" for every book library. */
  library: string;
  pageSize: number | string;
  property: string;
  /** Keep books whose files ABS reports missing (default: left out, they are not owned). */
  keepMissing?: boolean;
}

const ALL = '_all';

export = function (RED: NodeAPI) {
  function AbsLibrary(this: Node, config: AbsLibraryDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const server = RED.nodes.getNode(config.server) as unknown as { client?: AbsClient } | null;
    const pageSize = Math.max(1, Math.min(1000, Math.floor(Number(config.pageSize)) || 200));
    const property = config.property?.trim() || 'payload';
    const libraryIds = !config.library || config.library === ALL ? 'all' as const : [config.library];
    const closing = new AbortController();
    // One read at a time: a second trigger waits for the first instead of doubling the load.
    let queue: Promise<void> = Promise.resolve();
    const warned = new Set<string>();

    const missing = !server?.client
      ? new ConfigError('no ABS server', 'abs-library: choose an abs-server (Audiobookshelf URL and API key)')
      : !credentialsOf(RED, config.server).token ? new ConfigError('no ABS API key', 'abs-library: the abs-server has no API key: paste one from Audiobookshelf → Settings → Users → API keys') : undefined;
    if (missing) reportMissing(node, missing);

    node.on('input', (msg: NodeMessage, send, done) => {
      queue = queue.then(() => run(msg, send, done));
    });

    async function run(msg: NodeMessage, send: (m: NodeMessage) => void, done: (err?: Error) => void): Promise<void> {
      try {
        if (missing || !server?.client) throw missing ?? new ConfigError('no ABS server', 'abs-library: choose an abs-server');
        status.busy(node, 'reading…');
        const result = await readLibrary(server.client, {
          libraryIds,
          pageSize,
          signal: closing.signal,
          keepMissing: config.keepMissing === true,
          onProgress: (read, total) => status.busy(node, progressText(read, total)),
        });
        // A podcast library beside the book libraries is normal: say so once per deploy, not
        // every night; other warnings (items that vanished mid-read…) are news each time.
        for (const warning of result.warnings) {
          if (warned.has(warning)) continue;
          if (warning.startsWith('skipped library')) warned.add(warning);
          node.warn(`Audiobookshelf: ${warning}`);
        }
        RED.util.setMessageProperty(msg, property, result.books, true);
        // series-gaps reads these to say why their gaps came back.
        (msg as NodeMessage & { missingBooks?: unknown }).missingBooks = result.missing;
        status.ok(node, `${count(result.books.length)} books`);
        send(msg);
        done();
      } catch (err) {
        reportError(node, err, done);
      }
    }

    node.on('close', (done: () => void) => {
      closing.abort();
      status.clear(node);
      done();
    });
  }

  RED.nodes.registerType('abs-library', AbsLibrary);
};

/** "reading… 400/1,284", or the shorter "read 4,000/10,000" when that would not fit a badge. */
function progressText(read: number, total: number): string {
  const long = `reading… ${count(read)}/${count(total)}`;
  return long.length <= 19 ? long : `read ${count(read)}/${count(total)}`;
}
