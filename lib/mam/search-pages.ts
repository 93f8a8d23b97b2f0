// Reading one query's answer, page by page (`perpage` rows from `startNumber`; MAM's `found`
// is the total), until the gap is settled or every row was read. Each page is served from the
// cache only when it was fetched after `since` (the gap's first sighting, the user's last
// Retry, the last miss), so a cached answer never speaks for a book it was not asked for.
// Every page fetched counts against the run's cap on MAM searches, and the pages after a
// query's first against the run's cap on pages; the caller says so in the reasons when rows
// were left unread.
import type { Collection } from '../store/store';
import type { MamSearchQuery, MamSearchResult } from './client';
import type { MamTorrent, RowRejection } from './rows';
import { cacheGet, cachePut } from './search-cache';

export interface PageReader {
  api: { search(q: MamSearchQuery): Promise<MamSearchResult> };
  cache?: Collection;
  cacheTtlMs: number;
  now: () => Date;
  maxSearches: number;
  /** Per run: pages fetched after a query's first page. */
  maxPages: number;
  /** searches: requests sent; pages: of those, pages after a query's first (paging's cost). */
  stats: { searches: number; cacheHits: number; pages: number };
}

export interface QueryAnswer {
  torrents: MamTorrent[];
  rejected: RowRejection[];
  /** MAM's total for the query, and how many of its rows were read. */
  found: number;
  read: number;
  /** Why reading stopped before the last row (the per-run cap on searches, on pages). */
  stop?: 'searches' | 'pages';
}

export async function readQuery(q: MamSearchQuery, r: PageReader, since: number, settled: (torrents: MamTorrent[]) => boolean): Promise<QueryAnswer> {
  const out: QueryAnswer = { torrents: [], rejected: [], found: 0, read: 0 };
  const per = q.perpage ?? 50;
  for (let page = 0; ; page++) {
    const pageQ: MamSearchQuery = { ...q, startNumber: page * per };
    let res = await cacheGet(r.cache, pageQ, r.cacheTtlMs, r.now(), since);
    if (res) r.stats.cacheHits++;
    else {
      if (r.stats.searches >= r.maxSearches) { out.stop = 'searches'; break; }
      if (page > 0 && r.stats.pages >= r.maxPages) { out.stop = 'pages'; break; }
      r.stats.searches++;
      if (page > 0) r.stats.pages++;
      res = await r.api.search(pageQ);
      if (r.cacheTtlMs > 0) await cachePut(r.cache, pageQ, res, r.now());
    }
    out.torrents.push(...res.torrents);
    out.rejected.push(...res.rejected);
    const rows = res.torrents.length + res.rejected.length;
    out.read += rows;
    out.found = Math.max(res.found, out.read);
    // A short page is the last one, whatever `found` says.
    if (settled(out.torrents) || rows < per || out.read >= out.found) break;
  }
  return out;
}
