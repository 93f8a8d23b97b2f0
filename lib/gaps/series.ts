// Series identity: which owned books belong to the same series. A book counts in every
// series it lists; names are matched on their normalised key and then split by author, so
// two series called "Legacy" by different writers stay apart. Shared universes ("The Horus
// Heresy", one author per book) are joined again when their owned positions interleave
// without ever colliding: two series by different writers would both have a #1.
import type { Book, SeriesRef } from '../types';
import { authorsMatch, normaliseAuthor } from '../identity/names';
import { normaliseSeriesName } from '../identity/text';
import { parseSequence, type ParsedSequence } from '../identity/sequence';

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
  const authorless: { nameKey: string; member: SeriesMember }[] = [];
  for (const book of books) {
    const seen = new Set<string>();
    for (const ref of book.series ?? []) {
      const nameKey = normaliseSeriesName(ref.name ?? '');
      if (!nameKey) continue;
      // The same series listed twice on one book counts once.
      const once = `${nameKey}#${ref.sequence ?? ''}`;
      if (seen.has(once)) continue;
      seen.add(once);
      const member: SeriesMember = { book, ref, seq: parseSequence(ref.sequence) };
      // A book without authors cannot say which series it is: placed after the others.
      if (!book.authors?.length) {
        authorless.push({ nameKey, member });
        continue;
      }
      const clusters = byName.get(nameKey) ?? [];
      if (clusters.length === 0) byName.set(nameKey, clusters);
      const target = clusters.find((c) => authorsMatch(book.authors, c.authors));
      if (target) {
        target.members.push(member);
        for (const a of book.authors) if (!target.authors.includes(a)) target.authors.push(a);
      } else {
        clusters.push({ nameKey, authors: [...book.authors], members: [member] });
      }
    }
  }
  for (const [nameKey, clusters] of byName) byName.set(nameKey, joinInterleaved(clusters));
  // It joins the only series of its name; with several it would be a guess (its position
  // could open false holes in the wrong one), so it stands alone.
  for (const { nameKey, member } of authorless) {
    const clusters = byName.get(nameKey) ?? [];
    if (clusters.length === 0) byName.set(nameKey, clusters);
    const alone = clusters.find((c) => c.authors.length === 0);
    if (clusters.length === 1 || alone) (alone ?? clusters[0]).members.push(member);
    else clusters.push({ nameKey, authors: [], members: [member] });
  }
  const groups: SeriesGroup[] = [];
  for (const clusters of byName.values()) for (const c of clusters) groups.push(toGroup(c));
  return groups;
}

/** Whole-book positions a cluster owns (lettered entries count for their number). */
function ownedPositions(members: SeriesMember[]): number[] {
  return members.flatMap((m) => m.seq.positions);
}

/**
 * Same-named clusters whose owned ranges overlap but share no position are one series with
 * several authors. Joining them never opens a hole that neither had on its own (the ranges
 * overlap), it only stops the same hole from being reported once per author.
 */
function joinInterleaved(clusters: Cluster[]): Cluster[] {
  if (clusters.length < 2) return clusters;
  const out = [...clusters];
  for (let joined = true; joined;) {
    joined = false;
    for (let i = 0; i < out.length && !joined; i++) {
      for (let j = i + 1; j < out.length && !joined; j++) {
        const a = ownedPositions(out[i].members);
        const b = ownedPositions(out[j].members);
        if (a.length === 0 || b.length === 0) continue;
        const set = new Set(a);
        const overlap = Math.min(...a) <= Math.max(...b) && Math.min(...b) <= Math.max(...a);
        if (!overlap || b.some((p) => set.has(p))) continue;
        out[i] = joinClusters(out[i], out[j]);
        out.splice(j, 1);
        joined = true;
      }
    }
  }
  return out;
}

function joinClusters(a: Cluster, b: Cluster): Cluster {
  return { nameKey: a.nameKey, authors: [...new Set([...a.authors, ...b.authors])], members: [...a.members, ...b.members] };
}

/** One group from several that a provider identified as the same series. */
export function mergeGroups(groups: SeriesGroup[]): SeriesGroup {
  const members = groups.flatMap((g) => [...g.numbered, ...g.unnumbered, ...g.invalid]);
  return toGroup({ nameKey: groups[0].nameKey, authors: [...new Set(groups.flatMap((g) => g.authors))], members });
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
