// A book whose torrent was refused gets its next accepted candidate from the search that queued
// it (kept on the wanted record by qbit-queue), through qbit-queue's own add path: the intent
// goes into the ledger before MAM is asked, a planned freeleech wedge is spent right before the
// download, a hash qBittorrent already has is adopted. Refused torrents (by id, and by hash once
// the .torrent is read) are never tried again. After maxAttempts refusals since the user's last
// Retry the book is `failed`, its history naming every attempt and why. Candidates from a search
// older than the limit (default 7 days) are not queued: the book goes back to the next search.
import type { TorrentOrigin } from '../types';
import type { DownloadRecord } from '../queue/downloads';
import { queueOne } from '../queue/queue';
import { attemptsSinceRetry, isRefused, refusalsSinceRetry } from '../store/refused';
import type { WantedRecord, WantedStore } from '../store/wanted';
import type { HealDeps } from './heal';
import { follows } from '../clients/ref';

export type NextResult =
  | { key: string; action: 'queued'; torrentId: number; hash: string; attempt: number }
  | { key: string; action: 'gave_up'; attempts: { torrentId: number; reason: string }[] }
  | { key: string; action: 'search_again' | 'waiting'; reason: string };

export interface NextLimits {
  maxAttempts: number;
  /** Kept candidates from a search older than this are not queued: the book is searched afresh. */
  searchMaxAgeDays?: number;
}

const DAY = 86_400_000;

export async function queueNext(deps: HealDeps & { wanted: WantedStore }, key: string, limits: NextLimits, now: Date): Promise<NextResult> {
  const { maxAttempts } = limits;
  const { downloads, wanted } = deps;
  for (;;) {
    const rec = (await wanted.get(key)) as WantedRecord;
    // A live attempt is in the ledger (queued by qbit-queue meanwhile, or an intent a crash
    // left, healed on the next tick): nothing to add.
    if (await downloads.get(key)) { await wanted.clearHealPending(key); return { key, action: 'waiting', reason: 'an attempt is already in the ledger' }; }
    // The next attempt goes to the client the last one went to: another client's watcher leaves it alone.
    const prev = await lastAttempt(downloads, key);
    if (prev && !follows(deps.scope, prev)) return { key, action: 'waiting', reason: 'the last attempt went to another client' };
    const attempts = attemptsSinceRetry(rec);
    if (attempts >= maxAttempts) return giveUp(wanted, rec, now);
    const next = (rec.candidates ?? []).filter((c) => !isRefused(rec, c.torrent));
    const stale = next.length ? staleSearch(rec, limits, now) : undefined;
    // A MAM torrent needs a MAM account here; an indexer's, its config node (indexer-only flows heal too).
    const cannot = next.length && deps.source ? deps.source.unavailable?.(next[0].torrent.source) : undefined;
    if (!next.length || !deps.source || rec.ignored || stale || cannot) {
      const why = rec.ignored ? 'ignored by the user' : !deps.source ? 'no MAM account on abs-import-watch to fetch the next candidate' : stale ?? (cannot ? `the next candidate: ${cannot}` : 'no other accepted candidate kept');
      await wanted.setState(key, 'wanted', {}, `torrent refused; ${why}: the next search looks again`, now);
      await wanted.clearHealPending(key);
      return { key, action: 'search_again', reason: why };
    }
    const [c, after] = next;
    const base = { ...placement(prev, rec, c.torrent, now), ...(deps.scope ? { client: deps.scope.ref } : {}) };
    if (!(await downloads.recordIntent(base))) continue;
    // A wedge planned on this candidate is spent as qbit-queue would (perRunSource not needed: one add).
    const onWedge = c.wedge ? () => undefined : undefined;
    const outcome = await queueOne({ qbit: deps.client, source: deps.source, downloads, wanted, lockKey: deps.lockKey, scope: deps.scope }, base, onWedge, () => now, after?.torrent.id);
    if (outcome.ok) {
      await wanted.clearHealPending(key);
      return { key, action: 'queued', torrentId: c.torrent.id, hash: outcome.download.hash, attempt: attempts + 1 };
    }
    // Kept intent: qBittorrent took it but does not list it yet; the next tick heals it.
    if (await downloads.get(key)) return { key, action: 'waiting', reason: outcome.reason };
    await wanted.refuse(key, { torrentId: c.torrent.id, reason: outcome.reason, at: now.toISOString() });
  }
}

/**
 * Why the kept candidates are too old to queue, or undefined. A torrent MAM listed a week ago
 * may be gone, dead or beaten by a better upload since: the next mam-search run looks again
 * (the book goes back to wanted; its cache never serves an answer older than its TTL). A record
 * without a search time (candidates from a flow without the wanted store) is not judged.
 */
export function staleSearch(rec: Pick<WantedRecord, 'search'>, limits: NextLimits, now: Date): string | undefined {
  const last = rec.search?.lastAt ? Date.parse(rec.search.lastAt) : Number.NaN;
  const limit = limits.searchMaxAgeDays;
  if (!limit || !(limit > 0) || Number.isNaN(last)) return undefined;
  const age = now.getTime() - last;
  if (age <= limit * DAY) return undefined;
  return `the kept candidates come from a search ${Math.floor(age / DAY)} days old (limit ${limit} days)`;
}

async function giveUp(wanted: WantedStore, rec: WantedRecord, now: Date): Promise<NextResult> {
  const attempts = refusalsSinceRetry(rec).map((r) => ({ torrentId: r.torrentId, reason: r.reason }));
  const list = attempts.map((a, i) => `${i + 1}) torrent ${a.torrentId}: ${a.reason}`).join('; ');
  await wanted.setState(rec.key, 'failed', {}, `gave up after ${attempts.length} torrents: ${list}`, now);
  await wanted.clearHealPending(rec.key);
  return { key: rec.key, action: 'gave_up', attempts };
}

async function lastAttempt(downloads: HealDeps['downloads'], key: string): Promise<DownloadRecord | undefined> {
  return (await downloads.list({ retiredFrom: key })).pop();
}

/** Where the next attempt goes: where the last one went (category, tags, folder, paused). */
function placement(prev: DownloadRecord | undefined, rec: WantedRecord, torrent: { id: number; title: string; source?: TorrentOrigin }, now: Date): Omit<DownloadRecord, 'phase'> {
  return {
    key: rec.key, gap: rec.gap, torrentId: torrent.id, ...(torrent.source ? { source: torrent.source } : {}), name: torrent.title,
    category: prev?.category ?? 'audiobooks', tags: prev?.tags ?? ['audiobook-gaps'], savePath: prev?.savePath ?? '', paused: prev?.paused ?? false,
    intentAt: now.toISOString(),
  };
}
