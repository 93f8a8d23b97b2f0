// mam-account: the MyAnonamouse config node. It holds the mam_id (a credential) and the
// search defaults, and owns ONE MamClient shared by mam-search and qbit-queue, so every
// request goes through one lane and one cookie chain. MAM rotates the cookie: the newest is
// kept in memory and saved encrypted in the store (see lib/mam/cookie-store.ts), so it
// survives restarts while the only usable secret stays in Node-RED's credentials.
// Admin endpoint: POST /audiobook-gaps/mam-account/test.
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { MamClient, MAM_DEFAULT_URL } from '../../lib/mam/client';
import { RotatedCookieStore } from '../../lib/mam/cookie-store';
import { accountSettings, type MamAccountForm, type MamAccountSettings } from '../../lib/mam/account-settings';
import { collection } from '../../lib/store/store';
import { MAM_SEEDBOX_URL, SeedboxRegistrar, seedboxMemory } from '../../lib/mam/account-seedbox';
import { redact } from '../../lib/secrets';
import { errorMessage } from '../../lib/errors';
import { adminPost, formCredentials, originOf, TEST_BODY_LIMIT } from '../_shared/admin';
import { resolveStoreDir } from '../_shared/store-dir';
import { storeAtDeploy } from '../_shared/store-open';

type MamAccountDef = NodeDef & MamAccountForm & { url?: string; dynamicSeedbox?: boolean | string };

/** A little over MAM's one change an hour, as other tools do; the registrar enforces the hour anyway. */
const SEEDBOX_EVERY_MS = 61 * 60_000;

/** MAM's seedbox endpoint lives on its tracker host; any other URL (a simulator, a proxy) serves both. */
function seedboxBase(url: string | undefined): string {
  return !url || /^https?:\/\/(www\.)?myanonamouse\.net\/?$/i.test(url.trim()) ? MAM_SEEDBOX_URL : url.trim();
}

interface MamAccountCredentials {
  mamId?: string;
}

/** What mam-search and qbit-queue find through RED.nodes.getNode(id) (duck-typed there). */
type MamAccountNode = Node & { client: MamClient; settings: MamAccountSettings; originalMamId: string; url: string; seedbox?: SeedboxRegistrar };

export = function (RED: NodeAPI) {
  const testInterval = (RED.settings as unknown as { audiobookGaps?: { mamMinIntervalMs?: number } }).audiobookGaps?.mamMinIntervalMs;
  const baseUrl = (url: unknown): string => (typeof url === 'string' && url.trim()) || MAM_DEFAULT_URL;
  const cookieStore = (nodeId: string, mamId: string) => collection(resolveStoreDir(RED), 'state').then((db) => new RotatedCookieStore(db, nodeId, mamId));

  function makeClient(url: string, mamId: string, minIntervalMs: number, cookies: () => Promise<RotatedCookieStore>, warn: (text: string) => void, maxBodyBytes?: number): MamClient {
    return new MamClient({
      baseUrl: url,
      mamId,
      minIntervalMs: testInterval ?? minIntervalMs,
      maxBodyBytes,
      restoreCookie: async () => (await cookies()).load(),
      onCookieRotated: async (next) => {
        try {
          await (await cookies()).save(next);
        } catch (err) {
          warn(redact(`MyAnonamouse: could not save the rotated mam_id (${errorMessage(err)}); it is kept in memory until restart`));
        }
      },
    });
  }

  function MamAccount(this: Node, config: MamAccountDef) {
    RED.nodes.createNode(this, config);
    const node = this as MamAccountNode;
    const creds = node.credentials as MamAccountCredentials | undefined;
    node.settings = accountSettings(config);
    node.originalMamId = creds?.mamId ?? '';
    node.url = baseUrl(config.url);
    try {
      if (!node.originalMamId) throw new Error('MyAnonamouse: no mam_id configured: create a session under Preferences → Security and paste its mam_id');
      // The store opens at deploy: a broken state file is reported here, never a crash. The
      // records of other mam_ids (an older session, a Test that was not deployed) go.
      const cookies = storeAtDeploy(node, async () => {
        const store = await cookieStore(node.id, node.originalMamId);
        await store.pruneOthers().catch(() => undefined);
        return store;
      });
      node.client = makeClient(node.url, node.originalMamId, node.settings.minIntervalMs, cookies, (text) => node.warn(text));
    } catch (err) {
      // No mam_id yet: users of this node report the error when they run.
      node.error(redact(errorMessage(err)));
    }
    let seedboxTimer: NodeJS.Timeout | undefined;
    if (node.client && (config.dynamicSeedbox === true || config.dynamicSeedbox === 'true')) {
      const memory = collection(resolveStoreDir(RED), 'state').then((db) => seedboxMemory(db, node.id));
      // A broken state file is reported by the cookie store above; here it only means no memory.
      memory.catch(() => undefined);
      node.seedbox = new SeedboxRegistrar(node.client, {
        baseUrl: seedboxBase(config.url),
        memory: { load: async () => (await memory).load(), save: async (st) => (await memory).save(st) },
      });
      // Once at deploy (the registrar remembers the last hour across restarts), then hourly.
      const register = () => {
        node.seedbox?.register().then((st) => {
          if (!st.cached && ['asn_refused', 'not_allowed', 'session_refused', 'error'].includes(st.state)) node.warn(`MyAnonamouse: ${st.message}`);
        }, () => undefined);
      };
      register();
      seedboxTimer = setInterval(register, SEEDBOX_EVERY_MS);
    }
    node.on('close', (done: () => void) => {
      if (seedboxTimer) clearInterval(seedboxTimer);
      if (!node.client) return done();
      node.client.close().then(done, done);
    });
  }

  RED.nodes.registerType('mam-account', MamAccount, { credentials: { mamId: { type: 'password' } } });

  // "MAM: user X (Power User), ratio 3.20, 12 of 100 unsatisfied, 3 wedges" or the exact error.
  adminPost(RED, 'mam-account', 'test', async (body) => {
    const deployed = body.id ? (RED.nodes.getNode(body.id) as unknown as Partial<MamAccountNode> | null) : null;
    const url = typeof body.url === 'string' ? baseUrl(body.url) : (deployed?.url ?? MAM_DEFAULT_URL);
    const { mamId } = formCredentials(RED, body, { mamId: 'mam_id' }, { service: 'MyAnonamouse', url, deployedUrl: deployed?.url });
    if (!mamId) throw new Error('MyAnonamouse: no mam_id given: create a session under Preferences → Security and paste its mam_id');
    // The deployed session on the deployed server: its own client, so the test follows its
    // rotation chain (a second client would rotate the cookie under it). Anything else gets a
    // client of its own on the typed URL; another mam_id keeps its rotations in its own record
    // (ready for the deploy that may follow), never in the deployed session's.
    const same = Boolean(deployed?.client) && deployed?.originalMamId === mamId && originOf(url) === originOf(deployed?.url);
    const ownChain = mamId !== deployed?.originalMamId;
    const noStore = async (): Promise<RotatedCookieStore> => { throw new Error('not saved'); };
    const client = same ? deployed!.client! : makeClient(url, mamId, 1000, ownChain ? () => cookieStore(body.id ?? 'editor-test', mamId) : noStore, () => undefined, TEST_BODY_LIMIT);
    try {
      const s = await client.userStatus();
      const unsat = s.unsatisfied ? `${s.unsatisfied.count} of ${s.unsatisfied.limit} unsatisfied` : 'unsatisfied unknown';
      return `MAM: user ${s.username} (${s.classname || 'class unknown'}), ratio ${Number.isFinite(s.ratio) ? s.ratio.toFixed(2) : 'inf'}, ${unsat}, ${s.wedges} wedges`;
    } finally {
      if (!same) await client.close();
    }
  });
};
