// transmission-server: the Transmission config node. RPC URL plus user/password (credentials)
// and ONE TransmissionAdapter, exposed as `client` like qbit-server's (lib/clients/types.ts
// DownloadClient); redeploy closes it. Admin endpoint: POST /audiobook-gaps/transmission-server/test.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { TransmissionAdapter } from '../../lib/clients/transmission';
import { adminPost, formCredentials } from '../_shared/admin';
import { positiveOr } from '../_shared/numbers';

interface TransmissionServerDef extends NodeDef {
  url: string;
  timeout?: number | string;
}

type TransmissionServerNode = Node & { url: string; client: TransmissionAdapter };

export = function (RED: NodeAPI) {
  function TransmissionServer(this: Node, config: TransmissionServerDef) {
    RED.nodes.createNode(this, config);
    const node = this as TransmissionServerNode;
    const creds = (node.credentials ?? {}) as { username?: string; password?: string };
    node.url = config.url;
    try {
      node.client = new TransmissionAdapter({ baseUrl: config.url, username: creds.username ?? '', password: creds.password ?? '', timeoutMs: positiveOr(config.timeout, 10) * 1000 });
    } catch (err) {
      node.error(err instanceof Error ? err.message : String(err));
    }
    node.on('close', (done: () => void) => {
      if (!node.client) return done();
      node.client.close().then(done, done);
    });
  }

  RED.nodes.registerType('transmission-server', TransmissionServer, { credentials: { username: { type: 'text' }, password: { type: 'password' } } });

  // "Transmission 3.00, 4 torrents" or the exact error (redacted by adminPost), from the form's
  // values; an untouched password field means the stored one, sent only to the deployed URL.
  adminPost(RED, 'transmission-server', 'test', async (body) => {
    const deployed = body.id ? (RED.nodes.getNode(body.id) as unknown as Partial<TransmissionServerNode> | null) : null;
    const url = typeof body.url === 'string' ? body.url.trim() : (deployed?.url ?? '');
    if (!url) throw new Error('Transmission: no RPC URL given');
    const { username, password } = formCredentials(RED, body, { username: 'user', password: 'password' }, { service: 'Transmission', url, deployedUrl: deployed?.url });
    const client = new TransmissionAdapter({ baseUrl: url, username, password, timeoutMs: positiveOr(body.timeout, 10) * 1000 });
    try {
      return await client.describe();
    } finally {
      await client.close();
    }
  });
};
