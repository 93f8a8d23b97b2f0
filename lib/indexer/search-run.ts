// One indexer search run, shaped like mam-search's (lib/mam/search-run.ts): for each gap, one
// query per indexer (book-search or free text, by its caps), read page by page within the
// run's caps through the never-stale result cache, every indexer's results ranked together by
// the same ranking, and a not-found back-off of its own (kind "indexer-miss", per config node:
// a miss on MAM says nothing about these indexers). An indexer that fails (down, 401, 429
// after retries, malformed answers) is left out for the rest of the run and named in the
// reasons; a book not searched on every indexer gets no back-off, so the next run asks again.
// Prowlarr answers an indexer's failure as an empty search and only the next search of it
// fails ("unavailable"): an indexer's empty answer right before it failed is not trusted.
import type { Candidate, Gap, NotFound } from '../types';
import type { Collection } from '../store/store';
import { searchLeavesAlone, type WantedStore } from '../store/wanted';
import { errorMessage } from '../errors';
import { redact } from '../secrets';
import { isRefused } from '../store/refused';
import type { RankOptions, Ranked, Rejected } from '../mam/rank';
import { byNearness, missVerdict } from '../mam/misses';
import { missClear, missGet, missPut, pruneCache, type Miss } from '../mam/search-cache';
import { freshSince } from '../mam/search-run';
import { bookQuery, searchCategories } from './caps';
import { indexerTorrentInfo, rankReleases, toIndexerTorrent, type IndexerTorrent } from './rank';
import { CACHE_KIND, MISS_KIND, readIndexer, type IndexerReader } from './search-pages';
import type { IndexerEndpoint } from './types';

export interface IndexerRunOptions {
  rank: Partial<RankOptions>;
  /** Per run: search requests over all indexers (pages included). */
  maxSearches: number;
  /** Per run: pages fetched after a query's first. */
  maxPages: number;
  perPage: number;
  cacheTtlMs: number;
  retryDays: number[];
  candidatesPerGap: number;
  /** The language code taken for a release whose title states none ("ENG"). */
  assumeLanguage: string;
}

export const DEFAULT_INDEXER_RUN: IndexerRunOptions = {
  rank: {}, maxSearches: 60, maxPages: 10, perPage: 100, cacheTtlMs: 6 * 3600_000, retryDays: [1, 3, 7, 14], candidatesPerGap: 3, assumeLanguage: 'ENG',
};

export interface IndexerRunDeps {
  /** The config node's id: the scope of its cache and back-off, and the owner of its results. */
  node: string;
  endpoints: IndexerEndpoint[];
  wanted?: WantedStore;
  cache?: Collection;
  now?: () => Date;
}

export interface IndexerRunResult {
  candidates: Candidate[];
  notFound: NotFound[];
  /** noAudio: indexers not searched because their categories hold no audio. */
  stats: { searches: number; pages: number; cacheHits: number; skipped: number; indexers: number; failed: Record<string, string>; noAudio: string[]; stoppedBy?: string };
}

const DAY = 86400_000;

export async function runIndexerSearch(gaps: Gap[], deps: IndexerRunDeps, options: Partial<IndexerRunOptions> = {}, onProgress?: (done: number, total: number) => void): Promise<IndexerRunResult> {
  const opts = { ...DEFAULT_INDEXER_RUN, ...options };
  const now = deps.now ?? (() => new Date());
  const out: IndexerRunResult = { candidates: [], notFound: [], stats: { searches: 0, pages: 0, cacheHits: 0, skipped: 0, indexers: deps.endpoints.length, failed: {}, noAudio: [] } };
  const reader: IndexerReader = { cache: deps.cache, cacheTtlMs: opts.cacheTtlMs, now, maxSearches: opts.maxSearches, maxPages: opts.maxPages, stats: out.stats };
  const rankOpts: Partial<RankOptions> = { ...opts.rank, mainCats: opts.rank.mainCats ?? [13] };
  const failed = out.stats.failed;
  const seen = new Set<string>();
  const noAudio = new Set<string>();
  let capped = false;
  /** Per indexer: the book whose live answer from it, the last one, was empty. */
  const lastEmpty = new Map<string, Suspect>();
  await pruneCache(deps.cache, opts.cacheTtlMs, now(), CACHE_KIND, MISS_KIND);

  for (const [i, gap] of gaps.entries()) {
    onProgress?.(i, gaps.length);
    if (seen.has(gap.key)) { out.stats.skipped++; continue; }
    seen.add(gap.key);
    const rec = deps.wanted ? await deps.wanted.get(gap.key) : null;
    if (searchLeavesAlone(rec)) { out.stats.skipped++; continue; }
    if (gap.status === 'unreleased') { out.notFound.push({ gap, reason: 'not released yet; not searched' }); continue; }
    const title = gap.title?.trim() || (gap.series && gap.sequence ? `${gap.series} ${gap.sequence}` : '');
    if (!title) { out.notFound.push({ gap, reason: 'not searched: the gap has neither a title nor a series position to search for' }); continue; }
    const missKey = `${deps.node}|${gap.key}`;
    // The user's Retry (wanted store) restarts this back-off as it restarts mam-search's.
    const miss = await missGet(deps.cache, missKey, MISS_KIND);
    const last = miss && !(rec?.retryRequestedAt && miss.lastAt && rec.retryRequestedAt > miss.lastAt) ? miss : undefined;
    if (last?.retryAfter && Date.parse(last.retryAfter) > now().getTime()) {
      out.notFound.push({ gap, reason: `not searched: nothing acceptable on the indexers' last search (${last.reason ?? 'no reason kept'}); next search after ${last.retryAfter.slice(0, 10)}`, retryAfter: last.retryAfter });
      continue;
    }
    if (capped) { out.notFound.push({ gap, reason: `not searched: per-run cap of ${opts.maxSearches} indexer searches reached` }); continue; }

    const since = freshSince(rec, last);
    const torrents: IndexerTorrent[] = [];
    const unsearched: string[] = [];
    const notes: string[] = [];
    let unreadable = 0;
    for (const ep of deps.endpoints) {
      if (failed[ep.name]) { unsearched.push(`${ep.name}: ${failed[ep.name]}`); continue; }
      try {
        const caps = await ep.caps();
        // An indexer whose categories hold no audio (e-books only) has no audiobook to give.
        if (caps.categories.length && !searchCategories(caps).length) { noAudio.add(ep.name); continue; }
        const q = bookQuery(caps, { title, author: gap.authors[0] }, { offset: 0, limit: Math.min(opts.perPage, caps.limitMax) });
        // Compared with the indexer's own clock (Prowlarr's failure record): real time, a minute's slack for skew.
        const askedAt = new Date(Date.now() - 60_000);
        const answer = await readIndexer(ep, `${deps.node}|${ep.key}`, q, reader, since, (rs) => rankReleases(gap, rs.map((r) => toIndexerTorrent(r, deps.node, opts.assumeLanguage)), rankOpts, opts.assumeLanguage).accepted.length > 0);
        torrents.push(...answer.releases.map((r) => toIndexerTorrent(r, deps.node, opts.assumeLanguage)));
        if (answer.fetched.length) {
          if (answer.read) lastEmpty.delete(ep.name);
          else lastEmpty.set(ep.name, { gapKey: gap.key, missKey, last, pages: answer.fetched, at: askedAt, ep });
        }
        unreadable += answer.unreadable.length;
        if (answer.stop === 'searches') { capped = true; unsearched.push(`${ep.name}: per-run cap of ${opts.maxSearches} searches reached`); }
        if (answer.stop === 'pages') notes.push(`stopped early on ${ep.name}: read ${answer.read} results (per-run cap of ${opts.maxPages} extra pages)`);
      } catch (err) {
        failed[ep.name] = redact(errorMessage(err));
        unsearched.push(`${ep.name}: ${failed[ep.name]}`);
        const suspect = lastEmpty.get(ep.name);
        if (suspect) await untrust(suspect, ep.name, out.notFound, deps.cache);
      }
    }
    const ranked = rankReleases(gap, dedupe(torrents), rankOpts, opts.assumeLanguage);
    const found = ranked.accepted.filter((r) => !isRefused(rec, { id: r.torrent.id, ...(hashOf(r) ? { hash: hashOf(r) } : {}) }));
    const at = now().toISOString();
    if (found.length) {
      await missClear(deps.cache, missKey, MISS_KIND);
      for (const r of found.slice(0, opts.candidatesPerGap)) {
        out.candidates.push({ gap, torrent: indexerTorrentInfo(r.torrent as IndexerTorrent, r.covers), score: r.score, reasons: r.reasons, evidence: r.evidence });
      }
      const best = found[0].torrent as IndexerTorrent;
      await deps.wanted?.recordSearch(gap.key, { lastAt: at, attempts: 1, torrentId: best.id }, 'found', `${best.source.indexer}: "${best.title}"`);
      continue;
    }
    // The user reads the indexer's own release titles, not the ranking's parsed ones.
    const list = byNearness(ranked.rejected).map((r) => ({ ...r, torrent: { ...r.torrent, title: (r.torrent as IndexerTorrent).rawTitle } }));
    const verdict = torrents.length === 0 ? 'no results on the indexers' : missVerdict(list);
    const reason = [verdict, ...(unreadable ? [`${unreadable} result(s) unreadable`] : []), ...notes, ...(unsearched.length ? [`not searched on ${unsearched.join('; ')}`] : [])].join('; ');
    const rejected = list.slice(0, 10).map((r: Rejected) => ({ torrent: indexerTorrentInfo(r.torrent as IndexerTorrent), reasons: r.reasons }));
    if (unsearched.length) { out.notFound.push({ gap, reason, rejected }); continue; }
    const attempts = (last?.attempts ?? 0) + 1;
    const days = opts.retryDays[Math.min(attempts, opts.retryDays.length) - 1] ?? 1;
    const retryAfter = new Date(now().getTime() + days * DAY).toISOString();
    out.notFound.push({ gap, reason, rejected, retryAfter });
    await missPut(deps.cache, missKey, { lastAt: at, attempts, retryAfter, reason }, MISS_KIND);
  }
  // An empty answer that was an indexer's LAST search of the run has no later search to reveal a
  // failure behind it: ask the indexer's record (one request, only after such an answer).
  for (const [name, s] of lastEmpty) {
    if (failed[name] || !s.ep.failedSince) continue;
    const hid = await s.ep.failedSince(s.at).catch(() => false);
    if (hid) await untrust(s, name, out.notFound, deps.cache);
  }
  onProgress?.(gaps.length, gaps.length);
  out.stats.noAudio = [...noAudio];
  const down = Object.entries(failed);
  if (down.length) out.stats.stoppedBy = down.map(([n, why]) => `${n}: ${why}`).join('; ');
  return out;
}

/** `at`: just before the search; `ep`: the indexer, asked at the end of the run whether it failed since. */
interface Suspect { gapKey: string; missKey: string; last?: Miss; pages: string[]; at: Date; ep: IndexerEndpoint }

/** The empty answer may have hidden the failure: its cached pages go, and its back-off is undone. */
async function untrust(s: Suspect, indexer: string, notFound: NotFound[], cache: Collection | undefined): Promise<void> {
  await cache?.remove({ kind: CACHE_KIND, key: { $in: s.pages } }, { multi: true });
  const nf = notFound.find((n) => n.gap.key === s.gapKey);
  if (!nf?.retryAfter) return;
  if (s.last) await missPut(cache, s.missKey, s.last, MISS_KIND);
  else await missClear(cache, s.missKey, MISS_KIND);
  delete nf.retryAfter;
  nf.reason = `${nf.reason}; ${indexer} failed right after this search (its empty answer may hide the failure): searched again on the next run`;
}

/** One release listed by two indexers (same info-hash) is one torrent. */
function dedupe(ts: IndexerTorrent[]): IndexerTorrent[] {
  const seen = new Set<string>();
  return ts.filter((t) => {
    const k = t.source.infoHash ?? `${t.source.indexer}|${t.source.guid}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function hashOf(r: Ranked): string | undefined {
  return (r.torrent as IndexerTorrent).source.infoHash;
}
