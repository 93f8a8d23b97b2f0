// What the search needs to know a gap's book when it sees it (lib/mam ranking): its expected
// length, and the titles of its series' other books. The metadata runtime is set where the gap
// is made; here a gap without one gets a prior, the median length of the owned books of its
// series (else of its author), and every series gap gets the series' titles (owned ones from
// ABS, the rest from the providers) so a torrent naming two of them is known for a bundle.
import type { Book, Gap } from '../types';
import type { SeriesOutcome } from '../metadata/provider';
import { authorsMatch } from '../identity/names';
import { normaliseTitle } from '../identity/text';
import { parseSequence } from '../identity/sequence';
import type { SeriesGroup } from './series';
import { positionKey } from '../identity/sequence';

/** An owned "book" shorter than this (a sample, a test file) says nothing about a book's length. */
const MIN_BOOK_SEC = 15 * 60;
/** Enough for any real series; keeps a message small for a 100-book one. */
const MAX_SERIES_BOOKS = 120;

function median(values: number[]): number | undefined {
  const v = values.filter((x) => x >= MIN_BOOK_SEC).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function addSearchEvidence(gaps: Gap[], books: Book[], groups: SeriesGroup[], outcomes: Map<string, SeriesOutcome[]>): void {
  const byId = new Map(groups.map((g) => [g.id, g]));
  for (const gap of gaps) {
    const group = gap.kind === 'series' ? byId.get(gap.key.slice('series:'.length, gap.key.lastIndexOf('#'))) : undefined;
    if (group) {
      const titles = seriesBooks(group, outcomes.get(group.id) ?? []);
      if (titles.length) gap.seriesBooks = titles;
    }
    if (gap.expectedDurationSec) continue;
    const fromSeries = group ? median([...group.numbered, ...group.unnumbered].map((m) => m.book.durationSec ?? 0)) : undefined;
    const fromAuthor = fromSeries ? undefined : median(books.filter((b) => authorsMatch(b.authors, gap.authors)).map((b) => b.durationSec ?? 0));
    if (fromSeries) Object.assign(gap, { expectedDurationSec: Math.round(fromSeries), expectedDurationFrom: 'series' });
    else if (fromAuthor) Object.assign(gap, { expectedDurationSec: Math.round(fromAuthor), expectedDurationFrom: 'author' });
  }
}

function seriesBooks(group: SeriesGroup, outcomes: SeriesOutcome[]): { title: string; sequence: string }[] {
  const out = new Map<string, { title: string; sequence: string }>();
  const add = (title: string | undefined, sequence: string | null | undefined) => {
    const seq = parseSequence(sequence ?? null);
    // An omnibus ("1-3") is not one book of the series: naming it says nothing about bundles.
    if (!title?.trim() || seq.kind === 'range' || seq.kind === 'list') return;
    const key = normaliseTitle(title);
    if (key && !out.has(key)) out.set(key, { title, sequence: positionKey(seq) ?? '' });
  };
  for (const m of [...group.numbered, ...group.unnumbered]) add(m.book.title, m.ref.sequence);
  for (const o of outcomes) if (o.status === 'found') for (const b of o.series.books) if (!b.compilation) add(b.title, b.sequence);
  return [...out.values()].slice(0, MAX_SERIES_BOOKS);
}
