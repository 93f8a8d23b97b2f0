// Ranking MAM results for one gap: pure, every decision with its reasons. Acceptance first
// (picking the wrong book is worse than picking none), then preference among the accepted.
import type { Gap, TorrentInfo } from '../types';
import { authorsMatch, normaliseAuthor, normaliseSeriesName } from '../gaps/normalise';
import { formatSequence, parseSequence } from '../gaps/sequence';
import type { MamTorrent } from './rows';
import { compareTitles, looksLikeOmnibus, statedPositions, statedRange, tokens } from './title-match';

export type FreeleechPolicy = 'any' | 'prefer' | 'only';

export interface RankWeights {
  /** Best format in the preference list earns all of it, the last one least. */
  format: number;
  /** Freeleech, VIP or personal freeleech (doubled under the "prefer" policy). */
  freeleech: number;
  /** Scaled by log10(1 + seeders) / 2, full at 100 seeders. */
  seeders: number;
  /** Size inside the bounds earns it; outside the bounds costs twice as much. */
  size: number;
  /** Title similarity (0..1) times this. */
  title: number;
}

export const DEFAULT_WEIGHTS: RankWeights = { format: 30, freeleech: 20, seeders: 20, size: 15, title: 10 };

export interface RankOptions {
  titleThreshold: number;
  /** MAM lang_code values accepted ("ENG"). */
  languages: string[];
  /** MAM main categories accepted: 13 audiobooks, 14 e-books. */
  mainCats: number[];
  allowAbridged: boolean;
  allowDramatised: boolean;
  allowTranslation: boolean;
  allowOmnibus: boolean;
  formats: string[];
  freeleechPolicy: FreeleechPolicy;
  /** Set by the account check ("ratio 1.02 below your floor 1.10: …"): only free results pass. */
  freeOnlyReason?: string;
  /** fl_vip rows are free for VIP-class users only. */
  userIsVip: boolean;
  /** Size bounds in bytes per hour of audio (used when the duration is known) and overall. */
  minBytesPerHour: number;
  maxBytesPerHour: number;
  minBytes: number;
  maxBytes: number;
  weights: RankWeights;
}

const MiB = 1024 * 1024;
export const DEFAULT_RANK: RankOptions = {
  titleThreshold: 0.8,
  languages: ['ENG'],
  mainCats: [13],
  allowAbridged: false,
  allowDramatised: false,
  allowTranslation: false,
  allowOmnibus: false,
  formats: ['m4b', 'm4a', 'mp3'],
  freeleechPolicy: 'any',
  userIsVip: false,
  minBytesPerHour: 14 * MiB,
  maxBytesPerHour: 300 * MiB,
  minBytes: 20 * MiB,
  maxBytes: 6 * 1024 * MiB,
  weights: DEFAULT_WEIGHTS,
};

export interface Ranked {
  torrent: MamTorrent;
  score: number;
  reasons: string[];
  /** Positions an accepted omnibus covers. */
  covers?: string[];
}

export interface Rejected {
  torrent: MamTorrent;
  reasons: string[];
  /** Rejected only because it is not free: a freeleech wedge would make it acceptable. */
  wedgeable?: boolean;
}

export function isFree(t: MamTorrent, userIsVip: boolean): boolean {
  return t.freeleech || t.vip || t.personalFreeleech === true || (t.flVip && userIsVip);
}

/** Accepted best first (never a zero-seeder one ahead of one with seeders), and every rejection. */
export function rankTorrents(gap: Gap, torrents: MamTorrent[], options: Partial<RankOptions> = {}): { accepted: Ranked[]; rejected: Rejected[] } {
  const opts = { ...DEFAULT_RANK, ...options, weights: { ...DEFAULT_WEIGHTS, ...options.weights } };
  const accepted: Ranked[] = [];
  const rejected: Rejected[] = [];
  for (const t of torrents) {
    const verdict = judge(gap, t, opts);
    if (verdict.rejections.length) {
      const onlyFree = verdict.rejections.length === 1 && verdict.freeRejection;
      rejected.push({ torrent: t, reasons: verdict.rejections, ...(onlyFree ? { wedgeable: true } : {}) });
    } else {
      const { score, reasons } = prefer(t, verdict.similarity, opts);
      accepted.push({ torrent: t, score, reasons: [...verdict.reasons, ...reasons], ...(verdict.covers ? { covers: verdict.covers } : {}) });
    }
  }
  accepted.sort((x, y) => Number(y.torrent.seeders > 0) - Number(x.torrent.seeders > 0) || y.score - x.score || y.torrent.added.localeCompare(x.torrent.added));
  return { accepted, rejected };
}

interface Verdict { rejections: string[]; reasons: string[]; similarity: number; covers?: string[]; freeRejection: boolean }

export function judge(gap: Gap, t: MamTorrent, opts: RankOptions): Verdict {
  const no: string[] = [];
  const yes: string[] = [];
  let freeRejection = false;
  if (t.mySnatched) no.push('already snatched on MAM (my_snatched)');
  const cat = t.mainCat || (/^audio/i.test(t.category) ? 13 : /^e-?books?/i.test(t.category) ? 14 : 0);
  if (!opts.mainCats.includes(cat)) no.push(`category "${t.category || cat}" is not ${opts.mainCats.map(catName).join('/')}`);
  if (!opts.languages.map((l) => l.toUpperCase()).includes(t.language)) no.push(`language ${t.language || '(none)'} is not one of ${opts.languages.join(', ')}`);
  no.push(...editionProblems(t, opts));

  if (!gap.authors.length) no.push('the gap names no author to check');
  else if (!t.authors.length) no.push('the torrent lists no author');
  else if (!authorsMatch(gap.authors, t.authors)) no.push(`author ${t.authors.join(', ')} is not ${gap.authors.join(', ')}`);
  else yes.push(`author matches (${t.authors.join(', ')})`);

  const position = checkPosition(gap, t, opts);
  no.push(...position.no);
  yes.push(...position.yes);
  let similarity = position.covers ? 1 : 0;
  if (!position.covers) {
    if (gap.title) {
      const ignorable = new Set([...tokens(gap.series ?? ''), ...t.series.flatMap((s) => tokens(s.name)), ...gap.authors.flatMap((a) => normaliseAuthor(a).split(' '))]);
      const title = compareTitles(gap.title, t.title, ignorable, opts.titleThreshold);
      similarity = title.similarity;
      (title.ok ? yes : no).push(title.reason);
    } else if (!position.stated) {
      no.push('the gap has no title and the torrent states no position in its series');
    } else similarity = 1;
  }

  const free = isFree(t, opts.userIsVip);
  if (!free && opts.freeOnlyReason) { no.push(opts.freeOnlyReason); freeRejection = true; }
  else if (!free && opts.freeleechPolicy === 'only') { no.push('not freeleech or VIP (policy: only freeleech/VIP)'); freeRejection = true; }
  return { rejections: no, reasons: yes, similarity, covers: position.covers, freeRejection };
}

function checkPosition(gap: Gap, t: MamTorrent, opts: RankOptions): { no: string[]; yes: string[]; stated: boolean; covers?: string[] } {
  const want = parseSequence(gap.sequence ?? null);
  const gapSeries = normaliseSeriesName(gap.series ?? '');
  const exact = gapSeries ? t.series.filter((s) => normaliseSeriesName(s.name) === gapSeries) : [];
  // "Discworld" inside "Discworld - City Watch" is a looser match, used only without an exact one.
  const entries = exact.length || !gapSeries ? exact : t.series.filter((s) => containsWords(normaliseSeriesName(s.name), gapSeries));
  const stated = entries.map((s) => ({ name: s.name, seq: parseSequence(s.position) })).filter((s) => s.seq.kind !== 'none');
  // Without series_info, a title that says "Book 15" states a position too.
  const fromTitle = !t.series.length && gapSeries ? titlePosition(t.title, gapSeries) : undefined;
  const omnibusTitle = looksLikeOmnibus(t.title);
  if (want.kind === 'none' || want.kind === 'invalid') {
    return omnibusTitle && !opts.allowOmnibus ? { no: ['omnibus of several books (not allowed)'], yes: [], stated: false } : { no: [], yes: [], stated: false };
  }
  const label = `${gap.series} #${gap.sequence}`;
  for (const s of stated) {
    if (s.seq.kind === 'invalid') return { no: [`series position "${s.seq.raw}" cannot be read`], yes: [], stated: true };
    if (s.seq.kind === 'number') {
      const same = s.seq.primary === want.primary && (s.seq.suffix ?? '') === (want.suffix ?? '');
      if (!same) return { no: [`series position ${s.seq.raw} is not ${gap.sequence} (${s.name})`], yes: [], stated: true };
      if (omnibusTitle && !opts.allowOmnibus) return { no: ['omnibus of several books (not allowed)'], yes: [], stated: true };
      return { no: [], yes: [`series position matches (${s.name} #${s.seq.raw})`], stated: true };
    }
    return omnibus(s.seq.positions, s.seq.raw, want.positions, label, opts);
  }
  if (omnibusTitle) {
    const range = parseSequence(statedRange(t.title) ?? null);
    if (!opts.allowOmnibus) return { no: ['omnibus of several books (not allowed)'], yes: [], stated: true };
    if (!range.positions.length || !fromTitleSeries(t.title, gapSeries)) return { no: ['omnibus whose books cannot be read from its title'], yes: [], stated: true };
    return omnibus(range.positions, range.raw, want.positions, label, opts);
  }
  if (fromTitle !== undefined) {
    if (fromTitle !== want.primary) return { no: [`title says book ${formatSequence(fromTitle)}, the gap is book ${gap.sequence}`], yes: [], stated: true };
    return { no: [], yes: [`title states book ${formatSequence(fromTitle)} of ${gap.series}`], stated: true };
  }
  return { no: [], yes: [], stated: false };
}

function omnibus(positions: number[], raw: string, want: number[], label: string, opts: RankOptions) {
  if (!opts.allowOmnibus) return { no: [`omnibus of books ${raw} (not allowed)`], yes: [], stated: true };
  if (!want.every((p) => positions.includes(p))) return { no: [`omnibus of books ${raw} does not hold ${label}`], yes: [], stated: true };
  return { no: [], yes: [`omnibus of books ${raw} holds ${label}`], stated: true, covers: positions.map(formatSequence) };
}

function containsWords(a: string, b: string): boolean {
  return a.length > 3 && b.length > 3 && (` ${a} `.includes(` ${b} `) || ` ${b} `.includes(` ${a} `));
}

function fromTitleSeries(title: string, series: string): boolean {
  const words = tokens(series);
  const have = new Set(tokens(title));
  return words.length > 0 && words.every((w) => have.has(w));
}

function titlePosition(title: string, series: string): number | undefined {
  if (!fromTitleSeries(title, series)) return undefined;
  const stated = statedPositions(title);
  return stated.length === 1 ? stated[0] : undefined;
}

function editionProblems(t: MamTorrent, opts: RankOptions): string[] {
  const text = `${t.title} ${t.tags}`;
  const out: string[] = [];
  if (!opts.allowAbridged && /(?<!un)abridged\b/i.test(text) && !/\bunabridged\b/i.test(t.title)) out.push('abridged edition (not allowed)');
  if (!opts.allowDramatised && (/\b(?:dramati[sz]ed|dramati[sz]ation|full[- ]cast|radio (?:drama|play)|graphic ?audio)\b/i.test(text) || t.narrators.some((n) => /graphic ?audio/i.test(n)))) {
    out.push('dramatised / full-cast edition (not allowed)');
  }
  if (!opts.allowTranslation && /\b(?:translation|translated|übersetzt|traduction|traducido|german|deutsch|french|français|spanish|español|italiano|nederlands)\b/i.test(t.title)) {
    out.push('another-language edition or translation (not allowed)');
  }
  return out;
}

function prefer(t: MamTorrent, similarity: number, opts: RankOptions): { score: number; reasons: string[] } {
  const w = opts.weights;
  const reasons: string[] = [];
  let score = w.title * similarity;
  const types = t.filetype.split(/[\s,/]+/).filter(Boolean);
  const idx = Math.min(...types.map((x) => opts.formats.indexOf(x)).filter((i) => i >= 0), Number.POSITIVE_INFINITY);
  if (Number.isFinite(idx)) {
    score += (w.format * (opts.formats.length - idx)) / opts.formats.length;
    reasons.push(`format ${opts.formats[idx]} (preference ${idx + 1} of ${opts.formats.length})`);
  } else reasons.push(`format ${t.filetype || 'unknown'} is not a preferred one`);
  if (isFree(t, opts.userIsVip)) {
    score += w.freeleech * (opts.freeleechPolicy === 'prefer' ? 2 : 1);
    reasons.push(t.personalFreeleech ? 'personal freeleech' : t.freeleech ? 'freeleech' : 'VIP');
  }
  score += w.seeders * Math.min(Math.log10(1 + t.seeders) / 2, 1);
  reasons.push(t.seeders > 0 ? `${t.seeders} seeders` : 'no seeders');
  const size = sizeCheck(t, opts);
  score += size.inBounds ? w.size : -2 * w.size;
  reasons.push(size.reason);
  return { score: Math.round(score * 100) / 100, reasons };
}

function sizeCheck(t: MamTorrent, opts: RankOptions): { inBounds: boolean; reason: string } {
  const mib = (b: number) => `${Math.round(b / MiB)} MiB`;
  if (t.durationSec) {
    const perHour = t.sizeBytes / (t.durationSec / 3600);
    const ok = perHour >= opts.minBytesPerHour && (!opts.maxBytesPerHour || perHour <= opts.maxBytesPerHour);
    return { inBounds: ok, reason: `${mib(perHour)} per hour${ok ? '' : ` outside ${mib(opts.minBytesPerHour)}–${mib(opts.maxBytesPerHour)}`}` };
  }
  const ok = t.sizeBytes >= opts.minBytes && (!opts.maxBytes || t.sizeBytes <= opts.maxBytes);
  return { inBounds: ok, reason: `size ${mib(t.sizeBytes)}${ok ? '' : ` outside ${mib(opts.minBytes)}–${mib(opts.maxBytes)}`}` };
}

function catName(c: number): string {
  return c === 13 ? 'audiobooks' : c === 14 ? 'e-books' : `category ${c}`;
}

/** The contract's TorrentInfo (drops MAM-only fields before the candidate leaves mam-search). */
export function toTorrentInfo(t: MamTorrent, covers?: string[]): TorrentInfo {
  const { mainCat: _m, mySnatched: _s, flVip: _f, tags: _t, durationSec: _d, ...info } = t;
  return { ...info, ...(covers ? { covers } : {}) };
}
