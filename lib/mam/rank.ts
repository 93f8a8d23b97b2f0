// Ranking MAM results for one gap: pure, every decision with its reasons. Acceptance first
// (picking the wrong book is worse than picking none), then preference among the accepted.
import type { CandidateEvidence, Gap, TorrentInfo } from '../types';
import { authorsMatch, normaliseAuthor } from '../identity/names';
import { judgeEdition } from './edition';
import { judgeLength } from './length';
import { bundleMarker } from './markers';
import { namedSeriesBooks, otherListedTitles } from './named-books';
import type { MamTorrent } from './rows';
import { checkPosition } from './series-position';
import { compareTitles, isSeriesName, statedPositions, tokens } from './title-match';
import { notTheWholeBook } from './whole-book';
import { prefer } from './prefer';

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
  /** Set by the run above a ratio floor: paid bytes that still keep the ratio at the floor. */
  paidRoom?: { bytes: number; ratio: number; floor: number };
  /** Size bounds in bytes per hour of audio (used when the duration is known) and overall. */
  minBytesPerHour: number;
  maxBytesPerHour: number;
  minBytes: number;
  maxBytes: number;
  weights: RankWeights;
}

const MiB = 1024 * 1024;
const mib = (b: number) => `${Math.round(b / MiB)} MiB`;
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
  evidence: CandidateEvidence;
}

export interface Rejected {
  torrent: MamTorrent;
  reasons: string[];
  /** Rejected only because it is not free: a freeleech wedge would make it acceptable. */
  wedgeable?: boolean;
  /** How near the right book it came (title similarity, author, position): orders the misses. */
  nearness: number;
  evidence: CandidateEvidence;
}

export function isFree(t: MamTorrent, userIsVip: boolean): boolean {
  return t.freeleech || t.vip || t.personalFreeleech === true || (t.flVip && userIsVip);
}

/** Accepted best first (never a zero-seeder one ahead of one with seeders, nor an omnibus ahead
 *  of the single book), and every rejection. */
export function rankTorrents(gap: Gap, torrents: MamTorrent[], options: Partial<RankOptions> = {}): { accepted: Ranked[]; rejected: Rejected[] } {
  const opts = { ...DEFAULT_RANK, ...options, weights: { ...DEFAULT_WEIGHTS, ...options.weights } };
  const accepted: Ranked[] = [];
  const rejected: Rejected[] = [];
  // Series names any result states: "Mistborn" is a series even for a result that omits it.
  const seriesNames = [...new Set(torrents.flatMap((t) => t.series.map((s) => s.name)))];
  for (const t of torrents) {
    const verdict = judge(gap, t, opts, seriesNames);
    if (verdict.rejections.length) {
      const onlyFree = verdict.rejections.length === 1 && verdict.freeRejection;
      rejected.push({ torrent: t, reasons: verdict.rejections, ...(onlyFree ? { wedgeable: true } : {}), nearness: verdict.nearness, evidence: verdict.evidence });
    } else {
      const { score, reasons } = prefer(t, verdict.similarity, opts);
      accepted.push({ torrent: t, score, reasons: [...verdict.reasons, ...reasons], ...(verdict.covers ? { covers: verdict.covers } : {}), evidence: verdict.evidence });
    }
  }
  // Seeded first; then the single book before an omnibus that holds it (the omnibus downloads
  // several books for one and costs ratio); then score; the newer upload breaks ties.
  accepted.sort((x, y) => Number(y.torrent.seeders > 0) - Number(x.torrent.seeders > 0) || Number(!!x.covers) - Number(!!y.covers)
    || y.score - x.score || y.torrent.added.localeCompare(x.torrent.added));
  return { accepted, rejected };
}

interface Verdict { rejections: string[]; reasons: string[]; similarity: number; covers?: string[]; freeRejection: boolean; nearness: number; evidence: CandidateEvidence }

export function judge(gap: Gap, t: MamTorrent, opts: RankOptions, seriesNames: string[] = []): Verdict {
  const no: string[] = [];
  const yes: string[] = [];
  let freeRejection = false;
  if (t.mySnatched) no.push('already snatched on MAM (my_snatched)');
  const cat = t.mainCat || (/^audio/i.test(t.category) ? 13 : /^e-?books?/i.test(t.category) ? 14 : 0);
  if (!opts.mainCats.includes(cat)) no.push(`category "${t.category || cat}" is not ${opts.mainCats.map(catName).join('/')}`);
  if (!opts.languages.map((l) => l.toUpperCase()).includes(t.language)) no.push(`language ${t.language || '(none)'} is not one of ${opts.languages.join(', ')}`);
  const edition = judgeEdition(gap.title ?? '', t, opts);
  no.push(...edition.no);
  no.push(...notTheWholeBook(gap.title ?? '', gap.sequence ?? '', t, cat, opts.minBytes));

  const authorOk = gap.authors.length > 0 && authorsMatch(gap.authors, t.authors);
  if (!gap.authors.length) no.push('the gap names no author to check');
  else if (!t.authors.length) no.push('the torrent lists no author');
  else if (!authorOk) no.push(`author ${t.authors.join(', ')} is not ${gap.authors.join(', ')}`);
  else yes.push(`author matches (${t.authors.join(', ')})`);

  // Bundles by content: words or a range in the title, or two books of the series named in it.
  const names = [gap.series ?? '', ...t.series.map((s) => s.name), ...seriesNames];
  const onePosition = statedPositions(t.title).length === 1 || t.series.some((s) => /^\d+(?:\.\d+)?[a-z]?$/i.test(s.position.trim()));
  const named = gap.seriesBooks?.length ? namedSeriesBooks(gap, t.title, names) : [];
  const listed = named.length < 2 ? otherListedTitles(t.title, gap.title ?? '', [...names, ...gap.authors, ...t.authors, ...t.narrators]) : [];
  const marker = bundleMarker(t.title, [gap.title ?? '', ...names], onePosition) ?? (listed.length ? `lists other titles: ${listed.join(' / ')}` : undefined);
  const position = checkPosition(gap, t, opts.allowOmnibus, { ...(marker ? { marker } : {}), named });
  no.push(...position.no);
  yes.push(...position.yes);

  // Length as evidence: absurd sizes, fragments and bundles by bytes per hour or duration.
  const length = judgeLength(gap, t, position.covers?.length ?? 1);
  // A drama or an abridgement the user allows is short by nature: not a fragment for that.
  const shortByNature = (edition.adaptation.length > 0 && opts.allowDramatised) || (edition.abridged && opts.allowAbridged);
  if (length.problem === 'absurd' || (length.problem === 'fragment' && !shortByNature) || (length.problem === 'bundle' && !position.covers)) no.push(length.reason);
  else yes.push(length.reason);
  if (edition.adaptation.length && !opts.allowDramatised) {
    // "Full cast" alone, stated unabridged and of the book's length, is a reading in several voices.
    const reading = edition.castOnly && /\bunabridged\b/i.test(`${t.title} ${t.tags}`) && !!length.evidence.expectedSec && !length.problem;
    if (reading) yes.push(`read by a cast (${edition.adaptation.join(', ')}), but unabridged and of the book's length`);
    else no.push(`dramatised / full-cast edition (not allowed): ${edition.adaptation.join(', ')}`);
  }
  const missing = [...(length.evidence.expectedSec ? [] : ['expected length']), ...(gap.seriesBooks?.length ? [] : ['titles of the series\' other books'])];
  const evidence: CandidateEvidence = {
    ...length.evidence, ...(named.length ? { namedBooks: named } : {}), ...(marker ? { bundle: marker } : {}),
    ...(edition.adaptation.length ? { adaptation: edition.adaptation } : {}), ...(edition.language ? { language: edition.language } : {}),
    ...(missing.length ? { missing } : {}),
  };
  const fragment = /split over several torrents \("(.*)"\)/.exec(no.join('\n'))?.[1];
  if (fragment) evidence.fragment = fragment;

  let similarity = position.covers ? 1 : 0;
  if (!position.covers) {
    if (gap.title) {
      const ignorable = new Set([
        ...tokens(gap.series ?? ''), ...t.series.flatMap((s) => tokens(s.name)),
        ...[...gap.authors, ...t.authors, ...t.narrators].flatMap((a) => normaliseAuthor(a).split(' ')),
      ]);
      // A gap titled like its series ("Mistborn") is not told apart by "Mistborn: The Well of
      // Ascension" matching on its first part: the whole title must match, or the position
      // the torrent states for that very series must be the gap's.
      const seriesTitle = isSeriesName(gap.title, [gap.series ?? '', ...t.series.map((s) => s.name), ...seriesNames]);
      const title = compareTitles(gap.title, t.title, ignorable, opts.titleThreshold, seriesTitle && !position.confirmed);
      similarity = title.similarity;
      if (title.ok) yes.push(title.reason);
      else if (seriesTitle && position.confirmed && !position.no.length) {
        similarity = 1;
        yes.push(`the gap's title "${gap.title}" is its series' name and the position matches`);
      } else if (!seriesTitle && position.confirmed && !position.no.length && holdsWholeTitle(t.title, gap.title)) {
        // "The Eye of the World [Unabridged] (2004) Michael Kramer, Kate Reading 64kbps": the
        // whole title in a row, and the series position stated for this very series.
        similarity = Math.max(similarity, 0.9);
        yes.push(`the whole title "${gap.title}" is in the torrent's title and the series position matches`);
      } else no.push(seriesTitle && !position.confirmed ? `${title.reason} (the title names only the series; no matching position)` : title.reason);
    } else if (!position.stated) {
      no.push('the gap has no title and the torrent states no position in its series');
    } else if (!position.confirmed && !position.no.length) {
      no.push(`the gap has no title and the torrent states a position only under a related series name (${t.series.map((s) => s.name).join(', ')})`);
    } else similarity = 1;
  }

  const free = isFree(t, opts.userIsVip);
  if (!free && opts.freeOnlyReason) { no.push(opts.freeOnlyReason); freeRejection = true; }
  else if (!free && opts.freeleechPolicy === 'only') { no.push('not freeleech or VIP (policy: only freeleech/VIP)'); freeRejection = true; }
  else if (!free && opts.paidRoom && t.sizeBytes > opts.paidRoom.bytes) {
    const { ratio, floor, bytes } = opts.paidRoom;
    no.push(`downloading ${mib(t.sizeBytes)} would take your ratio ${ratio.toFixed(2)} below your floor ${floor.toFixed(2)} (room for ${mib(Math.max(0, bytes))}): only freeleech results are accepted`);
    freeRejection = true;
  }
  if (missing.length && !no.length) yes.push(`not checked for want of evidence: ${missing.join(', ')}`);
  const nearness = similarity + (authorOk ? 1 : 0) + (position.yes.length ? 0.5 : 0);
  return { rejections: no, reasons: yes, similarity, covers: position.covers, freeRejection, nearness, evidence };
}

/** The gap's whole title (two words or more) appears in a row in the torrent's title. */
function holdsWholeTitle(torrentTitle: string, gapTitle: string): boolean {
  const want = tokens(gapTitle);
  const have = tokens(torrentTitle);
  if (want.length < 2) return false;
  return have.some((_w, i) => want.every((w, k) => have[i + k] === w));
}

function catName(c: number): string {
  return c === 13 ? 'audiobooks' : c === 14 ? 'e-books' : `category ${c}`;
}

/** The contract's TorrentInfo (drops MAM-only fields before the candidate leaves mam-search). */
export function toTorrentInfo(t: MamTorrent, covers?: string[]): TorrentInfo {
  const { mainCat: _m, mySnatched: _s, flVip: _f, tags: _t, durationSec: _d, ...info } = t;
  return { ...info, ...(covers ? { covers } : {}) };
}
