// Torrents given up on for a book (lib/heal records them on the wanted record): the queue never
// adds one of them for that book again, whatever search offers it, until the user's Retry
// clears them (an option of the Retry action).
import type { WantedRecord } from './wanted';

export function isRefused(rec: WantedRecord | null | undefined, torrent: { id?: number; hash?: string }): boolean {
  return (rec?.refused ?? []).some((r) => (torrent.id !== undefined && r.torrentId === torrent.id) || (!!torrent.hash && r.hash === torrent.hash));
}

/** The refusals that count against the per-book limit: those since the user's last Retry. */
export function refusalsSinceRetry(rec: WantedRecord): NonNullable<WantedRecord['refused']> {
  const since = rec.retryRequestedAt ? Date.parse(rec.retryRequestedAt) : 0;
  return (rec.refused ?? []).filter((r) => Date.parse(r.at) > since);
}

/** Attempts that count against the per-book limit. */
export function attemptsSinceRetry(rec: WantedRecord): number {
  return refusalsSinceRetry(rec).length;
}
