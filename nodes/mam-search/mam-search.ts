// mam-search: msg.payload = Gap[] in; output 1 Candidate[] (accepted, best first per gap),
// output 2 NotFound[] (each with its reason). The work is lib/mam/search-run.ts; this is glue.
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import type { MamAccountSettings } from '../../lib/mam/account-settings';
import type { MamApi } from '../../lib/mam/search-run';
import { runSearch } from '../../lib/mam/search-run';
import { runOptions, type MamSearchForm } from '../../lib/mam/search-options';
import { collection } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import { status } from '../_shared/status';
import { ConfigError, reportError, reportMissing } from '../_shared/report';
import { resolveStoreDir } from '../_shared/store-dir';
import { readGaps } from '../_shared/gaps-input';
import { runLanes, sendSearchOutcome } from '../_shared/search-node';

type MamSearchDef = NodeDef & MamSearchForm & { account: string };

/** One run at a time per mam-account, across every mam-search node using it (see runLanes). */
const inAccountLane = runLanes();

export = function (RED: NodeAPI) {
  function MamSearch(this: Node, config: MamSearchDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const account = RED.nodes.getNode(config.account) as unknown as { client?: MamApi; settings?: MamAccountSettings } | null;
    const dir = resolveStoreDir(RED);
    let closed = false;

    const lacking = !account
      ? new ConfigError('no MAM account', 'mam-search: choose a mam-account (MyAnonamouse mam_id and search defaults)')
      : !account.client ? new ConfigError('no mam_id', 'mam-search: the mam-account has no mam_id: create a session under MyAnonamouse → Preferences → Security and paste its mam_id') : undefined;
    if (lacking) reportMissing(node, lacking);

    // A second trigger (of this node or another one on the same account) waits for the first.
    node.on('input', (msg: NodeMessage, send, done) => inAccountLane(config.account, () => run(msg, send, done)));

    async function run(msg: NodeMessage, send: (m: (NodeMessage | null)[]) => void, done: (err?: Error) => void): Promise<void> {
      try {
        if (lacking || !account?.client || !account.settings) throw lacking ?? new ConfigError('no MAM account', 'mam-search: no MyAnonamouse account configured');
        const gaps = readGaps('mam-search', msg.payload, 'the output of series-gaps');
        const options = runOptions(config, account.settings);
        const [wanted, cache] = await Promise.all([WantedStore.open(dir), collection(dir, 'cache')]);
        status.busy(node, `searching 0/${gaps.length}`);
        const result = await runSearch(gaps, { api: account.client, wanted, cache }, options, (i, total) => {
          if (!closed) status.busy(node, `searching ${i}/${total}`);
        });
        sendSearchOutcome(RED, node, msg, send, result, { statsKey: 'mamSearch', stopped: 'mam-search stopped early: ', stoppedStatus: 'stopped' });
        done();
      } catch (err) {
        reportError(node, err, done);
      }
    }

    node.on('close', (done: () => void) => {
      closed = true;
      status.clear(node);
      done();
    });
  }

  RED.nodes.registerType('mam-search', MamSearch);
};
