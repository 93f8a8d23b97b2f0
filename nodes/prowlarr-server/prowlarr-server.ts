// prowlarr-server: the Prowlarr config node. URL, which indexers (ids; empty = every enabled
// torrent indexer) and the API key (credentials). Holds ONE lib/indexer IndexerServer as
// `server` (searches for indexer-search, .torrent fetches for the queue); redeploy closes it.
// Admin endpoint: POST /audiobook-gaps/prowlarr-server/test.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { prowlarrServer, type IndexerServer } from '../../lib/indexer/server';
import { adminPost, formCredentials, TEST_BODY_LIMIT } from '../_shared/admin';

interface ProwlarrServerDef extends NodeDef { url: string; indexers?: string }

type ProwlarrServerNode = Node & { url: string; server?: IndexerServer };

/** "1, 5 12" → [1, 5, 12]; anything else is ignored. */
function indexerIds(text: unknown): number[] {
  return String(text ?? '').split(/[\s,]+/).map(Number).filter((n) => Number.isInteger(n) && n > 0);
}

export = function (RED: NodeAPI) {
  function ProwlarrServerNode(this: Node, config: ProwlarrServerDef) {
    RED.nodes.createNode(this, config);
    const node = this as ProwlarrServerNode;
    const creds = (node.credentials ?? {}) as { apiKey?: string };
    node.url = config.url;
    // Tests shorten the polite gap between requests (settings.audiobookGaps.indexerMinIntervalMs).
    const ms = (RED.settings as unknown as { audiobookGaps?: { indexerMinIntervalMs?: number } }).audiobookGaps?.indexerMinIntervalMs;
    const interval = ms === undefined ? {} : { minIntervalMs: ms, backoffMs: 5 };
    try {
      node.server = prowlarrServer(config.url, creds.apiKey ?? '', indexerIds(config.indexers), interval);
    } catch (err) {
      node.error(err instanceof Error ? err.message : String(err));
    }
    node.on('close', (done: () => void) => {
      if (!node.server) return done();
      node.server.close().then(done, done);
    });
  }

  RED.nodes.registerType('prowlarr-server', ProwlarrServerNode, { credentials: { apiKey: { type: 'password' } } });

  // "Prowlarr 1.24.3: 3 torrent indexers (…)" or the problem, from the form's values; an
  // untouched API key field means the stored key, sent only to the deployed URL.
  adminPost(RED, 'prowlarr-server', 'test', async (body) => {
    const deployed = body.id ? (RED.nodes.getNode(body.id) as unknown as Partial<ProwlarrServerNode> | null) : null;
    const url = typeof body.url === 'string' ? body.url.trim() : (deployed?.url ?? '');
    if (!url) throw new Error('Prowlarr: no URL given');
    const { apiKey } = formCredentials(RED, body, { apiKey: 'API key' }, { service: 'Prowlarr', url, deployedUrl: deployed?.url });
    const server = prowlarrServer(url, apiKey, indexerIds(body.indexers), { timeoutMs: 10_000, retries: 0, minIntervalMs: 0, maxBodyBytes: TEST_BODY_LIMIT });
    try {
      return await server.describe();
    } finally {
      await server.close();
    }
  });
};
