// abs-server: the Audiobookshelf config node. It holds the URL and the API key (a credential)
// and owns one AbsClient that every node using this server shares; redeploy closes it.
// Admin endpoints for the editor: POST /audiobook-gaps/abs-server/test and …/libraries.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { AbsClient } from '../../lib/abs/client';
import { expiryWarning } from '../../lib/abs/token';
import { adminPost, formCredentials, TEST_BODY_LIMIT } from '../_shared/admin';
import { positiveOr } from '../_shared/numbers';

interface AbsServerDef extends NodeDef {
  url: string;
  timeout?: number | string;
}

interface AbsServerCredentials {
  token?: string;
}

/** What other nodes find through RED.nodes.getNode(id) (duck-typed there). */
type AbsServerNode = Node & { url: string; client: AbsClient };

export = function (RED: NodeAPI) {
  function AbsServer(this: Node, config: AbsServerDef) {
    RED.nodes.createNode(this, config);
    const node = this as AbsServerNode;
    const creds = node.credentials as AbsServerCredentials | undefined;
    node.url = config.url;
    node.client = new AbsClient({ baseUrl: config.url, token: creds?.token ?? '', timeoutMs: positiveOr(config.timeout, 15) * 1000 });
    // A pasted 1-hour login token works at deploy and fails at night: say so now.
    const warning = expiryWarning(creds?.token ?? '');
    if (warning) node.warn(`Audiobookshelf: ${warning}`);
    // Closing the client closes its connection pool (its sockets), not just a flag.
    node.on('close', (done: () => void) => {
      node.client.close().then(done, done);
    });
  }

  RED.nodes.registerType('abs-server', AbsServer, { credentials: { token: { type: 'password' } } });

  /**
   * A throwaway client from the editor's current form values (url, token, timeout), so Test
   * works before and after deploy. The stored key is used only for the deployed node's own
   * server; the library picker, which sends only the node id, tests the deployed URL.
   */
  async function withFormClient<T>(body: Record<string, unknown> & { id?: string }, use: (client: AbsClient) => Promise<T>): Promise<T> {
    const deployed = body.id ? (RED.nodes.getNode(body.id) as unknown as Partial<AbsServerNode> | null) : null;
    const url = typeof body.url === 'string' ? body.url.trim() : (deployed?.url ?? '');
    if (!url) throw new Error('Audiobookshelf: no server URL given');
    const { token } = formCredentials(RED, body, { token: 'API key' }, { service: 'Audiobookshelf', url, deployedUrl: deployed?.url });
    const client = new AbsClient({ baseUrl: url, token, timeoutMs: positiveOr(body.timeout, 15) * 1000, retries: 0, maxBodyBytes: TEST_BODY_LIMIT });
    try {
      return await use(client);
    } finally {
      await client.close();
    }
  }

  // "Audiobookshelf 2.36.0, 3 libraries" or the exact error (redacted by adminPost).
  adminPost(RED, 'abs-server', 'test', (body) => withFormClient(body, (client) => client.testConnection()));

  // For the abs-library editor's library picker: no folders, no settings, only what it shows.
  adminPost(RED, 'abs-server', 'libraries', (body) => withFormClient(body, async (client) =>
    (await client.listLibraries()).map((l) => ({ id: l.id, name: l.name, mediaType: l.mediaType }))));
};
