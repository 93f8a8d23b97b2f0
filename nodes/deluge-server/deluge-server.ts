// deluge-server: the Deluge config node. deluge-web URL plus the web password (credential)
// and ONE DelugeAdapter, exposed as `client` like qbit-server's (lib/clients/types.ts
// DownloadClient); redeploy closes it. Admin endpoint: POST /audiobook-gaps/deluge-server/test.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { DelugeAdapter } from '../../lib/clients/deluge';
import { adminPost, formCredentials } from '../_shared/admin';
import { positiveOr } from '../_shared/numbers';

interface DelugeServerDef extends NodeDef {
  url: string;
  timeout?: number | string;
}

type DelugeServerNode = Node & { url: string; client: DelugeAdapter };

export = function (RED: NodeAPI) {
  function DelugeServer(this: Node, config: DelugeServerDef) {
    RED.nodes.createNode(this, config);
    const node = this as DelugeServerNode;
    const creds = (node.credentials ?? {}) as { password?: string };
    node.url = config.url;
    try {
      node.client = new DelugeAdapter({ baseUrl: config.url, password: creds.password ?? '', timeoutMs: positiveOr(config.timeout, 10) * 1000 });
    } catch (err) {
      node.error(err instanceof Error ? err.message : String(err));
    }
    node.on('close', (done: () => void) => {
      if (!node.client) return done();
      node.client.close().then(done, done);
    });
  }

  RED.nodes.registerType('deluge-server', DelugeServer, { credentials: { password: { type: 'password' } } });

  // "Deluge 2.0.3, 4 torrents" or the exact error (redacted by adminPost), from the form's
  // values; an untouched password field means the stored one, sent only to the deployed URL.
  adminPost(RED, 'deluge-server', 'test', async (body) => {
    const deployed = body.id ? (RED.nodes.getNode(body.id) as unknown as Partial<DelugeServerNode> | null) : null;
    const url = typeof body.url === 'string' ? body.url.trim() : (deployed?.url ?? '');
    if (!url) throw new Error('Deluge: no web UI URL given');
    const { password } = formCredentials(RED, body, { password: 'password' }, { service: 'Deluge', url, deployedUrl: deployed?.url });
    const client = new DelugeAdapter({ baseUrl: url, password, timeoutMs: positiveOr(body.timeout, 10) * 1000 });
    try {
      return await client.describe();
    } finally {
      await client.close();
    }
  });
};
