// Data for the ABS simulator (test/sim/abs-sim.ts): the recorded library (test/fixtures/abs,
// copied from a real ABS 2.36.0), generated books, and the minified/expanded item shapes.
// The simulator keeps every item in its expanded form (exact authors/narrators/series
// arrays) and derives the minified list form (only authorName/narratorName/seriesName text)
// from it on each request, as ABS does.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/* eslint-disable @typescript-eslint/no-explicit-any -- raw ABS JSON, shaped like the fixtures */
export type RawItem = Record<string, any>;
export type RawLibrary = Record<string, any>;

export const FIXTURE_DIR = join(__dirname, '..', 'fixtures', 'abs');

export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, name), 'utf8')) as T;
}

/** A deterministic UUID-shaped id from a seed. */
export function simId(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** What a test says about a book; everything else is filled in. */
export interface SimBookSpec {
  id?: string;
  title: string;
  subtitle?: string | null;
  authors?: string[];
  narrators?: string[];
  series?: { name: string; sequence: string | null }[];
  asin?: string | null;
  isbn?: string | null;
  language?: string | null;
  publishedYear?: string | null;
  path?: string;
  addedAt?: number;
  /** Seconds of audio (media.duration); a novel's ten hours unless said, because series-gaps
   *  takes the owned books' lengths as the prior for the missing ones. */
  durationSec?: number;
}

const seriesIds = new Map<string, string>(
  fixture<{ results: { id: string; name: string }[] }>('library-series.limit100.final.json').results.map((s) => [s.name, s.id]),
);
export function seriesIdFor(name: string): string {
  return seriesIds.get(name) ?? simId(`series:${name}`);
}

export function makeItem(spec: SimBookSpec, libraryId: string, folder = '/audiobooks'): RawItem {
  const id = spec.id ?? simId(`item:${libraryId}:${spec.title}:${(spec.series ?? []).map((s) => s.name + s.sequence).join()}`);
  const relPath = `${(spec.authors ?? ['Unknown'])[0]}/${spec.title}`;
  const addedAt = spec.addedAt ?? Date.now();
  return {
    id, ino: String(parseInt(id.slice(0, 7), 16)), oldLibraryItemId: null, libraryId, folderId: simId(`folder:${libraryId}`),
    path: spec.path ?? `${folder}/${relPath}`, relPath, isFile: false,
    mtimeMs: addedAt, ctimeMs: addedAt, birthtimeMs: addedAt, addedAt, updatedAt: addedAt,
    isMissing: false, isInvalid: false, mediaType: 'book',
    media: {
      id: simId(`media:${id}`),
      metadata: {
        title: spec.title, subtitle: spec.subtitle ?? null,
        authors: (spec.authors ?? []).map((name) => ({ id: simId(`author:${name}`), name })),
        narrators: spec.narrators ?? [],
        series: (spec.series ?? []).map((s) => ({ id: seriesIdFor(s.name), name: s.name, sequence: s.sequence })),
        genres: [], publishedYear: spec.publishedYear ?? null, publishedDate: null, publisher: null, description: null,
        isbn: spec.isbn ?? null, asin: spec.asin ?? null, language: spec.language ?? null, explicit: false, abridged: false,
      },
      coverPath: null, tags: [], numTracks: 1, numAudioFiles: 1, numChapters: 0, duration: spec.durationSec ?? 36000, size: 1000,
      libraryItemId: id, audioFiles: [], chapters: [], ebookFile: null, tracks: [],
    },
    numFiles: 1, size: 1000, lastScan: addedAt, scanVersion: '2.36.0', libraryFiles: [],
  };
}

/** The list form: no authors/narrators/series arrays, only the joined text fields. */
export function minify(item: RawItem): RawItem {
  const { lastScan: _a, scanVersion: _b, libraryFiles: _c, ...top } = item;
  if (!item.media || typeof item.media !== 'object') return top;
  const { audioFiles: _d, chapters: _e, ebookFile: _f, tracks: _g, libraryItemId: _h, metadata, ...media } = item.media;
  const m = metadata ?? {};
  const { authors, narrators, series, descriptionPlain: _i, ...rest } = m;
  // Tests break items on purpose; the list form must still render them.
  const arr = (v: unknown): any[] => (Array.isArray(v) ? v : []);
  const names = arr(authors).map((a: { name: string }) => a.name);
  return {
    ...top,
    media: {
      ...media,
      metadata: {
        ...rest,
        titleIgnorePrefix: m.titleIgnorePrefix ?? m.title,
        authorName: names.join(', '),
        authorNameLF: names.map(lastFirst).join(', '),
        narratorName: arr(narrators).join(', '),
        seriesName: arr(series).map((s: { name: string; sequence: string | null }) => (s.sequence ? `${s.name} #${s.sequence}` : s.name)).join(', '),
      },
    },
  };
}

function lastFirst(name: string): string {
  const parts = name.split(' ');
  return parts.length < 2 ? name : `${parts.at(-1)}, ${parts.slice(0, -1).join(' ')}`;
}

/** The recorded "Audiobooks" library: 12 books, 3 of them with recorded expanded forms. */
export function fixtureLibrary(): { library: RawLibrary; items: RawItem[] } {
  const library = fixture<{ libraries: RawLibrary[] }>('libraries.json').libraries[0];
  const expanded = new Map<string, RawItem>(
    ['item.guards-guards.expanded.json', 'item.the-final-empire.expanded.json', 'item.the-golden-enclaves.expanded.json']
      .map((f) => fixture<RawItem>(f)).map((i) => [i.id, i]),
  );
  const listed = fixture<{ results: RawItem[] }>('library-items.all.json').results;
  const items = listed.map((min) => expanded.get(min.id) ?? expandRecorded(min));
  return { library, items };
}

/** The book the recorded scan added ("A Wizard of Earthsea"): use with addItem(…, { onScan: true }). */
export function earthseaItem(): RawItem {
  return fixture<RawItem>('item.a-wizard-of-earthsea.expanded.json');
}

// Rebuilds arrays from a recorded minified item. Safe only because we know these 12 names
// (none contains ", " or " #"); the reader under test must never do this.
function expandRecorded(min: RawItem): RawItem {
  const m = min.media.metadata;
  const split = (s: string | null) => (s ? s.split(', ').filter(Boolean) : []);
  const series = split(m.seriesName).map((part) => {
    const at = part.lastIndexOf(' #');
    return at < 0 ? { name: part, sequence: null } : { name: part.slice(0, at), sequence: part.slice(at + 2) };
  });
  const { authorName: _a, authorNameLF: _b, narratorName: _c, seriesName: _d, ...rest } = m;
  return {
    ...min,
    media: {
      ...min.media,
      libraryItemId: min.id, audioFiles: [], chapters: [], ebookFile: null, tracks: [],
      metadata: {
        ...rest,
        authors: split(m.authorName).map((name) => ({ id: simId(`author:${name}`), name })),
        narrators: split(m.narratorName),
        series: series.map((s) => ({ id: seriesIdFor(s.name), ...s })),
      },
    },
    lastScan: min.addedAt, scanVersion: '2.36.0', libraryFiles: [],
  };
}

/**
 * N books in M series (book i is number ⌊i/M⌋+1 of series i mod M); every 50th book is also
 * in a second, shared series, so multi-series books are part of every large run.
 */
export function generateItems(libraryId: string, books: number, series: number, start = Date.UTC(2024, 0, 1)): RawItem[] {
  const items: RawItem[] = [];
  for (let i = 0; i < books; i++) {
    const s = i % Math.max(1, series);
    const seq = String(Math.floor(i / Math.max(1, series)) + 1);
    const name = `Generated Series ${String(s + 1).padStart(4, '0')}`;
    const list = series > 0 ? [{ name, sequence: seq }] : [];
    if (series > 0 && i % 50 === 49) list.push({ name: 'Generated Universe', sequence: String((i + 1) / 50) });
    items.push(makeItem({
      id: simId(`gen:${libraryId}:${i}`),
      title: `${series > 0 ? name : 'Standalone'} Book ${seq}`,
      authors: [`Author ${String((s % 500) + 1).padStart(3, '0')}`],
      narrators: i % 3 === 0 ? ['Narrator One', 'Narrator Two'] : ['Narrator One'],
      series: list,
      asin: i % 4 === 0 ? `B0${String(i).padStart(8, '0')}` : null,
      publishedYear: String(1990 + (i % 30)),
      addedAt: start + i * 1000,
    }, libraryId, '/generated'));
  }
  return items;
}

/** A JWT-shaped token with these claims, like ABS's API keys and login tokens (signature not checked). */
export function fakeJwt(claims: object): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`;
}
