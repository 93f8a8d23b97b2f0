// The `downloads` collection: one record per wanted book we handed (or are handing) to a
// download client (which one: `client`), keyed by the wanted key with a unique index. It is the exactly-once ledger:
// phase "intent" is written BEFORE the add (with the hash and the .torrent bytes once known),
// phase "added" after qBittorrent confirmed. An intent found by a later run is a half-done
// add from a crash and is healed by looking its hash up in qBittorrent.
import type { ClientRef, Gap, ImportEventName, ImportEvidence, TorrentOrigin } from '../types';
import { collection, type Collection } from '../store/store';
import type { TorrentPhase } from '../qbit/states';
import type { WedgeOutcome } from '../mam/client';

export type LedgerPhase = 'intent' | 'added';

/** What abs-import-watch remembers per download, so each transition is emitted once. */
export interface WatchState {
  phase?: TorrentPhase | 'missing';
  /** Whole percent (0.37), so a poll that moved a fraction of a percent writes nothing. */
  progress?: number;
  lastProgressAt?: string;
  /** Paused or being checked/moved: the stall clock restarts when it runs again. */
  held?: boolean;
  completedAt?: string;
  scanRequestedAt?: string;
  /** Events already emitted; "stalled" is removed again when progress resumes. */
  emitted: ImportEventName[];
  item?: { id: string; title: string; path: string };
  /** What ABS measured of the item against the book wanted; reasons non-empty: imported_suspect. */
  verify?: { reasons: string[]; evidence: ImportEvidence };
  /** True once imported, failed or removed: the watcher stops polling it. */
  done?: boolean;
  reason?: string;
}

export interface DownloadRecord {
  key: string;
  /** Set when Retry retired this record: the book key it was the download of (its own key changed). */
  retiredFrom?: string;
  phase: LedgerPhase;
  gap: Gap;
  torrentId: number;
  /** An indexer result's origin (no secret in it): where its .torrent is fetched. Absent: MAM. */
  source?: TorrentOrigin;
  hash?: string;
  name?: string;
  category: string;
  tags: string[];
  savePath: string;
  paused: boolean;
  intentAt: string;
  queuedAt?: string;
  /** The torrent was already in qBittorrent (same hash) and was taken over, not added. */
  adopted?: boolean;
  /** The freeleech wedge mam-search planned, spent right before the .torrent was fetched ("bought"), or why none was needed. */
  wedge?: WedgeOutcome;
  /** The client it went to (type + config node); absent on records from before clients could be picked: qBittorrent. */
  client?: ClientRef;
  /** The .torrent (base64), kept only while phase is "intent" so a crash can be healed without MAM. */
  torrentFile?: string;
  /** Or the magnet link (an indexer that gives only that), kept as torrentFile is: it may carry a tracker passkey. */
  magnet?: string;
  watch?: WatchState;
}

export class DownloadStore {
  private constructor(private readonly db: Collection) {}

  static async open(dir: string): Promise<DownloadStore> {
    const db = await collection(dir, 'downloads');
    await db.ensureIndex({ fieldName: 'key', unique: true });
    return new DownloadStore(db);
  }

  async get(key: string): Promise<DownloadRecord | null> {
    return (await this.db.findOne({ key })) as unknown as DownloadRecord | null;
  }

  async byHash(hash: string): Promise<DownloadRecord | null> {
    return (await this.db.findOne({ hash, phase: 'added' })) as unknown as DownloadRecord | null;
  }

  async list(query: Record<string, unknown> = {}): Promise<DownloadRecord[]> {
    return (await this.db.find(query).sort({ intentAt: 1, key: 1 })) as unknown as DownloadRecord[];
  }

  /** Writes the intent; false when the key is already in the ledger (unique index). */
  async recordIntent(rec: Omit<DownloadRecord, 'phase'>): Promise<boolean> {
    try {
      await this.db.insert({ ...rec, phase: 'intent' });
      return true;
    } catch (err) {
      if ((err as { errorType?: string }).errorType === 'uniqueViolated') return false;
      throw err;
    }
  }

  async update(key: string, patch: Partial<DownloadRecord>): Promise<void> {
    await this.db.update({ key }, { $set: patch });
  }

  async confirm(key: string, patch: Partial<DownloadRecord>): Promise<void> {
    await this.db.update({ key }, { $set: { ...patch, phase: 'added' }, $unset: { torrentFile: true, magnet: true } });
    await this.forgetTorrentFiles();
  }

  async drop(key: string): Promise<void> {
    const removed = await this.db.remove({ key, phase: 'intent' }, {});
    if (removed) await this.forgetTorrentFiles();
  }

  /**
   * The .torrent carries the user's passkey. nedb appends every change, so the line holding it
   * stays in downloads.db after $unset or remove until the file is rewritten: rewrite it now
   * (nedb's crash-safe compaction: temp file, then rename). The ledger is small (one record per
   * download), and this happens once per add. Keeping the file in nedb rather than in a
   * separate file keeps one store and one crash-safe write path for the intent and its bytes.
   */
  private async forgetTorrentFiles(): Promise<void> {
    await (this.db as unknown as { compactDatafileAsync(): Promise<void> }).compactDatafileAsync();
  }

  /** Moves a finished-and-failed download out of the way of a new attempt, keeping it on file. */
  async retire(key: string): Promise<void> {
    await this.db.update({ key, phase: 'added' }, { $set: { key: `${key}~retired~${Date.now()}`, retiredFrom: key } });
  }

  async setWatch(key: string, watch: WatchState): Promise<void> {
    await this.db.update({ key }, { $set: { watch } });
  }
}
