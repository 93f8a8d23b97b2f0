// hardcover-account: config node holding the Hardcover API token (a credential) and owning
// ONE HardcoverProvider, used by series-gaps through RED.nodes.getNode (duck-typed there).
// Admin endpoint: POST /audiobook-gaps/hardcover-account/test.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { HardcoverProvider, HARDCOVER_URL } from '../../lib/metadata/hardcover';
import { errorMessage } from '../../lib/errors';
import { redact } from '../../lib/secrets';
import { adminPost, formCredentials, TEST_BODY_LIMIT } from '../_shared/admin';

type HardcoverAccountDef = NodeDef & { url?: string; minInterval?: number | string };
type HardcoverAccountNode = Node & { client?: HardcoverProvider; configError?: string; url: string };

export = function (RED: NodeAPI) {
  const settings = RED.settings as unknown as { audiobookGaps?: { metadataMinIntervalMs?: number } };

  const endpoint = (url: unknown): string => (typeof url === 'string' && url.trim()) || HARDCOVER_URL;

  function make(token: string, url: string, minIntervalSec: number | string | undefined, maxBodyBytes?: number): HardcoverProvider {
    const seconds = Number(minIntervalSec);
    const minIntervalMs = settings.audiobookGaps?.metadataMinIntervalMs ?? (Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 1000);
    return new HardcoverProvider({ token, url, minIntervalMs, maxBodyBytes });
  }

  function HardcoverAccount(this: Node, config: HardcoverAccountDef) {
    RED.nodes.createNode(this, config);
    const node = this as HardcoverAccountNode;
    const token = (node.credentials as { token?: string } | undefined)?.token ?? '';
    node.url = endpoint(config.url);
    try {
      node.client = make(token, node.url, config.minInterval);
    } catch (err) {
      // No token yet: series-gaps reports it when it runs.
      node.configError = redact(errorMessage(err));
    }
    node.on('close', (done: () => void) => {
      if (!node.client) return done();
      node.client.close().then(done, done);
    });
  }

  RED.nodes.registerType('hardcover-account', HardcoverAccount, { credentials: { token: { type: 'password' } } });

  adminPost(RED, 'hardcover-account', 'test', async (body) => {
    const deployed = body.id ? (RED.nodes.getNode(body.id) as unknown as Partial<HardcoverAccountNode> | null) : null;
    // An empty URL field means Hardcover's own endpoint, as it does for the deployed node.
    const url = body.url === undefined && deployed?.url ? deployed.url : endpoint(body.url);
    const { token } = formCredentials(RED, body, { token: 'API token' }, { service: 'Hardcover', url, deployedUrl: deployed?.url });
    if (!token) throw new Error('Hardcover: no API token given: copy it from hardcover.app → Settings → Hardcover API');
    const client = make(token, url, 0, TEST_BODY_LIMIT);
    try {
      return `Hardcover: ${await client.test()}`;
    } finally {
      await client.close();
    }
  });
};
