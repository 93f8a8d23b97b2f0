// Which owned series and which wanted books are "the same" across providers and runs.
// 1. Same-named series split by author (one author per book in a shared universe) are one
//    series when a provider places them in the same series: their gaps are then reported
//    once, not once per author.
// 2. A gap's key must not change while its book stays the same, or the book is searched and
//    downloaded again. The author part of a key can drift (co-authors, a new book shifting
//    the most frequent author, a joined universe), a provider can renumber a series, and the
//    author back-catalogue keys books by ASIN: so a gap adopts the key of the record that
//    already stands for the same book, by ASIN first, then by place (see adoptKnownKeys).
import type { Gap } from '../types';
import { HAS_DOWNLOAD, type WantedRecord } from '../store/wanted';
import type { ProviderName, SeriesOutcome } from '../metadata/provider';
import type { SeriesReport } from './analyse';
import { authorsMatch, normaliseAuthor } from '../identity/names';
import { normaliseSeriesName } from '../identity/text';
import { normaliseAsin } from '../identity/codes';
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

// "~n" marks a second key for the same place, given when the place's key belongs to another book.
const SERIES_KEY_RE = /^series:([^|#]*)\|([^#]*)#([^~]+)(?:~.*)?$/;

export function parseSeriesKey(key: string): SeriesKey | undefined {
  const m = SERIES_KEY_RE.exec(key);
  return m ? { nameKey: m[1], authorKey: m[2], position: m[3] } : undefined;
}

/** The series of this run that a stored series gap belongs to, under its key or an older one. */
export function seriesOfRecord(rec: WantedRecord, series: SeriesReport[]): SeriesReport | undefined {
  const exact = series.find((s) => rec.key.startsWith(`series:${s.key}#`));
  if (exact) return exact;
  const k = parseSeriesKey(rec.key);
  if (k) return series.find((s) => s.key.startsWith(`${k.nameKey}|`) && compatible(k.authorKey, rec.gap.authors, s));
  // A series gap stored under its ASIN (its place's key belonged to another book).
  const nameKey = rec.gap.series ? normaliseSeriesName(rec.gap.series) : '';
  return nameKey ? series.find((s) => s.key.startsWith(`${nameKey}|`) && (s.authors.length === 0 || authorsMatch(rec.gap.authors, s.authors))) : undefined;
}

function compatible(authorKey: string, authors: string[], s: SeriesReport): boolean {
  if (authorKey === '' || s.authors.length === 0) return true;
  return s.authors.some((a) => normaliseAuthor(a) === authorKey) || authorsMatch(authors, s.authors);
}

/** Where a gap sits now: normalised series name and position ('' without them). */
function placeOf(g: Gap): string {
  return g.series && g.sequence ? `${normaliseSeriesName(g.series)}#${g.sequence}` : '';
}

/** Two ASINs, when both are known, name two different books. */
function otherAsin(a: Gap, b: Gap): boolean {
  const x = normaliseAsin(a.asin);
  const y = normaliseAsin(b.asin);
  return !!x && !!y && x !== y;
}

/** Records of one book, best first: the gap's own key, then one being downloaded or ignored (another would download it again), then active ones, then the oldest. */
function byPreference(gap: Gap): (a: WantedRecord, b: WantedRecord) => number {
  const rank = (r: WantedRecord) => (r.key === gap.key ? 0 : HAS_DOWNLOAD.includes(r.state) || r.ignored ? 1 : r.state === 'resolved' ? 3 : 2);
  return (a, b) => rank(a) - rank(b) || a.firstSeenAt.localeCompare(b.firstSeenAt) || a.key.localeCompare(b.key);
}

/**
 * Gives each gap the key of the record that already stands for the same book (in place), so a
 * book keeps one record however its key would be spelled today. Returns the number re-keyed.
 * 1. ASIN first: a known ASIN finds its record whatever its key (a renumbered book, or one
 *    first found in the author back-catalogue), and a record holding another ASIN is never
 *    taken over, even under the gap's own key.
 * 2. Without an ASIN match, the record at the same place (series name + position as last
 *    stored, a compatible author, no conflicting ASIN): position-only matching for gaps and
 *    records without ASINs.
 * 3. Otherwise the gap's own key, unless that record holds another book: then a new key
 *    (`asin:<ASIN>` when known, else the place's key with "~n").
 */
export function adoptKnownKeys(gaps: Gap[], records: WantedRecord[], series: SeriesReport[]): number {
  const byKey = new Map(records.map((r) => [r.key, r]));
  const claimed = new Set<string>();
  const chosen = new Map<Gap, string>();
  const claim = (gap: Gap, candidates: WantedRecord[]) => {
    const pick = candidates.filter((r) => !claimed.has(r.key)).sort(byPreference(gap))[0];
    if (!pick) return;
    claimed.add(pick.key);
    chosen.set(gap, pick.key);
  };
  // Indexes, so that a large wanted list costs one pass, not one per gap.
  const byAsin = new Map<string, WantedRecord[]>();
  const byPlace = new Map<string, WantedRecord[]>();
  const add = (index: Map<string, WantedRecord[]>, key: string | undefined, r: WantedRecord) => key && index.set(key, [...(index.get(key) ?? []), r]);
  for (const r of records) {
    const asin = normaliseAsin(r.gap.asin);
    add(byAsin, asin, r);
    if (r.key.startsWith('asin:') && r.key.slice(5) !== asin) add(byAsin, r.key.slice(5), r);
    add(byPlace, placeOf(r.gap), r);
  }
  for (const gap of gaps) {
    const asin = normaliseAsin(gap.asin);
    if (asin) claim(gap, byAsin.get(asin) ?? []);
  }
  const reports = new Map(series.map((s) => [`series:${s.key}#`, s]));
  for (const gap of gaps) {
    const place = placeOf(gap);
    if (chosen.has(gap) || !place) continue;
    const report = reports.get(gap.key.slice(0, gap.key.indexOf('#') + 1));
    claim(gap, (byPlace.get(place) ?? []).filter((r) => !otherAsin(r.gap, gap) && authorsFit(r, gap, report)));
  }
  const rekey: Gap[] = [];
  for (const gap of gaps) {
    if (chosen.has(gap)) continue;
    const own = byKey.get(gap.key);
    if (own && (claimed.has(own.key) || holdsAnotherBook(own, gap))) rekey.push(gap);
    else chosen.set(gap, gap.key);
  }
  const used = new Set([...records.map((r) => r.key), ...chosen.values()]);
  for (const gap of rekey) {
    const asin = normaliseAsin(gap.asin);
    let key = asin ? `asin:${asin}` : '';
    for (let n = 2; !key || used.has(key); n++) key = `${gap.key}~${n}`;
    used.add(key);
    chosen.set(gap, key);
  }
  let changed = 0;
  for (const gap of gaps) {
    const key = chosen.get(gap)!;
    if (key !== gap.key) changed++;
    gap.key = key;
  }
  return changed;
}

function authorsFit(rec: WantedRecord, gap: Gap, report: SeriesReport | undefined): boolean {
  if (authorsMatch(rec.gap.authors, gap.authors)) return true;
  if (!report) return false;
  const k = parseSeriesKey(rec.key);
  return k ? compatible(k.authorKey, rec.gap.authors, report) : authorsMatch(rec.gap.authors, report.authors);
}

/** The record under a gap's own key stands for another book: another ASIN, or (series keys) it moved to another position. */
function holdsAnotherBook(rec: WantedRecord, gap: Gap): boolean {
  if (otherAsin(rec.gap, gap)) return true;
  if (!parseSeriesKey(rec.key)) return false; // asin:/author: keys name the book itself
  const a = placeOf(rec.gap);
  const b = placeOf(gap);
  return !!a && !!b && a !== b;
}
