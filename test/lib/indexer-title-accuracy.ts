// Scores the release-title parser on a labelled set (test/fixtures/indexer/release-titles*.json):
// per field and per title (every field right), and for each field how many misses were wrong
// values and how many were left unknown (an unknown is the lesser harm: a wrong author or series
// position can make the ranking accept the wrong book). Used by its tests and by `npm run bench`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseAuthor, samePerson } from '../../lib/identity/names';
import { foldText } from '../../lib/identity/text';
import { parseReleaseTitle, type ParsedRelease } from '../../lib/indexer/title-parse';

export interface LabelledTitle {
  raw: string;
  attrs?: { author?: string; booktitle?: string };
  authors?: string[];
  title: string;
  series?: { name: string; position: string };
  year?: number;
  format?: string;
  bitrate?: number;
  unabridged?: boolean;
  dramatised?: boolean;
  language?: string;
}

export const FIELDS = ['authors', 'title', 'series', 'year', 'format', 'bitrate', 'unabridged', 'dramatised', 'language'] as const;
type Field = (typeof FIELDS)[number];

/** The labelled sets: the one the parser was tuned on, the held-out one, and the fresh one written after the tuning on held-out. */
export const TITLE_SETS = { tuned: 'release-titles', heldout: 'release-titles-heldout', fresh: 'release-titles-fresh' } as const;
export type TitleSet = keyof typeof TITLE_SETS;

export function loadTitles(set: TitleSet = 'tuned'): LabelledTitle[] {
  const file = join(__dirname, '../fixtures/indexer', `${TITLE_SETS[set]}.json`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { cases: LabelledTitle[] }).cases;
}

/** A miss where the parser said nothing (no author, no series, not dramatised...) rather than something else. */
function leftUnknown(f: Field, g: string): boolean {
  return g === '' || (f === 'dramatised' && g === 'false');
}

function got(p: ParsedRelease, f: Field): string {
  switch (f) {
    case 'authors': return p.authors.map(normaliseAuthor).sort().join('+');
    case 'title': return foldText(p.title);
    case 'series': return p.series ? `${foldText(p.series.name)}#${Number(p.series.position)}` : '';
    case 'bitrate': return String(p.bitrateKbps ?? '');
    case 'dramatised': return String(p.dramatised);
    default: return String(p[f] ?? '');
  }
}

function want(c: LabelledTitle, f: Field): string {
  switch (f) {
    case 'authors': return (c.authors ?? []).map(normaliseAuthor).sort().join('+');
    case 'title': return foldText(c.title);
    case 'series': return c.series ? `${foldText(c.series.name)}#${Number(c.series.position)}` : '';
    case 'dramatised': return String(c.dramatised ?? false);
    default: return String(c[f] ?? '');
  }
}

/** The ranking matches authors person by person (lib/identity/names: "Liu Cixin" is "Cixin Liu"), so the score does too. */
function sameAuthors(c: LabelledTitle, p: ParsedRelease): boolean {
  const want = c.authors ?? [];
  return want.length === p.authors.length && want.every((a) => p.authors.some((b) => samePerson(a, b))) && p.authors.every((b) => want.some((a) => samePerson(a, b)));
}

export function scoreTitles(cases = loadTitles()) {
  const right: Record<Field, number> = Object.fromEntries(FIELDS.map((f) => [f, 0])) as Record<Field, number>;
  const wrong = { ...right };
  const unknown = { ...right };
  const misses: { raw: string; field: Field; want: string; got: string }[] = [];
  let whole = 0;
  for (const c of cases) {
    const p = parseReleaseTitle(c.raw, c.attrs);
    let all = true;
    for (const f of FIELDS) {
      const [w, g] = [want(c, f), got(p, f)];
      if (w === g || (f === 'authors' && sameAuthors(c, p))) right[f]++;
      else {
        all = false;
        misses.push({ raw: c.raw, field: f, want: w, got: g });
        if (leftUnknown(f, g)) unknown[f]++;
        else wrong[f]++;
      }
    }
    if (all) whole++;
  }
  const n = cases.length;
  return { n, whole: whole / n, fields: Object.fromEntries(FIELDS.map((f) => [f, right[f] / n])) as Record<Field, number>, wrong, unknown, misses };
}
