// One search run: for each gap, a few query shapes until one gives an acceptable torrent,
// within the account's safety limits, a per-run cap, a result cache and a not-found retry
// schedule, so a nightly run never hammers MAM with yesterday's misses. Freeleech wedges are
// only planned here (wedge-plan.ts); qbit-queue spends them.
import type { Candidate, Gap, NotFound } from '../types';
import type { Collection } from '../store/store';
import type { WantedStore } from '../store/wanted';
import { ServiceError, errorMessage } from '../errors';
import type { MamSearchQuery, MamSearchResult, MamUserStatus, SearchType } from './client';
import { isFree, rankTorrents, toTorrentInfo, type RankOptions, type Ranked, type Rejected } from './rank';
import { queryShapes } from './queries';
import type { RowRejection } from './rows';
import { cacheGet, cachePut, missClear, missGet, missPut, pruneCache } from './search-cache';
import { planWedge, type WedgeRules } from './wedge-plan';

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
  /** wedges: wedges PLANNED on this run's candidates (none is spent by a search). */
  stats: { searches: number; cacheHits: number; skipped: number; wedges: number; account?: string; stoppedBy?: string };
}

const IN_FLIGHT = new Set(['queued', 'downloading', 'completed', 'imported']);
const DAY = 86400_000;

export async function runSearch(gaps: Gap[], deps: { api: MamApi; wanted?: WantedStore; cache?: Collection; now?: () => Date }, options: Partial<SearchRunOptions> = {}, onProgress?: (done: number, total: number) => void): Promise<SearchRunResult> {
  const opts = { ...DEFAULT_RUN, ...options, wedges: { ...DEFAULT_RUN.wedges, ...options.wedges } };
  const now = deps.now ?? (() => new Date());
  const out: SearchRunResult = { candidates: [], notFound: [], stats: { searches: 0, cacheHits: 0, skipped: 0, wedges: 0 } };
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
    if (rec?.ignored || (rec && IN_FLIGHT.has(rec.state))) { out.stats.skipped++; continue; }
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
    let wedge: { torrentId: number; reason: string } | undefined;
    const unreadable: RowRejection[] = [];
    try {
      for (const q of shapes) {
        const cached = await cacheGet(deps.cache, q, opts.cacheTtlMs, now());
        let res = cached;
        if (cached) out.stats.cacheHits++;
        else {
          if (out.stats.searches >= opts.maxSearches) { stop = `per-run cap of ${opts.maxSearches} MAM searches reached`; break; }
          out.stats.searches++;
          res = await deps.api.search(q);
          if (opts.cacheTtlMs > 0) await cachePut(deps.cache, q, res, now());
        }
        results += res!.torrents.length;
        unreadable.push(...(res!.rejected ?? []));
        const ranked = rankTorrents(gap, res!.torrents, rankOpts);
        for (const r of ranked.rejected) rejected.set(r.torrent.id, r);
        if (ranked.accepted.length) { found = ranked.accepted; break; }
      }
      if (!found.length && stop) { out.notFound.push({ gap, reason: `not (fully) searched: ${stop}` }); continue; }
      ({ found, wedge } = planWedge(gap, found, [...rejected.values()], { rules: opts.wedges, held: account!.wedges, planned: plannedWedges }, rankOpts));
      out.stats.wedges = plannedWedges.size;
    } catch (err) {
      if (err instanceof ServiceError && err.code === 'session_expired') throw err;
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
        out.candidates.push({ gap, torrent: toTorrentInfo(r.torrent, r.covers), score: r.score, reasons: r.reasons, ...planned });
      }
      const note = `MAM torrent ${found[0].torrent.id}${wedge ? ' (freeleech wedge planned)' : ''}`;
      await deps.wanted?.recordSearch(gap.key, { lastAt: at, attempts, torrentId: found[0].torrent.id }, 'found', note);
    } else {
      const days = opts.retryDays[Math.min(attempts, opts.retryDays.length) - 1] ?? 1;
      const retryAfter = new Date(now().getTime() + days * DAY).toISOString();
      const list = [...rejected.values()].sort((a, b) => a.reasons.length - b.reasons.length);
      const verdict = results === 0 ? 'no results on MAM' : `${list.length} result(s), none acceptable; closest "${list[0]?.torrent.title}": ${list[0]?.reasons.join('; ')}`;
      // Rows MAM sent that we could not read may be the very book: say so, never hide them.
      const reason = unreadable.length ? `${verdict}; ${unreadable.length} row(s) unreadable (e.g. "${unreadable[0].title}": ${unreadable[0].reason})` : verdict;
      out.notFound.push({ gap, reason, rejected: list.slice(0, 10).map((r) => ({ torrent: toTorrentInfo(r.torrent), reasons: r.reasons })), retryAfter });
      if (rec) await deps.wanted?.recordSearch(gap.key, { lastAt: at, attempts, retryAfter, reason }, 'not_found', reason);
      else await missPut(deps.cache, gap.key, { lastAt: at, attempts, retryAfter, reason });
    }
  }
  onProgress?.(gaps.length, gaps.length);
  if (stop) out.stats.stoppedBy = stop;
  return out;
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
