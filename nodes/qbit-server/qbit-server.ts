// qbit-server: the qBittorrent config node. URL plus user/password (credentials) and ONE
// QbitAdapter shared by qbit-queue and abs-import-watch; redeploy closes it.
// Admin endpoint for the editor: POST /audiobook-gaps/qbit-server/test.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { QbitAdapter } from '../../lib/qbit/adapter';
import { adminPost, formCredentials } from '../_shared/admin';
import { positiveOr } from '../_shared/numbers';

interface QbitServerDef extends NodeDef {
  url: string;
  timeout?: number | string;
}

interface QbitServerCredentials {
  username?: string;
  password?: string;
}

/** What other nodes find through RED.nodes.getNode(id) (duck-typed there). */
type QbitServerNode = Node & { url: string; client: QbitAdapter };

export = function (RED: NodeAPI) {
  function QbitServer(this: Node, config: QbitServerDef) {
    RED.nodes.createNode(this, config);
    const node = this as QbitServerNode;
    const creds = (node.credentials ?? {}) as QbitServerCredentials;
    node.url = config.url;
    try {
      node.client = new QbitAdapter({ baseUrl: config.url, username: creds.username ?? '', password: creds.password ?? '', timeoutMs: positiveOr(config.timeout, 10) * 1000 });
    } catch (err) {
      node.error(err instanceof Error ? err.message : String(err));
    }
    // Closing the adapter closes its own connection pool: no socket outlives a redeploy.
    node.on('close', (done: () => void) => {
      if (!node.client) return done();
      node.client.close().then(done, done);
    });
  }

  RED.nodes.registerType('qbit-server', QbitServer, { credentials: { username: { type: 'text' }, password: { type: 'password' } } });

  // "qBittorrent v4.5.2, 3 torrents" or the exact error (redacted by adminPost). Uses the
  // form's values so Test works before deploy; an untouched password field means the stored
  // one, sent only to the deployed node's own WebUI (see formCredentials).
  adminPost(RED, 'qbit-server', 'test', async (body) => {
    const deployed = body.id ? (RED.nodes.getNode(body.id) as unknown as Partial<QbitServerNode> | null) : null;
    const url = typeof body.url === 'string' ? body.url.trim() : (deployed?.url ?? '');
    if (!url) throw new Error('qBittorrent: no WebUI URL given');
    const { username, password } = formCredentials(RED, body, { username: 'user', password: 'password' }, { service: 'qBittorrent', url, deployedUrl: deployed?.url });
    // The default body limit stays: the torrent list of a big client is a few MiB.
    const client = new QbitAdapter({ baseUrl: url, username, password, timeoutMs: positiveOr(body.timeout, 10) * 1000 });
    try {
      return await client.describe();
    } finally {
      await client.close();
    }
  });
};
