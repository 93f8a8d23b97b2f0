// Which ABS library item is the book a download brought? First by path (qBittorrent's
// content path, translated with the user's path mapping when the two run in containers that
// mount the same folder at different places), then by ASIN, then by title + author.
import { z } from 'zod';
import { authorsMatch, normaliseTitle } from '../gaps/normalise';
import type { Gap } from '../types';

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
}

export type MatchedBy = 'path' | 'asin' | 'title';

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

function samePlace(a: string, b: string): boolean {
  // A single-file torrent's content path is the file; ABS may name its folder (or vice versa).
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

export function matchItem(
  download: { contentPath: string; gap: Gap; name?: string },
  items: LibraryItemLite[],
  mapping?: PathMapping,
): { item: LibraryItemLite; by: MatchedBy } | undefined {
  if (download.contentPath) {
    const target = mapPath(download.contentPath, mapping);
    const item = items.find((i) => i.path && samePlace(clean(i.path), target));
    if (item) return { item, by: 'path' };
  }
  const asin = download.gap.asin?.toUpperCase();
  if (asin) {
    const item = items.find((i) => i.asin?.toUpperCase() === asin);
    if (item) return { item, by: 'asin' };
  }
  const title = download.gap.title ? normaliseTitle(download.gap.title) : '';
  if (title && download.gap.authors.length) {
    const item = items.find((i) => normaliseTitle(i.title) === title && authorsMatch(i.authors, download.gap.authors));
    if (item) return { item, by: 'title' };
  }
  return undefined;
}

/** The fields of an ABS item (list or expanded) that matching needs. */
const listItemSchema = z.looseObject({
  id: z.string(),
  path: z.string().optional(),
  media: z.looseObject({
    metadata: z.looseObject({
      title: z.string().nullable().optional(),
      authorName: z.string().nullable().optional(),
      authors: z.array(z.looseObject({ name: z.string() })).optional(),
      asin: z.string().nullable().optional(),
    }).optional(),
  }).nullable().optional(),
});

export function toLibraryItem(raw: unknown): LibraryItemLite | undefined {
  const parsed = listItemSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const meta = parsed.data.media?.metadata;
  return {
    id: parsed.data.id,
    title: meta?.title ?? '',
    path: parsed.data.path ?? '',
    // Expanded items carry authors[]; minified ones one "A, B & C" string.
    authors: meta?.authors?.map((a) => a.name) ?? (meta?.authorName ?? '').split(/\s*(?:,|&| and )\s*/).filter(Boolean),
    ...(meta?.asin ? { asin: meta.asin } : {}),
  };
}
