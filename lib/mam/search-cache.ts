// mam-search's records in the `cache` collection: each query's results (kind "mam-search",
// kept for the cache TTL) and, for gaps without a wanted record, the not-found back-off (kind
// "mam-miss"). Expired ones are pruned at the start of a run, so the file holds what a run can
// still use, not every query ever sent.
import type { Collection } from '../store/store';
import type { SearchRecord } from '../store/wanted';
import type { MamSearchQuery, MamSearchResult } from './client';

export type Miss = Pick<SearchRecord, 'lastAt' | 'attempts' | 'retryAfter' | 'reason'>;

/** A miss whose next search is this long overdue belongs to a gap no run asks about any more. */
export const MISS_KEEP_MS = 60 * 86400_000;

/** Removes results older than the TTL (all of them when the cache is off) and long-overdue misses. */
export async function pruneCache(cache: Collection | undefined, ttlMs: number, now: Date, resultKind = 'mam-search', missKind = 'mam-miss'): Promise<number> {
  if (!cache) return 0;
  const results = await cache.remove({ kind: resultKind, at: { $lte: now.getTime() - Math.max(0, ttlMs) } }, { multi: true });
  const misses = await cache.remove({ kind: missKind, retryAfter: { $lt: new Date(now.getTime() - MISS_KEEP_MS).toISOString() } }, { multi: true });
  return results + misses;
}

// `kind`: indexer-search keeps its own back-off ("indexer-miss"): a miss on MAM says nothing
// about another indexer, and the other way round.
export async function missGet(cache: Collection | undefined, key: string, kind = 'mam-miss'): Promise<Miss | undefined> {
  return ((await cache?.findOne({ kind, key })) as (Miss & { kind: string }) | null) ?? undefined;
}

export async function missPut(cache: Collection | undefined, key: string, miss: Miss, kind = 'mam-miss'): Promise<void> {
  await cache?.update({ kind, key }, { kind, key, ...miss }, { upsert: true });
}

export async function missClear(cache: Collection | undefined, key: string, kind = 'mam-miss'): Promise<void> {
  await cache?.remove({ kind, key }, { multi: true });
}

function cacheKey(q: MamSearchQuery): string {
  const key = [q.text.toLowerCase(), [...q.srchIn].sort(), q.searchType, q.mainCat, q.langs, q.perpage];
  // Page 1 keeps the key it had before paging, so existing cache files stay valid.
  return JSON.stringify(q.startNumber ? [...key, q.startNumber] : key);
}

/**
 * A cached page, if it is within the TTL and was fetched at or after `since` (ms): an answer
 * older than the book's first sighting or the user's Retry is not an answer about that book.
 */
export function cacheGet(cache: Collection | undefined, q: MamSearchQuery, ttl: number, now: Date, since = 0): Promise<MamSearchResult | undefined> {
  return cacheGetKey<MamSearchResult>(cache, 'mam-search', cacheKey(q), ttl, now, since);
}

export function cachePut(cache: Collection | undefined, q: MamSearchQuery, result: MamSearchResult, now: Date): Promise<void> {
  return cachePutKey(cache, 'mam-search', cacheKey(q), result, now);
}

/** The same never-stale rules for any searcher's answers (indexer-search: kind "indexer-search"). */
export async function cacheGetKey<T>(cache: Collection | undefined, kind: string, key: string, ttl: number, now: Date, since = 0): Promise<T | undefined> {
  if (!cache || ttl <= 0) return undefined;
  const doc = (await cache.findOne({ kind, key })) as { at: number; result: T } | null;
  return doc && now.getTime() - doc.at < ttl && doc.at >= since ? doc.result : undefined;
}

export async function cachePutKey(cache: Collection | undefined, kind: string, key: string, result: unknown, now: Date): Promise<void> {
  if (!cache) return;
  await cache.update({ kind, key }, { kind, key, at: now.getTime(), result }, { upsert: true });
}
