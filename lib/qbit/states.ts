// qBittorrent's torrent states (4.x and 5.x: 5.0 renamed paused* to stopped*) reduced to the
// four this package reasons about. "completed" means the data is all on disk, whatever the
// seeding state; "stalled" is qBittorrent's own view (no peers), the watcher adds its own
// "no progress for N minutes" rule on top.
export type TorrentPhase = 'downloading' | 'completed' | 'stalled' | 'failed';

const COMPLETE = new Set(['uploading', 'stalledUP', 'pausedUP', 'stoppedUP', 'queuedUP', 'forcedUP', 'checkingUP']);
const FAILED = new Set(['error', 'missingFiles']);
const STALLED = new Set(['stalledDL', 'metaDL', 'forcedMetaDL']);
/** States that say nothing about completeness on their own: decide by progress. */
const TRANSIENT = new Set(['checkingResumeData', 'moving', 'unknown', 'allocating']);

export function mapTorrentState(state: string, progress: number): TorrentPhase {
  if (COMPLETE.has(state)) return 'completed';
  if (FAILED.has(state)) return 'failed';
  if (STALLED.has(state)) return 'stalled';
  if (TRANSIENT.has(state) && progress >= 1) return 'completed';
  // downloading, forcedDL, queuedDL, checkingDL, pausedDL/stoppedDL and anything new.
  return 'downloading';
}
