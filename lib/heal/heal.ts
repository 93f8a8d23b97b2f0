// Downloads that heal themselves, run from abs-import-watch's tick (not only the nightly
// pipeline). Two steps around the watcher's poll:
//   healIntents — a half-done add (intent recorded, torrent not listed) is finished from the
//     stored .torrent, exactly as qbit-queue's next run would (lib/queue heal).
//   replaceFailed — a download the watcher saw fail (client error, torrent gone, missing files)
//     or that made no progress for the stall limit is refused for its book (by torrent id and
//     hash, on the wanted record), removed from the client (data kept unless the user chose to
//     delete it), and the book's next accepted candidate is queued (next.ts), up to N attempts;
//     then the book is `failed` with every attempt and its reason. An import Audiobookshelf
//     measured as suspect (lib/watch/verify) is refused the same way where the user enabled it.
// Every step is recorded before the next one and re-done idempotently, so a restart anywhere in
// between loses nothing and adds nothing twice. Both run in the queue's lane for the store, so
// a qbit-queue run never interleaves with them.
import { errorMessage } from '../errors';
import { redact } from '../secrets';
import type { DownloadClient } from '../clients/types';
import type { DownloadRecord, DownloadStore } from '../queue/downloads';
import { heal, inQueueLane, type QbitLike, type TorrentSource } from '../queue/queue';
import type { WantedStore } from '../store/wanted';
import { queueNext, type NextResult } from './next';
import { follows, type ClientScope } from '../clients/ref';

export interface HealSettings {
  /** Off: failed and stalled downloads only get reported, as before. */
  enabled: boolean;
  /** A download with no progress for this long is refused and replaced. */
  stalledLimitMinutes: number;
  /** Torrents tried per book (since the user's last Retry) before it is marked failed. */
  maxAttempts: number;
  /** Delete the refused torrent's data too (default: keep it). */
  deleteData: boolean;
  /** An import Audiobookshelf measured as another book or a part (imported_suspect) is refused
   *  and replaced like a failed download (default off: it is only shown, and waits for Retry). */
  refuseSuspect?: boolean;
  /** The next candidate comes from the last search only when it is at most this old (days);
   *  older, the book goes back to wanted for a fresh search. 0: no limit. */
  searchMaxAgeDays?: number;
}

export const DEFAULT_HEAL: HealSettings = { enabled: true, stalledLimitMinutes: 240, maxAttempts: 3, deleteData: false, refuseSuspect: false, searchMaxAgeDays: 7 };

export interface HealDeps {
  client: QbitLike & Pick<DownloadClient, 'remove'>;
  /** Which client `client` is: only its own records are healed, refused and replaced (none: qBittorrent of old). */
  scope?: ClientScope;
  /** Where a next candidate's .torrent is fetched (MAM, or the indexer node that found it: withIndexers); none: the book is searched again by the next run. */
  source?: TorrentSource;
  downloads: DownloadStore;
  wanted?: WantedStore;
  lockKey: string;
}

export interface HealReport {
  /** Keys whose half-done add was finished. */
  healed: string[];
  refused: { key: string; torrentId: number; hash?: string; reason: string }[];
  next: NextResult[];
  warnings: string[];
}

const MINUTE = 60_000;

export function emptyHealReport(): HealReport {
  return { healed: [], refused: [], next: [], warnings: [] };
}

/** Finishes adds a crash left half-done. qBittorrent trouble is a warning: the poll still runs. */
export function healIntents(deps: HealDeps, report: HealReport, now = new Date()): Promise<void> {
  return inQueueLane(deps.lockKey, async () => {
    const failed: { key: string; reason: string }[] = [];
    try {
      await heal({ qbit: deps.client, source: noSource, downloads: deps.downloads, wanted: deps.wanted, lockKey: deps.lockKey, scope: deps.scope }, { healed: report.healed, downloads: [], failed }, () => now);
    } catch (err) {
      report.warnings.push(redact(errorMessage(err)));
    }
    for (const f of failed) report.warnings.push(`${f.key}: ${f.reason}`);
  });
}

/** Refuses failed and stalled downloads and queues each book's next candidate. */
export function replaceFailed(deps: HealDeps, settings: HealSettings, report: HealReport, now = new Date()): Promise<void> {
  if (!settings.enabled || !deps.wanted) return Promise.resolve();
  const wanted = deps.wanted;
  return inQueueLane(deps.lockKey, async () => {
    try {
      for (const rec of await deps.downloads.list({ phase: 'added' })) {
        if (!follows(deps.scope, rec)) continue;
        const book = await wanted.get(rec.key);
        if (!book || (rec as { retiredFrom?: string }).retiredFrom) continue;
        // A suspect import the user has judged (ignored: kept; or moved on) is theirs.
        if (rec.watch?.emitted.includes('imported_suspect') && (book.ignored || book.state !== 'imported_suspect')) continue;
        // Already refused but still live: a restart cut a refusal short; finish it.
        const earlier = book.refused?.find((r) => r.torrentId === rec.torrentId || (!!rec.hash && r.hash === rec.hash));
        const reason = earlier?.reason ?? refusalReason(rec, settings, now);
        if (reason) await refuse(deps, wanted, rec, reason, settings, report, now);
      }
      for (const rec of await wanted.list({ healPending: true })) {
        report.next.push(await queueNext({ ...deps, wanted }, rec.key, settings, now));
      }
    } catch (err) {
      report.warnings.push(redact(errorMessage(err)));
    }
  });
}

/** Why this ledger entry is to be given up, or undefined while it may still succeed. */
export function refusalReason(rec: DownloadRecord, settings: HealSettings, now: Date): string | undefined {
  const w = rec.watch;
  // A retired entry (an earlier attempt, kept on file) is history.
  if (!w || (rec as { retiredFrom?: string }).retiredFrom) return undefined;
  // A suspect import (lib/watch/verify) is the user's to judge unless they let heal do it.
  if (w.emitted.includes('imported_suspect')) return settings.refuseSuspect ? (w.reason ?? 'suspect import') : undefined;
  // A torrent the user removed from the client is the user's decision about that book: it waits
  // for their Retry (issue 11), it is not replaced by the next candidate behind their back.
  if (w.done && w.emitted.includes('failed')) return w.phase === 'missing' ? undefined : (w.reason ?? 'failed');
  // Held (paused by the user, being checked, waiting in the client's own queue): not stalled.
  if (w.done || w.completedAt || w.held || !w.lastProgressAt) return undefined;
  const idle = now.getTime() - Date.parse(w.lastProgressAt);
  if (idle < settings.stalledLimitMinutes * MINUTE) return undefined;
  return `stalled: no progress for ${Math.floor(idle / MINUTE)} min (limit ${settings.stalledLimitMinutes} min, ${Math.round((w.progress ?? 0) * 100)} %)`;
}

/** Refusal first (so a crash before the removal redoes it), then the client, then the ledger. */
async function refuse(deps: HealDeps, wanted: WantedStore, rec: DownloadRecord, reason: string, settings: HealSettings, report: HealReport, now: Date): Promise<void> {
  await wanted.refuse(rec.key, { torrentId: rec.torrentId, ...(rec.hash ? { hash: rec.hash } : {}), reason, at: now.toISOString() });
  if (rec.hash && (await deps.client.getTorrents([rec.hash])).length) await deps.client.remove([rec.hash], settings.deleteData);
  await deps.downloads.setWatch(rec.key, { ...(rec.watch ?? { emitted: [] }), done: true, reason });
  await deps.downloads.retire(rec.key);
  report.refused.push({ key: rec.key, torrentId: rec.torrentId, ...(rec.hash ? { hash: rec.hash } : {}), reason });
}

/** Healing an intent never needs MAM: the .torrent is stored with it (or the intent is dropped). */
const noSource: TorrentSource = {
  downloadTorrent: () => Promise.reject(new Error('abs-import-watch: no MAM download while healing an add')),
};
