// Scores the release-title parser on the labelled set (test/fixtures/indexer/release-titles.json):
// per field and per title (every field right). Used by its test and by `npm run bench`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normaliseAuthor } from '../../lib/identity/names';
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

export function loadTitles(): LabelledTitle[] {
  return (JSON.parse(readFileSync(join(__dirname, '../fixtures/indexer/release-titles.json'), 'utf8')) as { cases: LabelledTitle[] }).cases;
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

export function scoreTitles(cases = loadTitles()) {
  const right: Record<Field, number> = Object.fromEntries(FIELDS.map((f) => [f, 0])) as Record<Field, number>;
  const misses: { raw: string; field: Field; want: string; got: string }[] = [];
  let whole = 0;
  for (const c of cases) {
    const p = parseReleaseTitle(c.raw, c.attrs);
    let all = true;
    for (const f of FIELDS) {
      const [w, g] = [want(c, f), got(p, f)];
      if (w === g) right[f]++;
      else { all = false; misses.push({ raw: c.raw, field: f, want: w, got: g }); }
    }
    if (all) whole++;
  }
  const n = cases.length;
  return { n, whole: whole / n, fields: Object.fromEntries(FIELDS.map((f) => [f, right[f] / n])) as Record<Field, number>, misses };
}
