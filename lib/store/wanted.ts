// The `wanted` collection: one record per wanted book (keyed by Gap.key) with its
// lifecycle. series-gaps creates and resolves records, mam-search records searches,
// qbit-queue and abs-import-watch move them on. A user's "ignore" survives every re-run.
import type { Candidate, Gap } from '../types';
import { collection } from './store';

export type WantedState =
  | 'wanted' | 'unreleased' | 'not_found' | 'found' | 'queued' | 'downloading'
  | 'completed' | 'imported' | 'imported_suspect' | 'failed' | 'resolved';

export interface SearchRecord {
  lastAt: string;
  attempts: number;
  /** ISO time before which a not-found book is not searched again. */
  retryAfter?: string;
  reason?: string;
  torrentId?: number;
}

export interface WantedRecord {
  key: string;
  gap: Gap;
  state: WantedState;
  ignored: boolean;
  firstSeenAt: string;
  updatedAt: string;
  resolvedAt?: string;
  search?: SearchRecord;
  /** Info-hash once queued. */
  hash?: string;
  /** The torrent chosen for this book, once queued (its title names a title-less series gap). */
  torrent?: { id: number; title: string };
  /**
   * When the user last pressed Retry (gap-store / msg.action "retry"). A failed or removed
   * download is searched and queued again only after this mark, and a cached search answer
   * older than it never serves the book.
   */
  retryRequestedAt?: string;
  /** Torrents given up on for this book (stalled, failed, gone): never queued for it again (lib/heal). */
  refused?: Refusal[];
  /** The book's accepted candidates from the search that queued it, best first (lib/heal's next attempts). */
  candidates?: StoredCandidate[];
  /** A torrent was refused and the next candidate is still to be queued (survives a restart). */
  healPending?: boolean;
  history: { at: string; state: WantedState; note?: string }[];
  /**
   * The runs still reporting this book: a series-gaps scope ("library:<ids>" or "node:<id>").
   * A run resolves only its own records, so two libraries never resolve each other's books.
   * Absent on records written before scopes existed: the next run that does not report it resolves it.
   */
  scopes?: string[];
}

export interface Refusal { torrentId: number; hash?: string; reason: string; at: string }

/** A Candidate without its gap (the record holds the gap). */
export type StoredCandidate = Omit<Candidate, 'gap'>;

const HISTORY_MAX = 30;
/** Scope of callers that do not name one: the whole store is one scope. */
export const STORE_SCOPE = 'store';
/** States after which a gap that vanished from the analysis is the download we made, not a resolution. */
const IN_FLIGHT: WantedState[] = ['queued', 'downloading', 'completed', 'imported'];

/** A download of the book exists (on its way, imported, or imported but suspect): no search or queue run starts another. */
export const HAS_DOWNLOAD: readonly WantedState[] = [...IN_FLIGHT, 'imported_suspect'];

/**
 * A book every search run leaves alone: ignored, one with a download (HAS_DOWNLOAD), or failed
 * (it waits for the user's Retry, which puts it back to wanted: searching it now would only
 * queue it again behind their back).
 */
export function searchLeavesAlone(rec: WantedRecord | null | undefined): boolean {
  return !!rec && (rec.ignored === true || HAS_DOWNLOAD.includes(rec.state) || rec.state === 'failed');
}

export class WantedStore {
  private constructor(private readonly db: Awaited<ReturnType<typeof collection>>) {}

  static async open(dir: string): Promise<WantedStore> {
    const db = await collection(dir, 'wanted');
    await db.ensureIndex({ fieldName: 'key', unique: true });
    return new WantedStore(db);
  }

  async get(key: string): Promise<WantedRecord | null> {
    return (await this.db.findOne({ key })) as unknown as WantedRecord | null;
  }

  async list(query: Record<string, unknown> = {}): Promise<WantedRecord[]> {
    return (await this.db.find(query).sort({ firstSeenAt: 1, key: 1 })) as unknown as WantedRecord[];
  }

  /**
   * Records the current analysis: new gaps become wanted (or unreleased), known ones get the
   * fresh gap data, and wanted ones no longer reported are marked resolved (never deleted).
   * A gap whose key holds a record of another ASIN is stored under `asin:<its ASIN>` (in place).
   * Only records of `scope` are resolved; one that another scope still reports stays wanted.
   */
  async syncGaps(gaps: Gap[], now = new Date(), scope = STORE_SCOPE): Promise<{ added: number; resolved: number }> {
    const at = now.toISOString();
    const seen = new Set<string>();
    let added = 0;
    for (const gap of gaps) {
      let existing = await this.get(gap.key);
      // A record that holds another ASIN is another book (perhaps already downloaded): it is
      // never overwritten; the gap is recorded under its own ASIN instead (its key changes in
      // place). persistGaps chooses keys so that this does not happen; this is the last guard.
      const asin = asinOf(gap);
      if (existing && asin && asinOf(existing.gap) && asinOf(existing.gap) !== asin) {
        gap.key = `asin:${asin}`;
        existing = await this.get(gap.key);
      }
      seen.add(gap.key);
      const fresh: WantedState = gap.status === 'unreleased' ? 'unreleased' : 'wanted';
      if (!existing) {
        await this.db.insert({ key: gap.key, gap, state: fresh, ignored: false, firstSeenAt: at, updatedAt: at, history: [{ at, state: fresh }], scopes: [scope] });
        added++;
      } else {
        // Back to the state the analysis implies: a resolved book is missing again, a released
        // one is wanted, and one whose release moved into the future waits again (a search
        // now would find nothing, or the wrong book).
        const reopen = existing.state === 'resolved'
          || (existing.state === 'unreleased' && fresh === 'wanted')
          || (fresh === 'unreleased' && (existing.state === 'wanted' || existing.state === 'not_found' || existing.state === 'found'));
        // Most nights nothing changed: skip the write (each one appends to the file).
        const scopes = [...new Set([...(existing.scopes ?? []), scope])];
        if (!reopen && sameGap(existing.gap, gap) && scopes.length === existing.scopes?.length) continue;
        await this.db.update({ key: gap.key }, { $set: { gap, scopes, updatedAt: at, ...(reopen ? { state: fresh } : {}) } });
        if (reopen) await this.pushHistory(gap.key, fresh, at, 'reported again');
      }
    }
    let resolved = 0;
    for (const rec of await this.list({ state: { $in: ['wanted', 'unreleased', 'not_found', 'found'] } })) {
      if (seen.has(rec.key) || !inScope(rec, scope)) continue;
      const others = rec.scopes?.filter((s) => s !== scope) ?? [];
      if (others.length > 0) {
        await this.db.update({ key: rec.key }, { $set: { scopes: others } });
        continue;
      }
      await this.setState(rec.key, 'resolved', { resolvedAt: at, scopes: [] }, 'no longer missing from the library', now);
      resolved++;
    }
    return { added, resolved };
  }

  async setState(key: string, state: WantedState, patch: Partial<WantedRecord> = {}, note?: string, now = new Date()): Promise<void> {
    const at = now.toISOString();
    await this.db.update({ key }, { $set: { ...patch, state, updatedAt: at } });
    await this.pushHistory(key, state, at, note);
  }

  async recordSearch(key: string, search: SearchRecord, state: 'found' | 'not_found', note?: string): Promise<void> {
    await this.setState(key, state, { search }, note);
  }

  async setIgnored(key: string, ignored: boolean): Promise<boolean> {
    const n = await this.db.update({ key }, { $set: { ignored, updatedAt: new Date().toISOString() } });
    return n > 0;
  }

  /**
   * The user's Retry: clears the not-found back-off and marks the request (retryRequestedAt),
   * so the next run searches afresh and qbit-queue may add a failed or removed download again.
   */
  async retry(key: string, now = new Date(), opts: { clearRefusals?: boolean } = {}): Promise<boolean> {
    const rec = await this.get(key);
    if (!rec || IN_FLIGHT.includes(rec.state)) return false;
    // Refused torrents stay refused unless the user asks otherwise (they may have fixed the cause).
    await this.db.update({ key }, { $unset: { 'search.retryAfter': true, healPending: true, ...(opts.clearRefusals ? { refused: true } : {}) } });
    // Retry on a suspect import says the user doubts it too: that torrent is not picked again.
    // (Stamped at the Retry itself, so it does not count against the attempts after it.)
    if (rec.state === 'imported_suspect' && rec.torrent) {
      await this.refuse(key, { torrentId: rec.torrent.id, ...(rec.hash ? { hash: rec.hash } : {}), reason: 'suspect import; the user pressed Retry', at: now.toISOString() });
      await this.clearHealPending(key);
    }
    await this.setState(key, rec.gap.status === 'unreleased' ? 'unreleased' : 'wanted', { retryRequestedAt: now.toISOString() }, 'retry requested', now);
    return true;
  }

  /** Records a refused torrent (once per torrent id) and marks the book for its next candidate. */
  async refuse(key: string, refusal: Refusal): Promise<void> {
    const rec = await this.get(key);
    if (!rec) return;
    const known = (rec.refused ?? []).some((r) => r.torrentId === refusal.torrentId);
    await this.db.update({ key }, { $set: { healPending: true, ...(known ? {} : { refused: [...(rec.refused ?? []), refusal] }) } });
  }

  async keepCandidates(key: string, candidates: StoredCandidate[]): Promise<void> {
    await this.db.update({ key }, { $set: { candidates } });
  }

  async clearHealPending(key: string): Promise<void> {
    await this.db.update({ key }, { $unset: { healPending: true } });
  }

  private async pushHistory(key: string, state: WantedState, at: string, note?: string): Promise<void> {
    await this.db.update({ key }, { $push: { history: { $each: [{ at, state, ...(note ? { note } : {}) }], $slice: -HISTORY_MAX } } });
  }
}

/** True when a run of `scope` speaks for the record (a record no scope claims is everyone's). */
export function inScope(rec: WantedRecord, scope: string): boolean {
  return !rec.scopes?.length || rec.scopes.includes(scope);
}

function asinOf(gap: Gap): string | undefined {
  return gap.asin?.trim().toUpperCase() || undefined;
}

/** Field-by-field equality of two gaps (plain JSON values), whatever the key order. */
function sameGap(a: Gap, b: Gap): boolean {
  const ka = Object.keys(a).filter((k) => a[k as keyof Gap] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k as keyof Gap] !== undefined);
  return ka.length === kb.length && ka.every((k) => JSON.stringify(a[k as keyof Gap]) === JSON.stringify(b[k as keyof Gap]));
}
