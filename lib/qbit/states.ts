// qBittorrent's torrent states (4.x and 5.x: 5.0 renamed paused* to stopped*) reduced to the
// four this package reasons about. "completed" means the data is all on disk and settled,
// whatever the seeding state; "stalled" is qBittorrent's own view (no peers), the watcher adds
// its own "no progress for N minutes" rule on top.
export type TorrentPhase = 'downloading' | 'completed' | 'stalled' | 'failed';

/** Finished downloading (API-REFERENCE §3.5): 4.x pausedUP is 5.x stoppedUP. */
const COMPLETE = new Set(['uploading', 'stalledUP', 'pausedUP', 'stoppedUP', 'queuedUP', 'forcedUP']);
const FAILED = new Set(['error', 'missingFiles']);
const STALLED = new Set(['stalledDL', 'metaDL', 'forcedMetaDL']);
/**
 * Files being verified (checkingUP, checkingResumeData after a restart) or relocated (moving):
 * not "completed" yet, even at 100 %, so ABS is not asked to import half-moved or unverified
 * files. The next poll sees the settled state.
 */
const SETTLING = new Set(['checkingUP', 'checkingDL', 'checkingResumeData', 'moving']);
/** Added without starting ("start paused"): waiting for the user, not stalled. */
const NOT_STARTED = new Set(['pausedDL', 'stoppedDL']);
/** Waiting for a slot in qBittorrent's own queue (max active downloads): not stalled, not dead. */
const CLIENT_QUEUED = new Set(['queuedDL']);

export function mapTorrentState(state: string, progress: number): TorrentPhase {
  if (COMPLETE.has(state)) return 'completed';
  if (FAILED.has(state)) return 'failed';
  if (STALLED.has(state)) return 'stalled';
  if (SETTLING.has(state)) return 'downloading';
  if ((state === 'unknown' || state === 'allocating') && progress >= 1) return 'completed';
  // downloading, forcedDL, queuedDL, pausedDL/stoppedDL and anything new.
  return 'downloading';
}

/** True while the torrent cannot make progress by design (not started, being checked or moved). */
export function isHeld(state: string): boolean {
  return NOT_STARTED.has(state) || SETTLING.has(state) || CLIENT_QUEUED.has(state);
}
