// Does the position a torrent states (series_info, or "Book 15" in its title) agree with the
// gap's? Also where an omnibus is read and judged. Split from rank.ts; pure.
import type { Gap, TorrentInfo } from '../types';
import { romanValue } from '../identity/numbers';
import { normaliseSeriesName, strictSeriesName } from '../identity/text';
import { formatSequence, parseSequence } from '../identity/sequence';
import { statedRange } from './markers';
import { statedPositions, tokens } from './title-match';

export interface PositionCheck {
  no: string[];
  yes: string[];
  /** The torrent states some position for the gap's series (exactly or loosely named). */
  stated: boolean;
  /** The torrent states the gap's own position under the gap's exact series name (or "Book N"
   *  in a title naming the series): strong enough to identify a book on its own. */
  confirmed?: boolean;
  covers?: string[];
}

/** What the torrent's words and named books say about it being a bundle (see rank.ts). */
export interface BundleEvidence {
  /** Bundle words or a range in the title. */
  marker?: string;
  /** Series books (positions, or titles) the title names. */
  named: string[];
}

export function checkPosition(gap: Gap, t: Pick<TorrentInfo, 'title' | 'series'>, allowOmnibus: boolean, bundle: BundleEvidence = { named: [] }): PositionCheck {
  const want = parseSequence(gap.sequence ?? null);
  const gapSeries = normaliseSeriesName(gap.series ?? '');
  const strict = strictSeriesName(gap.series ?? '');
  const exact = gapSeries ? t.series.filter((s) => strictSeriesName(s.name) === strict) : [];
  // "Discworld - City Watch" #6 is a sub-series position, not Discworld's: a looser match used
  // only without an exact one, which never rejects (its numbers count another series) and never
  // confirms a book by itself; only a range there still says "several books".
  const loose = exact.length || !gapSeries ? [] : t.series.filter((s) => normaliseSeriesName(s.name) === gapSeries || containsWords(normaliseSeriesName(s.name), gapSeries));
  const stated = exact.map((s) => ({ name: s.name, seq: parseSequence(s.position) })).filter((s) => s.seq.kind !== 'none');
  const looseStated = loose.map((s) => ({ name: s.name, seq: parseSequence(s.position) })).filter((s) => s.seq.kind !== 'none');
  // Without series_info, a title that says "Book 15" states a position too.
  const fromTitle = !t.series.length && gapSeries ? titlePosition(t.title, gapSeries) : undefined;
  const namedOthers = bundle.named.length >= 2;
  const omnibusTitle = !!bundle.marker || namedOthers || looseStated.some((s) => s.seq.kind === 'range' || s.seq.kind === 'list');
  const why = bundle.marker ? `"${bundle.marker}"` : namedOthers ? `it names ${bundle.named.length} books of the series (${bundle.named.join(', ')})` : 'a range of positions';
  const refuseOmnibus = { no: [`a bundle of several books (${why}): omnibus not allowed`], yes: [], stated: true };
  if (want.kind === 'none' || want.kind === 'invalid') {
    return omnibusTitle && !allowOmnibus ? { ...refuseOmnibus, stated: false } : { no: [], yes: [], stated: false };
  }
  const label = `${gap.series} #${gap.sequence}`;
  for (const s of stated) {
    if (s.seq.kind === 'invalid') return { no: [`series position "${s.seq.raw}" cannot be read`], yes: [], stated: true };
    if (s.seq.kind === 'number') {
      const same = s.seq.primary === want.primary && (s.seq.suffix ?? '') === (want.suffix ?? '');
      if (!same) return { no: [`series position ${s.seq.raw} is not ${gap.sequence} (${s.name})`], yes: [], stated: true };
      if (omnibusTitle && !allowOmnibus) return refuseOmnibus;
      return { no: [], yes: [`series position matches (${s.name} #${s.seq.raw})`], stated: true, confirmed: exact.length > 0 };
    }
    return omnibus(s.seq.positions, s.seq.raw, want.positions, label, allowOmnibus);
  }
  if (omnibusTitle) {
    if (!allowOmnibus) return refuseOmnibus;
    const range = statedRange(t.title);
    if (range && fromTitleSeries(t.title, gapSeries)) return omnibus(range, range.map(formatSequence).join(', '), want.positions, label, allowOmnibus);
    const named = bundle.named.map((b) => parseSequence(b)).filter((q) => q.kind === 'number').map((q) => q.primary!);
    if (namedOthers && named.length === bundle.named.length) return omnibus(named, bundle.named.join(', '), want.positions, label, allowOmnibus);
    return { no: [`a bundle (${why}) whose books cannot be read from its title`], yes: [], stated: true };
  }
  for (const s of looseStated) {
    if (s.seq.kind === 'number' && s.seq.primary === want.primary) return { no: [], yes: [`sub-series position ${s.name} #${s.seq.raw} (not the main series' position)`], stated: true };
  }
  if (looseStated.length) return { no: [], yes: [], stated: true };
  if (fromTitle !== undefined) {
    if (fromTitle !== want.primary) return { no: [`title says book ${formatSequence(fromTitle)}, the gap is book ${gap.sequence}`], yes: [], stated: true };
    return { no: [], yes: [`title states book ${formatSequence(fromTitle)} of ${gap.series}`], stated: true, confirmed: true };
  }
  return { no: [], yes: [], stated: false };
}

function omnibus(positions: number[], raw: string, want: number[], label: string, allowOmnibus: boolean): PositionCheck {
  if (!allowOmnibus) return { no: [`omnibus of books ${raw} (not allowed)`], yes: [], stated: true };
  if (!want.every((p) => positions.includes(p))) return { no: [`omnibus of books ${raw} does not hold ${label}`], yes: [], stated: true };
  return { no: [], yes: [`omnibus of books ${raw} holds ${label}`], stated: true, confirmed: true, covers: positions.map(formatSequence) };
}

function containsWords(a: string, b: string): boolean {
  return a.length > 3 && b.length > 3 && (` ${a} `.includes(` ${b} `) || ` ${b} `.includes(` ${a} `));
}

function fromTitleSeries(title: string, series: string): boolean {
  const words = tokens(series);
  const have = new Set(tokens(title));
  return words.length > 0 && words.every((w) => have.has(w));
}

/** "Book 9" in a title that names the series, counted only where it is the series' position:
 *  right after the series' name ("The Expanse, Book 9"), at the start, or followed by "of <series>"
 *  — not after a sub-series' name ("Discworld City Watch #6"). */
function titlePosition(title: string, series: string): number | undefined {
  if (!fromTitleSeries(title, series)) return undefined;
  const words = new Set(tokens(series));
  const stated = statedPositions(title);
  const re = /(?:\bbook|\bbk|\bvol(?:ume)?|\bpart|#)\.?\s*(?:\d+(?:\.\d+)?|[a-z]+)\b/gi;
  const mains = [...title.matchAll(re)].filter((m) => {
    const before = tokens(title.slice(0, m.index)).pop();
    const after = tokens(title.slice((m.index ?? 0) + m[0].length)).filter((w) => w !== 'the');
    return before === undefined || words.has(before) || (after[0] === 'of' && words.has(after[1] ?? ''));
  });
  if (stated.length === 1 && mains.length === 1) return stated[0];
  // "The Dark Tower VII: The Dark Tower", "The Expanse 01 - Leviathan Wakes": a number right after the series' name.
  const name = tokens(series);
  const have = tokens(title);
  for (let i = 0; i + name.length < have.length; i++) {
    if (!name.every((w, k) => have[i + k] === w)) continue;
    const next = have[i + name.length];
    const n = /^\d+$/.test(next) ? Number(next) : romanValue(next);
    if (n !== undefined && !stated.length) return n;
  }
  return undefined;
}
