// The user's Retry, as qbit-queue honours it: a download that failed (gone, removed from
// qBittorrent, an error state) blocks its book in the ledger until the user asks for it again
// after it was queued, and qBittorrent no longer holds it.
import type { WantedRecord, WantedState } from '../store/wanted';
import type { QbitAdapter } from '../qbit/adapter';
import type { DownloadRecord, DownloadStore } from './downloads';

export interface RetryDeps {
  qbit: Pick<QbitAdapter, 'getTorrents'>;
  downloads: DownloadStore;
}

/** Wanted states a retried book is in (gap-store retry puts it back to wanted). */
const RETRYABLE: WantedState[] = ['wanted', 'found', 'not_found'];

/**
 * A download that failed (e.g. the user removed the torrent), or whose import was suspect, may be queued again only when the
 * user pressed Retry after it was queued (wanted.retryRequestedAt): its ledger entry is retired,
 * kept under another key for the record. Anything else in the ledger blocks a second add.
 */
export async function retiredForRetry(deps: RetryDeps, existing: DownloadRecord, rec: WantedRecord | null | undefined, planOnly: boolean): Promise<boolean> {
  const done = existing.phase === 'added' && existing.watch?.done === true;
  const failed = done && existing.watch?.emitted.includes('failed');
  // A suspect import stays in the library and may keep seeding: the Retry alone retires it.
  const suspect = done && existing.watch?.emitted.includes('imported_suspect');
  if (!(failed || suspect) || !rec || !RETRYABLE.includes(rec.state)) return false;
  const retried = rec.retryRequestedAt ? Date.parse(rec.retryRequestedAt) : Number.NaN;
  if (!(retried > Date.parse(existing.queuedAt ?? existing.intentAt))) return false;
  if (planOnly) return true;
  if (!suspect && existing.hash && (await deps.qbit.getTorrents([existing.hash])).length) return false;
  await deps.downloads.retire(existing.key);
  return true;
}
