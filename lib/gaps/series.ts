// Series identity: which owned books belong to the same series. A book counts in every
// series it lists; names are matched on their normalised key and then split by author, so
// two series called "Legacy" by different writers stay apart.
import type { Book, SeriesRef } from '../types';
import { authorsMatch, normaliseAuthor, normaliseSeriesName } from './normalise';
import { formatSequence, parseSequence, type ParsedSequence } from './sequence';

export interface SeriesMember {
  book: Book;
  ref: SeriesRef;
  seq: ParsedSequence;
}

export interface SeriesGroup {
  /** `<normalised name>|<primary author key>`: the series part of Gap.key. */
  id: string;
  nameKey: string;
  /** Display name: the spelling used by most owned books. */
  name: string;
  /** Display authors, most frequent first. */
  authors: string[];
  primaryAuthorKey: string;
  /** Members with a usable position. */
  numbered: SeriesMember[];
  /** Members without a sequence (companions, or untagged). */
  unnumbered: SeriesMember[];
  /** Members whose sequence could not be read; reported, never guessed. */
  invalid: SeriesMember[];
}

interface Cluster {
  nameKey: string;
  authors: string[];
  members: SeriesMember[];
}

export function groupSeries(books: Book[]): SeriesGroup[] {
  const byName = new Map<string, Cluster[]>();
  for (const book of books) {
    const seen = new Set<string>();
    for (const ref of book.series ?? []) {
      const nameKey = normaliseSeriesName(ref.name ?? '');
      if (!nameKey) continue;
      // The same series listed twice on one book counts once.
      const once = `${nameKey}#${ref.sequence ?? ''}`;
      if (seen.has(once)) continue;
      seen.add(once);
      const clusters = byName.get(nameKey) ?? [];
      if (clusters.length === 0) byName.set(nameKey, clusters);
      const member: SeriesMember = { book, ref, seq: parseSequence(ref.sequence) };
      // A book without authors cannot say which series it is; it joins the first one.
      const target = book.authors.length === 0 ? clusters[0] : clusters.find((c) => authorsMatch(book.authors, c.authors));
      if (target) {
        target.members.push(member);
        for (const a of book.authors) if (!target.authors.includes(a)) target.authors.push(a);
      } else {
        clusters.push({ nameKey, authors: [...book.authors], members: [member] });
      }
    }
  }
  const groups: SeriesGroup[] = [];
  for (const clusters of byName.values()) for (const c of clusters) groups.push(toGroup(c));
  return groups;
}

function toGroup(cluster: Cluster): SeriesGroup {
  const authorCount = new Map<string, { n: number; display: string }>();
  const nameCount = new Map<string, number>();
  for (const m of cluster.members) {
    nameCount.set(m.ref.name, (nameCount.get(m.ref.name) ?? 0) + 1);
    for (const a of m.book.authors) {
      const key = normaliseAuthor(a);
      const entry = authorCount.get(key) ?? { n: 0, display: a };
      entry.n++;
      authorCount.set(key, entry);
    }
  }
  // Ties break alphabetically so the id stays the same from run to run.
  const authors = [...authorCount.entries()].sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]));
  const primaryAuthorKey = authors[0]?.[0] ?? '';
  const name = [...nameCount.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
  const numbered: SeriesMember[] = [];
  const unnumbered: SeriesMember[] = [];
  const invalid: SeriesMember[] = [];
  for (const m of cluster.members) {
    if (m.seq.kind === 'none') unnumbered.push(m);
    else if (m.seq.kind === 'invalid') invalid.push(m);
    else numbered.push(m);
  }
  return {
    id: `${cluster.nameKey}|${primaryAuthorKey}`,
    nameKey: cluster.nameKey,
    name,
    authors: authors.map(([, v]) => v.display),
    primaryAuthorKey,
    numbered,
    unnumbered,
    invalid,
  };
}

/** The position key of a single entry: "3", "1.5", "2a". */
export function positionKey(seq: ParsedSequence): string | undefined {
  if (seq.primary === undefined || seq.kind !== 'number') return undefined;
  return `${formatSequence(seq.primary)}${seq.suffix ?? ''}`;
}
