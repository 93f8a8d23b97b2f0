// Which ABS library item is the book a download brought? An import must be proven, not
// guessed: a wrong "imported" closes the download and marks the wanted book done.
//   1. path: the item's path equals or lies inside the download's content path (qBittorrent's
//      view, translated with the user's path mapping when the two run in containers), the item
//      was added after the download was queued, and its title or author agrees loosely. Never
//      an item further up: the one exception is a torrent of ONE file, whose content_path is
//      that file (even inside the torrent's folder, as seen on qBittorrent 4.5) while ABS names
//      the folder holding it — then that folder, exactly. A content path that is (or holds) a
//      library folder proves nothing — a multi-file torrent saved without a subfolder has
//      content_path = its save path — so it is not used.
//   2. ASIN, 3. title + author (both must agree).
// An item whose files are gone (ABS flags it missing or invalid) proves nothing.
import { z } from 'zod';
import { authorsMatch } from '../identity/names';
import { normaliseTitle } from '../identity/text';
import type { Gap, ImportMatch } from '../types';

export interface PathMapping {
  /** Prefix as qBittorrent sees it, e.g. "/downloads". */
  from: string;
  /** The same folder as Audiobookshelf sees it, e.g. "/audiobooks". */
  to: string;
}

export interface LibraryItemLite {
  id: string;
  title: string;
  path: string;
  authors: string[];
  asin?: string;
  /** When ABS added the item (ms); path matching needs it. */
  addedAt?: number;
  /** ABS flags it missing or invalid (its files are gone): it proves no import. */
  missing?: boolean;
  /** What ABS measured, for the check after import (lib/watch/verify). */
  durationSec?: number;
  audioFiles?: number;
  /** ABS's series text, "Moon #2" ("A #1, B #2" for two series). */
  seriesName?: string;
}

export type MatchedBy = ImportMatch;

export interface DownloadForMatch {
  contentPath: string;
  gap: Gap;
  /** When the download was queued (ISO); an item added before it is not this download's. */
  queuedAt?: string;
  name?: string;
}

function clean(path: string): string {
  return path.replace(/\\/g, '/').replace(/\/+/g, '/').replace(/\/$/, '');
}

/** Translates a qBittorrent path into the ABS view; unchanged when the prefix does not apply. */
export function mapPath(path: string, mapping?: PathMapping): string {
  const p = clean(path);
  if (!mapping?.from) return p;
  const from = clean(mapping.from);
  if (p !== from && !p.startsWith(`${from}/`)) return p;
  return clean(`${clean(mapping.to)}${p.slice(from.length)}`);
}

/** `path` is `root` or lies inside it (one direction only). */
function within(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

/** Titles agree when one normalised title holds the other as whole words ("Book 1" in "Book 1: The Start"). */
function titlesAgree(a: string, b: string): boolean {
  const x = normaliseTitle(a);
  const y = normaliseTitle(b);
  if (!x || !y) return false;
  return x === y || ` ${x} `.includes(` ${y} `) || ` ${y} `.includes(` ${x} `);
}

function agreesLoosely(item: LibraryItemLite, gap: Gap): boolean {
  return (!!gap.title && titlesAgree(item.title, gap.title)) || (gap.authors.length > 0 && authorsMatch(item.authors, gap.authors));
}

/** Audio and e-book files ABS reads: a content path ending so is a single-file torrent's file. */
const MEDIA_FILE = /\.(?:m4b|m4a|mp3|mp4|aac|flac|ogg|oga|opus|wav|wma|aiff?|webm|epub|pdf|mobi|azw3?|cbz|cbr)$/i;

function byPath(download: DownloadForMatch, items: LibraryItemLite[], mapping: PathMapping | undefined, libraryFolders: string[]): LibraryItemLite | undefined {
  if (!download.contentPath) return undefined;
  const target = mapPath(download.contentPath, mapping);
  const provesNothing = (place: string) => !place || libraryFolders.some((f) => within(clean(f), place));
  const holder = MEDIA_FILE.test(target) ? target.slice(0, target.lastIndexOf('/')) : '';
  const isPlace = (path: string) => (!provesNothing(target) && within(path, target)) || (!provesNothing(holder) && path === holder);
  // No queue time (NaN) or no addedAt: never "after", so not proven.
  const queued = Date.parse(download.queuedAt ?? '');
  return items.find((i) => i.path && isPlace(clean(i.path)) && (i.addedAt ?? -Infinity) > queued && agreesLoosely(i, download.gap));
}

export function matchItem(
  download: DownloadForMatch,
  items: LibraryItemLite[],
  mapping?: PathMapping,
  libraryFolders: string[] = [],
): { item: LibraryItemLite; by: MatchedBy } | undefined {
  items = items.filter((i) => !i.missing);
  const pathItem = byPath(download, items, mapping, libraryFolders);
  if (pathItem) return { item: pathItem, by: 'path' };
  const asin = download.gap.asin?.toUpperCase();
  if (asin) {
    const item = items.find((i) => i.asin?.toUpperCase() === asin);
    if (item) return { item, by: 'asin' };
  }
  const title = download.gap.title ? normaliseTitle(download.gap.title) : '';
  if (title && download.gap.authors.length) {
    const item = items.find((i) => normaliseTitle(i.title) === title && authorsMatch(i.authors, download.gap.authors));
    if (item) return { item, by: 'title-author' };
  }
  return undefined;
}

/** The fields of an ABS item (list or expanded) that matching needs. */
const listItemSchema = z.looseObject({
  id: z.string(),
  path: z.string().optional(),
  addedAt: z.number().optional(),
  isMissing: z.boolean().optional(),
  isInvalid: z.boolean().optional(),
  media: z.looseObject({
    metadata: z.looseObject({
      title: z.string().nullable().optional(),
      authorName: z.string().nullable().optional(),
      authors: z.array(z.looseObject({ name: z.string() })).optional(),
      asin: z.string().nullable().optional(),
      seriesName: z.string().nullable().optional(),
    }).optional(),
    duration: z.number().nullable().optional(),
    numAudioFiles: z.number().nullable().optional(),
    audioFiles: z.array(z.unknown()).optional(),
  }).nullable().optional(),
});

export function toLibraryItem(raw: unknown): LibraryItemLite | undefined {
  const parsed = listItemSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const media = parsed.data.media;
  const meta = media?.metadata;
  // Minified items count the audio files; expanded ones list them.
  const audioFiles = media?.numAudioFiles ?? media?.audioFiles?.length;
  return {
    id: parsed.data.id,
    title: meta?.title ?? '',
    path: parsed.data.path ?? '',
    // Expanded items carry authors[]; minified ones one "A, B & C" string.
    authors: meta?.authors?.map((a) => a.name) ?? (meta?.authorName ?? '').split(/\s*(?:,|&| and )\s*/).filter(Boolean),
    ...(meta?.asin ? { asin: meta.asin } : {}),
    ...(parsed.data.addedAt !== undefined ? { addedAt: parsed.data.addedAt } : {}),
    ...(parsed.data.isMissing || parsed.data.isInvalid ? { missing: true } : {}),
    ...(typeof media?.duration === 'number' ? { durationSec: media.duration } : {}),
    ...(typeof audioFiles === 'number' ? { audioFiles } : {}),
    ...(meta?.seriesName ? { seriesName: meta.seriesName } : {}),
  };
}
