// Reading one indexer's answer for one book, page by page (offset/limit; Torznab's total when
// it gives one, else a short page is the last), until the book is settled or every result was
// read, within the run's caps on searches and on extra pages, through the result cache with
// mam-search's never-stale rules (lib/mam/search-cache: a page answers only for a book asked
// after it was fetched).
import type { Collection } from '../store/store';
import { cacheGetKey, cachePutKey } from '../mam/search-cache';
import type { IndexerEndpoint, IndexerPage, IndexerQuery, IndexerRelease } from './types';

export const CACHE_KIND = 'indexer-search';
export const MISS_KIND = 'indexer-miss';

export interface IndexerReader {
  cache?: Collection;
  cacheTtlMs: number;
  now: () => Date;
  maxSearches: number;
  maxPages: number;
  stats: { searches: number; pages: number; cacheHits: number };
}

/** `fetched`: the cache keys of the pages asked of the indexer now (not read from the cache). */
export interface IndexerAnswer { releases: IndexerRelease[]; unreadable: IndexerPage['unreadable']; read: number; fetched: string[]; stop?: 'searches' | 'pages' }

export function pageKey(scope: string, q: IndexerQuery): string {
  return JSON.stringify([scope, q.mode, (q.q ?? '').toLowerCase(), (q.author ?? '').toLowerCase(), (q.title ?? '').toLowerCase(), q.categories, q.limit, q.offset]);
}

export async function readIndexer(ep: IndexerEndpoint, scope: string, q: IndexerQuery, r: IndexerReader, since: number, settled: (rs: IndexerRelease[]) => boolean): Promise<IndexerAnswer> {
  const out: IndexerAnswer = { releases: [], unreadable: [], read: 0, fetched: [] };
  for (let page = 0; ; page++) {
    const pq = { ...q, offset: page * q.limit };
    const key = pageKey(scope, pq);
    let res = await cacheGetKey<IndexerPage>(r.cache, CACHE_KIND, key, r.cacheTtlMs, r.now(), since);
    if (res) r.stats.cacheHits++;
    else {
      if (r.stats.searches >= r.maxSearches) { out.stop = 'searches'; break; }
      if (page > 0 && r.stats.pages >= r.maxPages) { out.stop = 'pages'; break; }
      r.stats.searches++;
      if (page > 0) r.stats.pages++;
      res = await ep.search(pq);
      out.fetched.push(key);
      if (r.cacheTtlMs > 0) await cachePutKey(r.cache, CACHE_KIND, key, res, r.now());
    }
    out.releases.push(...res.releases);
    out.unreadable.push(...res.unreadable);
    const rows = res.releases.length + res.unreadable.length;
    out.read += rows;
    if (settled(out.releases) || rows < q.limit || (res.total !== undefined && out.read >= res.total)) break;
  }
  return out;
}
