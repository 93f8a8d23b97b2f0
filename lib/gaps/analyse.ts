// Gap detection (pure: no network, no store). Library holes come from the owned positions;
// provider answers add the books before/after them, titles, ASINs and release dates. A
// wrong gap becomes a wrong download, so every rule here leans towards "not a gap".
import type { Book, Gap, SeriesSummary } from '../types';
import type { AuthorOutcome, ProviderBook, ProviderName, SeriesOutcome } from '../metadata/provider';
import { OwnedIndex, sameBook } from './owned';
import { formatSequence, parseSequence } from '../identity/sequence';
import { groupSeries, type SeriesGroup } from './series';
import { positionKey } from '../identity/sequence';
import { addSearchEvidence } from './search-evidence';
import { authorGaps, isFuture } from './author-gaps';

export interface AnalyseOptions {
  /** Count .5 entries and lettered entries ("2a") as gaps. Default false. */
  includeFractional?: boolean;
  /** Count book 0 (prequels) as a gap. Default false. */
  includeZero?: boolean;
  /** 'one': one provider is enough; 'two': a provider-only gap needs two providers. */
  agreement?: 'one' | 'two';
  /** Cap of author back-catalogue gaps per author. */
  authorCap?: number;
  now?: Date;
}

/** msg.series entry: the contract's summary plus what the user needs to trust it. */
export interface SeriesReport extends SeriesSummary {
  key: string;
  /** Providers that answered for this series. */
  sources: string[];
  /** Providers that failed for this series ("provider unavailable"). */
  unavailable: string[];
  /** Sequences that could not be read, books without a sequence. */
  invalid: string[];
  unnumbered: number;
}

export interface AnalyseResult {
  gaps: Gap[];
  series: SeriesReport[];
  warnings: string[];
}

interface Candidate { provider: ProviderName; book: ProviderBook }

export function analyse(books: Book[], options: AnalyseOptions = {}, outcomes = new Map<string, SeriesOutcome[]>(), authors: AuthorOutcome[] = [], groups = groupSeries(books)): AnalyseResult {
  const owned = new OwnedIndex(books);
  const now = options.now ?? new Date();
  const warnings: string[] = [];
  const gaps: Gap[] = [];
  const series: SeriesReport[] = [];
  // Positions owned under the same name by other authors: never reported as holes (shared
  // universes such as "Star Wars" have many authors; a false gap costs a wrong download).
  const ownedByName = new Map<string, Set<number>>();
  for (const g of groups) {
    const set = ownedByName.get(g.nameKey) ?? new Set<number>();
    for (const m of g.numbered) m.seq.positions.forEach((p) => set.add(p));
    ownedByName.set(g.nameKey, set);
  }
  for (const group of groups) {
    const omnibus = owned.omnibusPositions(group.nameKey, group.authors, group.numbered.map((m) => m.book));
    const result = analyseSeries(group, options, outcomes.get(group.id) ?? [], owned, ownedByName.get(group.nameKey) ?? new Set(), omnibus, now);
    gaps.push(...result.gaps);
    series.push(result.report);
    warnings.push(...result.warnings);
    for (const m of group.invalid) warnings.push(`Unreadable sequence "${m.ref.sequence}" on "${m.book.title}" in series "${group.name}": ignored`);
  }
  gaps.push(...authorGaps(authors, groups, owned, gaps, options, now));
  addSearchEvidence(gaps, books, groups, outcomes);
  return { gaps, series, warnings };
}

function analyseSeries(group: SeriesGroup, options: AnalyseOptions, outcomes: SeriesOutcome[], owned: OwnedIndex, sameName: Set<number>, omnibus: Set<number>, now: Date): { gaps: Gap[]; report: SeriesReport; warnings: string[] } {
  const positions = new Set<number>(omnibus);
  const lettered = new Set<string>();
  // "2a" may be a side story or the first half of a split book 2: either way the library has
  // something at 2, so 2 is no library hole (a provider can still list book 2 by its title).
  const partly = new Set<number>();
  for (const m of group.numbered) {
    if (m.seq.suffix) {
      lettered.add(positionKey(m.seq) ?? '');
      m.seq.positions.forEach((p) => partly.add(p));
    } else m.seq.positions.forEach((p) => positions.add(p));
  }
  const ownedKeys = new Set([...[...positions].map(formatSequence), ...lettered]);
  const held = (n: number) => positions.has(n) || partly.has(n) || sameName.has(n);
  const { holes, skipped } = libraryHoles([...new Set([...positions, ...partly])].sort((a, b) => a - b), held);

  const found = outcomes.filter((o): o is Extract<SeriesOutcome, { status: 'found' }> => o.status === 'found');
  const candidates = new Map<string, Candidate[]>();
  const ownedElsewhere = new Set<string>();
  for (const outcome of found) {
    for (const book of outcome.series.books) {
      const key = wantedPosition(book, options);
      if (!key || ownedKeys.has(key)) continue;
      // Checked before the placeholder rule: an owned ASIN with no title still fills its place.
      if (owned.match(book)) {
        ownedElsewhere.add(key);
        continue;
      }
      if (!book.title?.trim()) continue; // a placeholder
      const list = candidates.get(key) ?? [];
      if (!list.some((c) => c.provider === outcome.provider)) list.push({ provider: outcome.provider, book });
      candidates.set(key, list);
    }
  }

  const gaps: Gap[] = [];
  const keys = new Set([...holes, ...candidates.keys()]);
  for (const pos of [...keys].sort(byPosition)) {
    if (ownedElsewhere.has(pos)) continue;
    let list = candidates.get(pos) ?? [];
    const isHole = holes.has(pos);
    if (!isHole && options.agreement === 'two') {
      // Two providers must name the same book, not merely some book at this position.
      const agreed = list.find((c) => list.filter((o) => sameBook(o.book, c.book)).length >= 2);
      if (!agreed) continue;
      list = [agreed, ...list.filter((c) => c !== agreed)];
    }
    gaps.push(makeGap(group, pos, isHole, list, found.map((o) => o.provider), now));
  }

  const total = found.find((o) => o.series.total !== undefined)?.series.total
    ?? (found.length ? maxPrimary(found.flatMap((o) => o.series.books)) : undefined);
  const ownedPrimary = [...positions].filter((p) => Number.isInteger(p) && p >= 1 && (total === undefined || p <= total)).length;
  const missingPrimary = gaps.filter((g) => /^\d+$/.test(g.sequence ?? '') && g.sequence !== '0').length;
  const denominator = total ?? ownedPrimary + missingPrimary;
  const report: SeriesReport = {
    key: group.id,
    name: group.name,
    authors: group.authors,
    owned: [...[...positions].sort((a, b) => a - b).map(formatSequence), ...[...lettered].sort(byPosition)],
    missing: gaps.map((g) => g.sequence ?? ''),
    total: total ?? null,
    completion: denominator > 0 ? Math.min(100, Math.round((100 * ownedPrimary) / denominator)) : null,
    sources: ['library', ...found.map((o) => o.provider)],
    unavailable: outcomes.filter((o) => o.status === 'failed').map((o) => o.provider),
    invalid: group.invalid.map((m) => m.ref.sequence ?? ''),
    unnumbered: group.unnumbered.length,
  };
  const warnings = skipped.map(([from, to]) => `Series "${group.name}": #${from}–#${to} not reported as holes: ${to - from + 1} missing books in a row look like a misread sequence (a year?); a provider can still list them`);
  return { gaps, report, warnings };
}

/** Longest run of missing books between two owned ones that the library alone may report. */
const MAX_HOLE_RUN = 100;

/** Whole positions missing between owned ones (`sorted` ascending, no duplicates). */
function libraryHoles(sorted: number[], held: (n: number) => boolean): { holes: Set<string>; skipped: [number, number][] } {
  const holes = new Set<string>();
  const skipped: [number, number][] = [];
  for (let i = 1; i < sorted.length; i++) {
    const from = Math.max(1, Math.floor(sorted[i - 1]) + 1);
    const to = Math.ceil(sorted[i]) - 1;
    if (to < from) continue;
    if (to - from + 1 > MAX_HOLE_RUN) {
      skipped.push([from, to]);
      continue;
    }
    for (let n = from; n <= to; n++) if (!held(n)) holes.add(String(n));
  }
  return { holes, skipped };
}

/** The position a provider's book would fill, or undefined when it can never be a gap. */
function wantedPosition(book: ProviderBook, options: AnalyseOptions): string | undefined {
  if (book.compilation) return undefined; // an omnibus is never a gap itself
  const seq = parseSequence(book.sequence);
  const key = positionKey(seq);
  if (!key || seq.primary === undefined) return undefined; // ranges, lists, unnumbered
  if ((seq.fractional || seq.suffix) && !options.includeFractional) return undefined;
  if (seq.primary === 0 && !options.includeZero) return undefined; // 0.5 counts as fractional
  return key;
}

function makeGap(group: SeriesGroup, pos: string, isHole: boolean, list: Candidate[], answered: ProviderName[], now: Date): Gap {
  const best = list[0]?.book;
  const reasons = list.map((c) => `${c.provider}: #${pos} "${c.book.title}"${c.book.releaseDate ? ` (${c.book.releaseDate})` : ''}`);
  for (const p of answered) if (!list.some((c) => c.provider === p)) reasons.push(`${p}: lists no book at #${pos}`);
  const owned = group.numbered.map((m) => m.seq.primary ?? 0);
  const last = Math.max(...owned);
  const reason = isHole
    ? `hole in the owned sequence (#${pos} missing, owned up to #${formatSequence(last)})`
    : `${list[0].provider} lists #${pos} "${best?.title}"`;
  if (isHole) reasons.unshift(`library: #${pos} missing between owned books`);
  const releaseDate = list.find((c) => c.book.releaseDate)?.book.releaseDate;
  const asin = list.find((c) => c.book.asin)?.book.asin;
  const isbn = list.find((c) => c.book.isbn)?.book.isbn;
  const runtime = best?.durationSec;
  return {
    key: `series:${group.id}#${pos}`,
    kind: 'series',
    status: isFuture(releaseDate, now) ? 'unreleased' : 'wanted',
    ...(best?.title ? { title: best.title } : {}),
    authors: best?.authors.length ? best.authors : group.authors,
    series: group.name,
    sequence: pos,
    ...(asin ? { asin } : {}),
    ...(isbn ? { isbn } : {}),
    ...(releaseDate ? { releaseDate } : {}),
    source: isHole ? 'library' : list[0].provider,
    reason,
    reasons,
    ...(runtime ? { expectedDurationSec: runtime, expectedDurationFrom: 'metadata' as const } : {}),
  };
}

function maxPrimary(books: ProviderBook[]): number | undefined {
  const ints = books.map((b) => parseSequence(b.sequence)).filter((s) => s.kind === 'number' && !s.fractional && !s.suffix).map((s) => s.primary ?? 0);
  return ints.length ? Math.max(...ints) : undefined;
}

function byPosition(a: string, b: string): number {
  return parseFloat(a) - parseFloat(b) || a.localeCompare(b);
}
