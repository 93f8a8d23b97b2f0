// Does the position a torrent states (series_info, or "Book 15" in its title) agree with the
// gap's? Also where an omnibus is read and judged. Split from rank.ts; pure.
import type { Gap, TorrentInfo } from '../types';
import { normaliseSeriesName } from '../identity/text';
import { formatSequence, parseSequence } from '../gaps/sequence';
import { looksLikeOmnibus, statedPositions, statedRange, tokens } from './title-match';

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

export function checkPosition(gap: Gap, t: Pick<TorrentInfo, 'title' | 'series'>, allowOmnibus: boolean): PositionCheck {
  const want = parseSequence(gap.sequence ?? null);
  const gapSeries = normaliseSeriesName(gap.series ?? '');
  const exact = gapSeries ? t.series.filter((s) => normaliseSeriesName(s.name) === gapSeries) : [];
  // "Discworld" inside "Discworld - City Watch" is a looser match, used only without an exact
  // one: it may reject (a stated position that disagrees) but never confirms a book by itself.
  const entries = exact.length || !gapSeries ? exact : t.series.filter((s) => containsWords(normaliseSeriesName(s.name), gapSeries));
  const stated = entries.map((s) => ({ name: s.name, seq: parseSequence(s.position) })).filter((s) => s.seq.kind !== 'none');
  // Without series_info, a title that says "Book 15" states a position too.
  const fromTitle = !t.series.length && gapSeries ? titlePosition(t.title, gapSeries) : undefined;
  const omnibusTitle = looksLikeOmnibus(t.title);
  const refuseOmnibus = { no: ['omnibus of several books (not allowed)'], yes: [], stated: true };
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
    const range = parseSequence(statedRange(t.title) ?? null);
    if (!allowOmnibus) return refuseOmnibus;
    if (!range.positions.length || !fromTitleSeries(t.title, gapSeries)) return { no: ['omnibus whose books cannot be read from its title'], yes: [], stated: true };
    return omnibus(range.positions, range.raw, want.positions, label, allowOmnibus);
  }
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

function titlePosition(title: string, series: string): number | undefined {
  if (!fromTitleSeries(title, series)) return undefined;
  const stated = statedPositions(title);
  return stated.length === 1 ? stated[0] : undefined;
}
