// mam-account-status: the MyAnonamouse account at a glance. Any input message reads the
// account (jsonLoad.php, through the mam-account's one request lane) and, when the account has
// the dynamic seedbox IP turned on, its seedbox state (a new registration at most once an
// hour), and sends the summary for a dashboard or an alert. Read-only: it spends nothing.
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import type { MamUserStatus } from '../../lib/mam/client';
import type { MamAccountSettings } from '../../lib/mam/account-settings';
import type { SeedboxStatus } from '../../lib/mam/account-seedbox';
import { accountSummary, summaryBadge } from '../../lib/mam/account-summary';
import { errorMessage } from '../../lib/errors';
import { redact } from '../../lib/secrets';
import { status } from '../_shared/status';

type MamAccountStatusDef = NodeDef & { account: string };

/** What the mam-account config node offers (duck-typed: a node never imports another node). */
interface AccountLike {
  client?: { userStatus(): Promise<MamUserStatus> };
  settings?: MamAccountSettings;
  seedbox?: { register(): Promise<SeedboxStatus> };
}

export = function (RED: NodeAPI) {
  function MamAccountStatus(this: Node, config: MamAccountStatusDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const account = RED.nodes.getNode(config.account) as unknown as AccountLike | null;
    if (!account?.client) status.error(node, 'no MAM account');

    node.on('input', (msg: NodeMessage, send, done) => {
      run()
        .then((summary) => {
          const fill = summary.alerts.length ? (summary.seedbox.state === 'asn_refused' || summary.seedbox.state === 'not_allowed' || summary.seedbox.state === 'session_refused' ? 'red' : 'yellow') : 'green';
          node.status({ fill, shape: 'dot', text: summaryBadge(summary) });
          send({ ...msg, payload: summary } as NodeMessage);
          done();
        })
        .catch((err: unknown) => {
          status.error(node, err);
          done(err instanceof Error ? err : new Error(redact(errorMessage(err))));
        });
    });

    async function run() {
      if (!account?.client || !account.settings) throw new Error('mam-account-status: no MyAnonamouse account configured (or its mam_id is empty)');
      status.busy(node, 'reading account');
      const user = await account.client.userStatus();
      const seedbox = account.seedbox ? await account.seedbox.register() : undefined;
      return accountSummary(user, account.settings, seedbox);
    }
  }

  RED.nodes.registerType('mam-account-status', MamAccountStatus);
};
