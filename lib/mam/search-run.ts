// One search run: for each gap, a few query shapes until one gives an acceptable torrent,
// each read page by page until the gap is settled (search-pages.ts), within the account's
// safety limits, per-run caps, a result cache that only answers for books it was asked after,
// and a not-found retry schedule, so a nightly run never hammers MAM with yesterday's misses. Freeleech wedges are
// only planned here (wedge-plan.ts); qbit-queue spends them.
import type { Candidate, Gap, NotFound } from '../types';
import type { Collection } from '../store/store';
import { searchLeavesAlone, type WantedRecord, type WantedStore } from '../store/wanted';
import { errorMessage } from '../errors';
import type { MamSearchQuery, MamSearchResult, MamUserStatus, SearchType } from './client';
import { isFree, rankTorrents, toTorrentInfo, type RankOptions, type Ranked, type Rejected } from './rank';
import { byNearness, missVerdict } from './misses';
import { queryShapes } from './queries';
import type { RowRejection } from './rows';
import { missClear, missGet, missPut, pruneCache } from './search-cache';
import { readQuery, type PageReader } from './search-pages';
import { planWedge, type WedgeRules } from './wedge-plan';
import { sessionUnusable } from './account-refusals';
import { isRefused } from '../store/refused';

/** What a search run needs from MAM: it reads, it never spends (no wedge purchase here). */
export interface MamApi {
  search(q: MamSearchQuery): Promise<MamSearchResult>;
  userStatus(): Promise<MamUserStatus>;
}

export interface SearchRunOptions {
  rank: Partial<RankOptions>;
  searchType: SearchType;
  mainCats: number[];
  /** MAM language ids for the query; the ranking still checks lang_code. */
  langIds: number[];
  maxSearches: number;
  /** Per run: result pages fetched after a query's first (a long series has hundreds of rows). */
  maxPages: number;
  cacheTtlMs: number;
  retryDays: number[];
  candidatesPerGap: number;
  /** Below this ratio only freeleech/VIP results are accepted (0 = off). */
  ratioFloor: number;
  /** Keep this many unsatisfied slots free below the class limit. */
  unsatMargin: number;
  /** Wedges are planned on candidates (Candidate.wedge), within perRun; qbit-queue spends them. */
  wedges: WedgeRules;
}

export const DEFAULT_RUN: SearchRunOptions = {
  rank: {},
  searchType: 'all',
  mainCats: [13],
  langIds: [1],
  maxSearches: 30,
  maxPages: 10,
  cacheTtlMs: 6 * 3600_000,
  retryDays: [1, 3, 7, 14],
  candidatesPerGap: 3,
  ratioFloor: 0,
  unsatMargin: 5,
  wedges: { enabled: false, minBytes: 1024 ** 3, perRun: 1 },
};

export interface SearchRunResult {
  candidates: Candidate[];
  notFound: NotFound[];
  /**
   * searches: MAM search requests (pages included); pages: of those, pages after a query's
   * first; wedges: wedges PLANNED on this run's candidates (none is spent by a search).
   */
  stats: { searches: number; pages: number; cacheHits: number; skipped: number; wedges: number; account?: string; stoppedBy?: string };
}

const DAY = 86400_000;

export async function runSearch(gaps: Gap[], deps: { api: MamApi; wanted?: WantedStore; cache?: Collection; now?: () => Date }, options: Partial<SearchRunOptions> = {}, onProgress?: (done: number, total: number) => void): Promise<SearchRunResult> {
  const opts = { ...DEFAULT_RUN, ...options, wedges: { ...DEFAULT_RUN.wedges, ...options.wedges } };
  const now = deps.now ?? (() => new Date());
  const out: SearchRunResult = { candidates: [], notFound: [], stats: { searches: 0, pages: 0, cacheHits: 0, skipped: 0, wedges: 0 } };
  const reader: PageReader = { api: deps.api, cache: deps.cache, cacheTtlMs: opts.cacheTtlMs, now, maxSearches: opts.maxSearches, maxPages: opts.maxPages, stats: out.stats };
  let account: Account | undefined;
  let stop: string | undefined;
  const seen = new Set<string>();
  const plannedWedges = new Set<number>();
  await pruneCache(deps.cache, opts.cacheTtlMs, now());

  for (const [i, gap] of gaps.entries()) {
    onProgress?.(i, gaps.length);
    // The same book twice in one payload is searched (and offered) once.
    if (seen.has(gap.key)) { out.stats.skipped++; continue; }
    seen.add(gap.key);
    const rec = deps.wanted ? await deps.wanted.get(gap.key) : null;
    if (searchLeavesAlone(rec)) { out.stats.skipped++; continue; }
    if (gap.status === 'unreleased') { out.notFound.push({ gap, reason: 'not released yet; not searched' }); continue; }
    const shapes = queryShapes(gap, opts);
    if (!shapes.length) { out.notFound.push({ gap, reason: 'not searched: the gap has neither a title nor a series position to search for' }); continue; }
    // Without a wanted record (series-gaps not persisting) the back-off lives in the cache store.
    const last = rec ? (rec.state === 'not_found' ? rec.search : undefined) : await missGet(deps.cache, gap.key);
    const backoff = last?.retryAfter;
    if (backoff && Date.parse(backoff) > now().getTime()) {
      out.notFound.push({ gap, reason: `not searched: nothing acceptable on the last search (${last?.reason ?? 'no reason kept'}); next search after ${backoff.slice(0, 10)}`, retryAfter: backoff });
      continue;
    }
    if (!stop && !account) account = await checkAccount(deps.api, opts, out.stats);
    if (!stop && account && account.slots <= 0) stop = `${account.unsat}: no more grabs this run`;
    if (stop) { out.notFound.push({ gap, reason: `not searched: ${stop}` }); continue; }
    const rankOpts: Partial<RankOptions> = { ...opts.rank, ...account!.rank, mainCats: opts.mainCats, ...paidRoom(account!, opts.ratioFloor) };
    let found: Ranked[] = [];
    const rejected = new Map<number, Rejected>();
    let results = 0;
    let unread = '';
    let wedge: { torrentId: number; reason: string } | undefined;
    const unreadable: RowRejection[] = [];
    const since = freshSince(rec, last);
    try {
      for (const q of shapes) {
        const answer = await readQuery(q, reader, since, (rows) => rankTorrents(gap, rows, rankOpts).accepted.length > 0);
        results += answer.torrents.length;
        unreadable.push(...answer.rejected);
        const ranked = rankTorrents(gap, answer.torrents, rankOpts);
        for (const r of ranked.rejected) rejected.set(r.torrent.id, r);
        // A torrent given up on for this book (stalled, failed: lib/heal) is never offered again.
        const accepted = ranked.accepted.filter((r) => !isRefused(rec, { id: r.torrent.id }));
        if (accepted.length) { found = accepted; break; }
        if (answer.stop === 'searches') { stop = `per-run cap of ${opts.maxSearches} MAM searches reached`; break; }
        if (answer.stop === 'pages') unread ||= `; stopped early: read ${answer.read} of ${answer.found} results for "${q.text}" (per-run cap of ${opts.maxPages} extra pages)`;
      }
      if (!found.length && stop) { out.notFound.push({ gap, reason: `not (fully) searched: ${stop}` }); continue; }
      ({ found, wedge } = planWedge(gap, found, [...rejected.values()], { rules: opts.wedges, held: account!.wedges, planned: plannedWedges }, rankOpts));
      out.stats.wedges = plannedWedges.size;
    } catch (err) {
      if (sessionUnusable(err)) throw err;
      // A persistent 429 or an outage: MAM wants us gone; report the rest unsearched.
      stop = errorMessage(err);
      out.stats.stoppedBy = stop;
      out.notFound.push({ gap, reason: `not searched: ${stop}` });
      continue;
    }
    const at = now().toISOString();
    // Consecutive misses pick the back-off step (1, 3, 7, 14 days); a hit or a user's retry restarts it.
    const attempts = (last?.attempts ?? 0) + 1;
    if (found.length) {
      account!.slots--;
      // A wedged pick is downloaded as freeleech or not at all (qbit-queue): no paid bytes.
      if (!wedge && !isFree(found[0].torrent, rankOpts.userIsVip ?? false)) account!.paidBytes += found[0].torrent.sizeBytes;
      if (!rec) await missClear(deps.cache, gap.key);
      for (const r of found.slice(0, opts.candidatesPerGap)) {
        const planned = wedge?.torrentId === r.torrent.id ? { wedge: { reason: wedge.reason } } : {};
        out.candidates.push({ gap, torrent: toTorrentInfo(r.torrent, r.covers), score: r.score, reasons: r.reasons, evidence: r.evidence, ...planned });
      }
      const note = `MAM torrent ${found[0].torrent.id}${wedge ? ' (freeleech wedge planned)' : ''}`;
      await deps.wanted?.recordSearch(gap.key, { lastAt: at, attempts, torrentId: found[0].torrent.id }, 'found', note);
    } else {
      const days = opts.retryDays[Math.min(attempts, opts.retryDays.length) - 1] ?? 1;
      const retryAfter = new Date(now().getTime() + days * DAY).toISOString();
      const list = byNearness([...rejected.values()]);
      const verdict = results === 0 ? 'no results on MAM' : missVerdict(list);
      // Rows MAM sent that we could not read may be the very book: say so, never hide them.
      const reason = `${unreadable.length ? `${verdict}; ${unreadable.length} row(s) unreadable (e.g. "${unreadable[0].title}": ${unreadable[0].reason})` : verdict}${unread}`;
      out.notFound.push({ gap, reason, rejected: list.slice(0, 10).map((r) => ({ torrent: toTorrentInfo(r.torrent), reasons: r.reasons })), retryAfter });
      if (rec) await deps.wanted?.recordSearch(gap.key, { lastAt: at, attempts, retryAfter, reason }, 'not_found', reason);
      else await missPut(deps.cache, gap.key, { lastAt: at, attempts, retryAfter, reason });
    }
  }
  onProgress?.(gaps.length, gaps.length);
  if (stop) out.stats.stoppedBy = stop;
  return out;
}

/**
 * The oldest cached answer that may speak for this gap (ms): one fetched after the book was
 * first seen and after the user's last Retry, and, for a book that missed before, one newer
 * than that miss, so every back-off step rests on a request really sent.
 */
export function freshSince(rec: WantedRecord | null, last: { lastAt?: string } | undefined): number {
  const times = [rec?.firstSeenAt, rec?.retryRequestedAt].map((t) => (t ? Date.parse(t) : 0));
  const miss = last?.lastAt ? Date.parse(last.lastAt) + 1 : 0;
  return Math.max(0, ...times.filter(Number.isFinite), Number.isFinite(miss) ? miss : 0);
}

interface Account { rank: Partial<RankOptions>; slots: number; wedges: number; unsat: string; status: MamUserStatus; paidBytes: number }

async function checkAccount(api: MamApi, opts: SearchRunOptions, stats: SearchRunResult['stats']): Promise<Account> {
  const s = await api.userStatus();
  const rank: Partial<RankOptions> = { userIsVip: /vip/i.test(s.classname) };
  if (opts.ratioFloor > 0 && s.ratio < opts.ratioFloor) {
    rank.freeOnlyReason = `ratio ${s.ratio.toFixed(2)} below your floor ${opts.ratioFloor.toFixed(2)}: only freeleech results are accepted`;
  }
  const slots = s.unsatisfied ? s.unsatisfied.limit - opts.unsatMargin - s.unsatisfied.count : Number.POSITIVE_INFINITY;
  const unsat = s.unsatisfied ? `${s.unsatisfied.count} of ${s.unsatisfied.limit} unsatisfied (margin ${opts.unsatMargin})` : 'unsatisfied count unknown';
  stats.account = `${s.username}, ratio ${s.ratio.toFixed(2)}, ${unsat}`;
  return { rank, slots, wedges: s.wedges, unsat, status: s, paidBytes: 0 };
}

/** Above the floor, how many more paid bytes (this run's paid picks counted) keep the ratio at it. */
function paidRoom(account: Account, floor: number): Partial<RankOptions> {
  const { ratio, uploadedBytes, downloadedBytes } = account.status;
  // No byte counts from MAM (both 0): nothing to project; the current ratio still applies.
  if (!(floor > 0) || ratio < floor || account.rank.freeOnlyReason || uploadedBytes <= 0) return {};
  return { paidRoom: { bytes: uploadedBytes / floor - downloadedBytes - account.paidBytes, ratio, floor } };
}
