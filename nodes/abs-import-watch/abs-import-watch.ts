// abs-import-watch: on each trigger (an inject every few minutes) polls its download client
// (picked like torrent-queue's: nodes/_shared/client.ts) for the downloads queued through it,
// asks ABS to scan when one completes, matches the new library item, and sends one message
// per transition (lib/watch). Nothing is emitted twice.
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { pickClient, shortClientReason, type ClientFields } from '../_shared/client';
import { DownloadStore } from '../../lib/queue/downloads';
import { WantedStore } from '../../lib/store/wanted';
import { pollOnce, type AbsForWatch, type WatchSettings } from '../../lib/watch/watcher';
import { AbsLiveFeed } from '../../lib/abs/live';
import { shortText, status } from '../_shared/status';
import { reportError, reportMissing } from '../_shared/report';
import { resolveStoreDir } from '../_shared/store-dir';
import { positiveOr } from '../_shared/numbers';
import { DEFAULT_HEAL, emptyHealReport, healIntents, replaceFailed, type HealSettings } from '../../lib/heal/heal';
import type { TorrentSource } from '../../lib/queue/queue';
import { withIndexers } from '../../lib/queue/source';
import type { IndexerServer } from '../../lib/indexer/server';

interface AbsImportWatchDef extends NodeDef, ClientFields {
  abs: string;
  library: string;
  scanOnComplete: boolean;
  mapFrom: string;
  mapTo: string;
  stalledMinutes: number | string;
  notImportedMinutes: number | string;
  live?: boolean;
  mam?: string;
  heal?: boolean;
  healStalledMinutes?: number | string;
  healMaxAttempts?: number | string;
  healDeleteData?: boolean;
  healRefuseSuspect?: boolean;
  healSearchDays?: number | string;
}

/** What the live feed needs from the abs-server node's client (AbsClient). */
interface AbsWithUser extends AbsForWatch {
  me(): Promise<{ token?: string }>;
}

/** Several items_added chunks arrive together after a scan: check once for the lot. */
const LIVE_DEBOUNCE_MS = 1500;

export = function (RED: NodeAPI) {
  function AbsImportWatch(this: Node, config: AbsImportWatchDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const settings: WatchSettings = {
      libraryId: config.library && config.library !== '_all' ? config.library : '',
      scanOnComplete: config.scanOnComplete !== false,
      mapping: config.mapFrom ? { from: config.mapFrom.trim(), to: (config.mapTo ?? '').trim() } : undefined,
      stalledMinutes: positiveOr(config.stalledMinutes, 60),
      notImportedMinutes: positiveOr(config.notImportedMinutes, 60),
    };
    const heal: HealSettings = {
      enabled: config.heal !== false,
      stalledLimitMinutes: positiveOr(config.healStalledMinutes, DEFAULT_HEAL.stalledLimitMinutes),
      maxAttempts: positiveOr(config.healMaxAttempts, DEFAULT_HEAL.maxAttempts),
      deleteData: config.healDeleteData === true,
      refuseSuspect: config.healRefuseSuspect === true,
      searchMaxAgeDays: positiveOr(config.healSearchDays, DEFAULT_HEAL.searchMaxAgeDays as number),
    };
    const dir = resolveStoreDir(RED);
    const absNode = config.abs ? (RED.nodes.getNode(config.abs) as unknown as { client?: AbsWithUser; url?: string } | null) : null;
    const picked = pickClient(RED, config);
    const noClient = picked.missing('abs-import-watch', ' (the one the queue node adds to)');
    if (!picked.nodeId || !RED.nodes.getNode(picked.nodeId)) reportMissing(node, noClient);
    let feed: AbsLiveFeed | undefined;
    let liveTimer: NodeJS.Timeout | undefined;
    if (config.live && absNode?.client && absNode.url) {
      const client = absNode.client;
      let lastState = '';
      feed = new AbsLiveFeed({
        baseUrl: absNode.url,
        userToken: async () => {
          const token = (await client.me()).token;
          if (!token) throw new Error('Audiobookshelf: /api/me gave no user token for the socket');
          return token;
        },
        // An announcement is only a hint: it triggers the same check the timer does.
        onItemsAdded: () => {
          clearTimeout(liveTimer);
          liveTimer = setTimeout(() => node.receive({ topic: 'abs-live', payload: 'items added' }), LIVE_DEBOUNCE_MS);
        },
        onState: (state, detail) => {
          if (state === lastState) return;
          lastState = state;
          if (state === 'auth_failed') node.warn(`Audiobookshelf: the live socket refused the user token (${detail ?? 'no reason'}); the timer keeps working`);
          else if (state === 'live') node.log('Audiobookshelf live socket connected');
        },
      });
      feed.start();
    }

    node.on('input', (msg: NodeMessageInFlow, send, done) => {
      const qbit = picked.client();
      const abs = config.abs ? (RED.nodes.getNode(config.abs) as unknown as { client?: AbsForWatch } | null)?.client : undefined;
      if (!qbit) { reportError(node, noClient, done); return; }
      status.busy(node, 'checking…');
      (async () => {
        const deps = { qbit, scope: picked.scope, abs, downloads: await DownloadStore.open(dir), wanted: await WantedStore.open(dir), lockKey: dir };
        const mam = config.mam ? (RED.nodes.getNode(config.mam) as unknown as { client?: TorrentSource } | null)?.client : undefined;
        // The heal's next candidate is fetched from MAM, or through the indexer server node that
        // found it (an indexer-only flow has no MAM account and still heals).
        const source = withIndexers(mam, (id) => (RED.nodes.getNode(id) as unknown as { server?: IndexerServer } | null)?.server);
        const healDeps = { client: qbit, scope: picked.scope, source, downloads: deps.downloads, wanted: deps.wanted, lockKey: dir };
        // Half-done adds first, so this poll already watches them; then failed/stalled ones are replaced.
        const healed = emptyHealReport();
        await healIntents(healDeps, healed);
        const result = await pollOnce(deps, settings);
        await replaceFailed(healDeps, heal, healed);
        for (const w of [...result.warnings, ...healed.warnings]) node.warn(w);
        const c = result.counts;
        const fill = result.warnings.length || c.stalled || c.suspect ? 'yellow' : 'green';
        node.status({ fill, shape: 'dot', text: shortText(watchBadge(c)) });
        // One message per transition, each a copy of the trigger with the event as payload.
        const out: NodeMessageInFlow[] = result.events.map((event) => ({ ...RED.util.cloneMessage(msg), topic: event.event, payload: event }));
        // What healing did: topic "refused" (a torrent given up on) and "queued_next" / "gave_up" / "search_again".
        for (const r of healed.refused) out.push({ ...RED.util.cloneMessage(msg), topic: 'refused', payload: r });
        for (const n of healed.next) if (n.action !== 'waiting') out.push({ ...RED.util.cloneMessage(msg), topic: n.action === 'queued' ? 'queued_next' : n.action, payload: n });
        if (out.length) send([out]);
        done();
      })().catch((err: unknown) => {
        reportError(node, err, done, shortClientReason(err));
      });
    });

    node.on('close', (done: () => void) => {
      clearTimeout(liveTimer);
      feed?.stop();
      done();
    });
  }

  RED.nodes.registerType('abs-import-watch', AbsImportWatch);
};

/**
 * "3 dl · 2 imported" fits the 19-character badge; when completed (awaiting import) or stalled
 * downloads exist they matter more than the imported total, so that one gives way first.
 */
function watchBadge(c: { downloading: number; completed: number; imported: number; stalled: number; suspect: number }): string {
  const dl = `${c.downloading} dl`;
  const extra = [c.completed ? `${c.completed} done` : '', c.stalled ? `${c.stalled} stalled` : '', c.suspect ? `${c.suspect} suspect` : ''].filter(Boolean);
  const candidates = [[dl, ...extra, `${c.imported} imported`], [dl, ...extra, `${c.imported} imp`], [dl, ...extra], extra];
  for (const parts of candidates) {
    const text = parts.join(' · ');
    if (text.length <= 19) return text;
  }
  return extra.join(' ');
}
