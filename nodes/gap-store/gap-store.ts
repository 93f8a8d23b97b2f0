// gap-store: the wanted-books store as flat rows for dashboards, and the user's actions on
// it (ignore, unignore, retry). State lives in the store, so the page survives restarts.
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { WantedStore } from '../../lib/store/wanted';
import { DownloadStore } from '../../lib/queue/downloads';
import { countStates, toRow } from '../../lib/store/rows';
import { loadSeriesSummary } from '../../lib/store/series-summary';
import { errorMessage } from '../../lib/errors';
import { resolveStoreDir } from '../_shared/store-dir';
import { status } from '../_shared/status';
import { storeAtDeploy } from '../_shared/store-open';

interface GapStoreDef extends NodeDef {
  action: string;
  hideResolved: boolean;
}

const ACTIONS = ['list', 'ignore', 'unignore', 'retry'] as const;
type Action = (typeof ACTIONS)[number];

export = function (RED: NodeAPI) {
  function GapStoreNode(this: Node, config: GapStoreDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const dir = resolveStoreDir(RED);
    // Opened at deploy so a broken file shows at once (red badge, node.error), never as a crash.
    const stores = storeAtDeploy(node, async () => {
      const [wanted, downloads] = await Promise.all([WantedStore.open(dir), DownloadStore.open(dir)]);
      return { wanted, downloads };
    });

    node.on('input', (msg: NodeMessage & { action?: unknown; key?: unknown; clearRefusals?: unknown }, send, done) => {
      const action = String(msg.action ?? config.action ?? 'list') as Action;
      if (!ACTIONS.includes(action)) return done(new Error(`gap-store: unknown action "${action}" (use ${ACTIONS.join(', ')})`));
      run(action, msg)
        .then((out) => { send(out); done(); })
        .catch((err: unknown) => { status.error(node, err); done(err instanceof Error ? err : new Error(errorMessage(err))); });
    });

    async function run(action: Action, msg: NodeMessage & { key?: unknown; clearRefusals?: unknown }): Promise<NodeMessage> {
      const { wanted: store, downloads } = await stores();
      if (action !== 'list') {
        // A ui-table row click sends the row as payload; a button may send the key itself.
        const key = typeof msg.key === 'string' ? msg.key : typeof msg.payload === 'string' ? msg.payload : (msg.payload as { key?: unknown } | undefined)?.key;
        if (typeof key !== 'string' || !key) throw new Error(`gap-store: ${action} needs the book's key in msg.payload.key or msg.key`);
        // msg.clearRefusals: the user also forgives the torrents given up on for this book.
        const changed = action === 'retry' ? await store.retry(key, new Date(), { clearRefusals: msg.clearRefusals === true }) : await store.setIgnored(key, action === 'ignore');
        if (!changed) throw new Error(`gap-store: cannot ${action} "${key}": no such wanted book, or it is already being downloaded`);
      }
      // The watcher keeps each download's last progress in the downloads ledger.
      const progress = new Map((await downloads.list({ phase: 'added' })).map((d) => [d.key, d.watch?.progress]));
      let rows = (await store.list()).map((rec) => toRow(rec, progress.get(rec.key)));
      if (config.hideResolved) rows = rows.filter((r) => r.state !== 'resolved');
      const counts = countStates(rows);
      const open = (counts.wanted ?? 0) + (counts.not_found ?? 0) + (counts.found ?? 0);
      status.ok(node, `${open} wanted · ${(counts.queued ?? 0) + (counts.downloading ?? 0)} dl`);
      // The last series summary too, so a dashboard's series page survives a restart.
      const summary = await loadSeriesSummary(dir);
      return { ...msg, payload: rows, counts, ...(summary ? { series: summary.series, seriesAt: summary.at } : {}) } as NodeMessage;
    }
  }

  RED.nodes.registerType('gap-store', GapStoreNode);
};
