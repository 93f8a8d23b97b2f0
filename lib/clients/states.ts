// Transmission's and Deluge's torrent states reduced to the four phases of lib/qbit/states.ts,
// with the same rules: "completed" means all data is on disk and settled (seeding or stopped
// at 100 %); being checked or moved is "downloading" and held, even at 100 %; a running
// download with no peer sending is "stalled" (qBittorrent's stalledDL); a local error
// (missing files, disk) is "failed" — a tracker that does not answer is not.
import type { TorrentPhase } from '../qbit/states';

export interface MappedState { phase: TorrentPhase; state: string; held: boolean }

/** Transmission's tr_torrent_activity numbers (RPC spec, "status"). */
const TR_WORDS = ['stopped', 'check-wait', 'checking', 'download-wait', 'downloading', 'seed-wait', 'seeding'];
/** tr_stat_errtype: 1 tracker warning, 2 tracker error, 3 local error. */
const TR_LOCAL_ERROR = 3;

export function mapTransmission(t: { status: number; error: number; errorString: string; percentDone: number; metadataPercentComplete: number; peersSendingToUs: number; isStalled: boolean }): MappedState {
  const word = TR_WORDS[t.status] ?? `status ${t.status}`;
  if (t.error === TR_LOCAL_ERROR) return { phase: 'failed', state: `error: ${t.errorString}`, held: false };
  const done = t.percentDone >= 1 && t.metadataPercentComplete >= 1;
  if (t.status === 1 || t.status === 2) return { phase: 'downloading', state: word, held: true };
  if (t.status >= 5 || (t.status === 0 && done)) return { phase: 'completed', state: word, held: false };
  if (t.status === 0) return { phase: 'downloading', state: word, held: true };
  if (t.status === 4 && (t.isStalled || t.peersSendingToUs === 0)) return { phase: 'stalled', state: 'downloading (no peers)', held: false };
  return { phase: 'downloading', state: word, held: false };
}

const DELUGE_HELD = new Set(['Checking', 'Allocating', 'Moving']);

/** Deluge 2 state names (TorrentState); progress is 0..100 there. */
export function mapDeluge(t: { state: string; progress: number; num_seeds: number; num_peers: number }): MappedState {
  const done = t.progress >= 100;
  if (t.state === 'Error') return { phase: 'failed', state: t.state, held: false };
  if (DELUGE_HELD.has(t.state)) return { phase: 'downloading', state: t.state, held: true };
  if (t.state === 'Seeding' || ((t.state === 'Paused' || t.state === 'Queued') && done)) return { phase: 'completed', state: t.state, held: false };
  if (t.state === 'Paused') return { phase: 'downloading', state: t.state, held: true };
  if (t.state === 'Downloading' && t.num_seeds + t.num_peers === 0) return { phase: 'stalled', state: 'Downloading (no peers)', held: false };
  return { phase: 'downloading', state: t.state, held: false };
}
