// torznab-server: a Torznab feed config node (Jackett's "Copy Torznab Feed", or any Torznab
// endpoint). URL and the API key (credentials). Holds ONE lib/indexer IndexerServer as
// `server` (searches for indexer-search, .torrent fetches for the queue); redeploy closes it.
// Admin endpoint: POST /audiobook-gaps/torznab-server/test (reads t=caps).
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { torznabServer, type IndexerServer } from '../../lib/indexer/server';
import { adminPost, formCredentials, TEST_BODY_LIMIT } from '../_shared/admin';

interface TorznabServerDef extends NodeDef { url: string }

type TorznabServerNode = Node & { url: string; server?: IndexerServer };

export = function (RED: NodeAPI) {
  function TorznabServerNode(this: Node, config: TorznabServerDef) {
    RED.nodes.createNode(this, config);
    const node = this as TorznabServerNode;
    const creds = (node.credentials ?? {}) as { apiKey?: string };
    node.url = config.url;
    // Tests shorten the polite gap between requests (settings.audiobookGaps.indexerMinIntervalMs).
    const ms = (RED.settings as unknown as { audiobookGaps?: { indexerMinIntervalMs?: number } }).audiobookGaps?.indexerMinIntervalMs;
    const interval = ms === undefined ? {} : { minIntervalMs: ms, backoffMs: 5 };
    try {
      node.server = torznabServer(config.url, creds.apiKey ?? '', config.name || 'Torznab', interval);
    } catch (err) {
      node.error(err instanceof Error ? err.message : String(err));
    }
    node.on('close', (done: () => void) => {
      if (!node.server) return done();
      node.server.close().then(done, done);
    });
  }

  RED.nodes.registerType('torznab-server', TorznabServerNode, { credentials: { apiKey: { type: 'password' } } });

  adminPost(RED, 'torznab-server', 'test', async (body) => {
    const deployed = body.id ? (RED.nodes.getNode(body.id) as unknown as Partial<TorznabServerNode> | null) : null;
    const url = typeof body.url === 'string' ? body.url.trim() : (deployed?.url ?? '');
    if (!url) throw new Error('Torznab: no feed URL given');
    const { apiKey } = formCredentials(RED, body, { apiKey: 'API key' }, { service: 'Torznab', url, deployedUrl: deployed?.url });
    const server = torznabServer(url, apiKey, 'Torznab', { timeoutMs: 10_000, retries: 0, minIntervalMs: 0, maxBodyBytes: TEST_BODY_LIMIT });
    try {
      return await server.describe();
    } catch (err) {
      // A Torznab <error description> is the far side's text: the verdict keeps its code only.
      throw new Error((err as Error).message.replace(/ "[^"]*"/g, ''));
    } finally {
      await server.close();
    }
  });
};
