// gap-store: the wanted-books store as flat rows for dashboards, the user's actions on it
// (ignore, unignore, retry; each only where the book's state allows it, answered in words in
// msg.notice) and the recent import events. State lives in the store: the pages survive restarts.
import { clientOf, serviceName } from '../../lib/clients/ref';
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { WantedStore } from '../../lib/store/wanted';
import { DownloadStore } from '../../lib/queue/downloads';
import { countStates, toRow } from '../../lib/store/rows';
import { loadSeriesSummary } from '../../lib/store/series-summary';
import { isImportEvent, loadImportEvents, recordImportEvent } from '../../lib/store/import-events';
import { resolveStoreDir } from '../_shared/store-dir';
import { status } from '../_shared/status';
import { storeAtDeploy } from '../_shared/store-open';
import { ConfigError, reportError } from '../_shared/report';
import { actionsFor, bookName, confirmation, refusal, type BookAction } from './actions';

interface GapStoreDef extends NodeDef {
  action: string;
  hideResolved: boolean;
}

const ACTIONS = ['list', 'ignore', 'unignore', 'retry', 'event'] as const;
type Action = (typeof ACTIONS)[number];
type Msg = NodeMessage & { action?: unknown; key?: unknown; notice?: string; refused?: boolean; /** Retry also forgives the torrents given up on for this book. */ clearRefusals?: unknown };

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

    node.on('input', (msg: Msg, send, done) => {
      const action = String(msg.action ?? config.action ?? 'list') as Action;
      if (!ACTIONS.includes(action)) return reportError(node, new ConfigError('bad input', `gap-store: unknown msg.action "${action}" (use ${ACTIONS.join(', ')})`), done);
      run(action, msg)
        .then((out) => { send(out); done(); })
        .catch((err: unknown) => reportError(node, err, done));
    });

    async function run(action: Action, msg: Msg): Promise<NodeMessage> {
      const { wanted: store, downloads } = await stores();
      let notice: string | undefined;
      let refused = false;
      if (action === 'event') {
        if (!isImportEvent(msg.payload)) throw new ConfigError('bad input', 'gap-store: msg.payload must be an abs-import-watch event to record');
        const e = msg.payload;
        const rec = await store.get(e.download.key);
        const book = rec ? bookName(rec) : e.item?.title ?? 'a download';
        await recordImportEvent(dir, { time: new Date().toISOString(), event: e.event, book, item: e.item?.title ?? '', reason: e.reason ?? '' });
        notice = e.event === 'imported' ? `Imported “${book}”${e.item ? ` as “${e.item.title}”` : ''}.`
          : e.event === 'imported_suspect' ? `Imported “${book}”${e.item ? ` as “${e.item.title}”` : ''}, but it looks wrong: ${e.verify?.reasons.join('; ') ?? e.reason ?? 'see the event'}.`
            : `“${book}”: ${e.event.replace('_', ' ')}${e.reason ? ` (${e.reason})` : ''}.`;
      } else if (action !== 'list') {
        // A ui-table button sends the row as payload; a flow may send the key itself.
        const key = typeof msg.key === 'string' ? msg.key : typeof msg.payload === 'string' ? msg.payload : (msg.payload as { key?: unknown } | undefined)?.key;
        if (typeof key !== 'string' || !key) throw new ConfigError('bad input', `gap-store: ${action} needs the book's key in msg.payload.key or msg.key`);
        const rec = await store.get(key);
        if (!rec) {
          notice = 'That book is no longer in the list; the page is refreshed.';
          refused = true;
        } else {
          notice = refusal(action, rec);
          refused = notice !== undefined;
          if (!refused) {
            const changed = action === 'retry' ? await store.retry(key, new Date(), { clearRefusals: msg.clearRefusals === true }) : await store.setIgnored(key, action === 'ignore');
            notice = changed ? confirmation(action as BookAction, rec) : `Nothing changed for “${bookName(rec)}”: its state moved on; the page is refreshed.`;
            refused = !changed;
          }
        }
      }
      // The watcher keeps each download's last progress in the downloads ledger.
      const ledger = await downloads.list({ phase: 'added' });
      const progress = new Map(ledger.map((d) => [d.key, d.watch?.progress]));
      // Which client each download went to (a record from before clients could be picked: qBittorrent).
      const clients = new Map(ledger.map((d) => [d.key, serviceName(clientOf(d).type)]));
      const records = await store.list();
      let rows = records.map((rec) => ({ ...toRow(rec, progress.get(rec.key), clients.get(rec.key)), actions: actionsFor(rec) }));
      if (config.hideResolved) rows = rows.filter((r) => r.state !== 'resolved');
      const counts = countStates(rows);
      const open = (counts.wanted ?? 0) + (counts.not_found ?? 0) + (counts.found ?? 0);
      status.ok(node, `${open} wanted · ${(counts.queued ?? 0) + (counts.downloading ?? 0)} dl`);
      // The last series summary and import events too, so the dashboard pages survive a restart.
      const summary = await loadSeriesSummary(dir);
      const events = await loadImportEvents(dir);
      const out: Msg = { ...msg, payload: rows, counts, events, ...(summary ? { series: summary.series, seriesAt: summary.at } : {}) } as Msg;
      if (notice) Object.assign(out, { notice, refused });
      else delete out.notice;
      return out;
    }
  }

  RED.nodes.registerType('gap-store', GapStoreNode);
};
