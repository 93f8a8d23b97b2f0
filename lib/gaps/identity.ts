// Which owned series and which wanted books are "the same" across providers and runs.
// 1. Same-named series split by author (one author per book in a shared universe) are one
//    series when a provider places them in the same series: their gaps are then reported
//    once, not once per author.
// 2. A gap's key must not change while its book stays the same, or the book is searched and
//    downloaded again. The author part of a key can drift (co-authors, a new book shifting
//    the most frequent author, a joined universe), so a new key first adopts the key of the
//    record that already stands for the same book: same series name and position, and a
//    compatible author or the same ASIN.
import type { Gap } from '../types';
import type { WantedRecord } from '../store/wanted';
import type { ProviderName, SeriesOutcome } from '../metadata/provider';
import type { SeriesReport } from './analyse';
import { authorsMatch, normaliseAuthor } from './normalise';
import { normaliseAsin } from './owned';
import { mergeGroups, type SeriesGroup } from './series';

export function mergeSameSeries(groups: SeriesGroup[], outcomes: Map<string, SeriesOutcome[]>, order: ProviderName[]): { groups: SeriesGroup[]; outcomes: Map<string, SeriesOutcome[]> } {
  const parent = groups.map((_g, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
  const seen = new Map<string, number>();
  groups.forEach((g, i) => {
    for (const o of outcomes.get(g.id) ?? []) {
      if (o.status !== 'found') continue;
      const identity = `${g.nameKey}\u0000${o.provider}:${o.series.seriesId}`;
      const first = seen.get(identity);
      if (first === undefined) seen.set(identity, i);
      else parent[root(i)] = root(first);
    }
  });
  if (groups.every((_g, i) => root(i) === i)) return { groups, outcomes };
  const sets = new Map<number, SeriesGroup[]>();
  groups.forEach((g, i) => sets.set(root(i), [...(sets.get(root(i)) ?? []), g]));
  const outGroups: SeriesGroup[] = [];
  const outOutcomes = new Map<string, SeriesOutcome[]>();
  for (const members of sets.values()) {
    const group = members.length === 1 ? members[0] : mergeGroups(members);
    outGroups.push(group);
    const all = members.flatMap((m) => outcomes.get(m.id) ?? []);
    // One answer per provider: a found series beats a failure, a failure beats "not found".
    const rank = (o: SeriesOutcome) => (o.status === 'found' ? 0 : o.status === 'failed' ? 1 : 2);
    const picked = order.map((p) => all.filter((o) => o.provider === p).sort((a, b) => rank(a) - rank(b))[0]).filter((o): o is SeriesOutcome => !!o);
    outOutcomes.set(group.id, picked);
  }
  return { groups: outGroups, outcomes: outOutcomes };
}

interface SeriesKey { nameKey: string; authorKey: string; position: string }

const SERIES_KEY_RE = /^series:([^|#]*)\|([^#]*)#(.+)$/;

export function parseSeriesKey(key: string): SeriesKey | undefined {
  const m = SERIES_KEY_RE.exec(key);
  return m ? { nameKey: m[1], authorKey: m[2], position: m[3] } : undefined;
}

/** The series of this run that a stored series gap belongs to, under its key or an older one. */
export function seriesOfRecord(rec: WantedRecord, series: SeriesReport[]): SeriesReport | undefined {
  const exact = series.find((s) => rec.key.startsWith(`series:${s.key}#`));
  if (exact) return exact;
  const k = parseSeriesKey(rec.key);
  if (!k) return undefined;
  return series.find((s) => s.key.startsWith(`${k.nameKey}|`) && compatible(k.authorKey, rec.gap.authors, s));
}

function compatible(authorKey: string, authors: string[], s: SeriesReport): boolean {
  if (authorKey === '' || s.authors.length === 0) return true;
  return s.authors.some((a) => normaliseAuthor(a) === authorKey) || authorsMatch(authors, s.authors);
}

/**
 * Gives each gap that has no record yet the key of the record that already stands for the
 * same book (in place). Returns the number of gaps re-keyed.
 */
export function adoptKnownKeys(gaps: Gap[], records: WantedRecord[], series: SeriesReport[]): number {
  const known = new Set(records.map((r) => r.key));
  const taken = new Set(gaps.map((g) => g.key));
  const byPlace = new Map<string, WantedRecord[]>();
  for (const r of records) {
    const k = parseSeriesKey(r.key);
    if (!k) continue;
    const place = `${k.nameKey}#${k.position}`;
    byPlace.set(place, [...(byPlace.get(place) ?? []), r]);
  }
  let adopted = 0;
  for (const gap of gaps) {
    const k = known.has(gap.key) ? undefined : parseSeriesKey(gap.key);
    if (!k) continue;
    const report = series.find((s) => gap.key.startsWith(`series:${s.key}#`));
    const asin = normaliseAsin(gap.asin);
    const samePlace = (byPlace.get(`${k.nameKey}#${k.position}`) ?? []).filter((r) => {
      if (taken.has(r.key)) return false;
      const other = normaliseAsin(r.gap.asin);
      if (asin && other && asin !== other) return false; // another book took this position
      const rk = parseSeriesKey(r.key)!;
      return (report ? compatible(rk.authorKey, r.gap.authors, report) : false) || authorsMatch(r.gap.authors, gap.authors);
    });
    // A renumbered book keeps its record too: same series name, same ASIN.
    const moved = asin ? records.filter((r) => !taken.has(r.key) && normaliseAsin(r.gap.asin) === asin && parseSeriesKey(r.key)?.nameKey === k.nameKey) : [];
    const order = (r: WantedRecord) => (r.state === 'resolved' && !r.ignored ? 1 : 0);
    const pick = [...moved, ...samePlace.sort((a, b) => order(a) - order(b))][0];
    if (!pick) continue;
    gap.key = pick.key;
    taken.add(pick.key);
    adopted++;
  }
  return adopted;
}
