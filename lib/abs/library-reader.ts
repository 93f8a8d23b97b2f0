// Reads whole ABS libraries into Book[].
//
// How: page through /api/libraries/:id/items (always sorted by addedAt, so books added while
// we read land at the end instead of shifting earlier pages), then fetch the expanded items
// for those ids with POST /api/items/batch/get — one request per batch (default: one per
// page). The list only carries `seriesName` text ("Discworld #8, Discworld - City Watch #1"),
// which cannot be split safely (series names contain ", " and " #"); the expanded items carry
// exact series[] with sequences. Requests: ⌈N/page⌉ + ⌈N/batch⌉ (+1 for the library list).
// The per-series filter would cost one request per series on top of the paging (2,000 series
// → 2,000+ requests), so batch/get wins on any library with more than a handful of series.
//
// Failures: any HTTP/schema error throws and nothing is returned (no partial Book[]).
// An item that is not a valid book (no media, no title, no authors array…) throws too, naming
// the item and field: silently skipping an owned book would make it look missing and could
// get it downloaded again. Skipped with a warning instead: podcast libraries, non-book items,
// and items listed but gone by the time batch/get asked for them (deleted meanwhile).
// Items whose files are gone (ABS flags them isMissing, or isInvalid when unreadable) are not
// owned: they are left out unless keepMissing, reported in `missing` and in ONE warning.
import { ServiceError } from '../errors';
import type { Book } from '../types';
import type { AbsClient } from './client';
import { toBook } from './book';
import { missingBook, missingWarning, type MissingBook } from './missing';
import type { AbsLibrary, AbsRawItem } from './schemas';

export interface ReadLibraryOptions {
  /** Library ids, or 'all' for every book library the key can see. */
  libraryIds: string[] | 'all';
  pageSize?: number;
  /** Ids per batch/get request (default: the page size). */
  batchSize?: number;
  /** Called after every page: books listed so far, and the total reported so far. */
  onProgress?: (read: number, total: number) => void;
  /** Stops between requests (e.g. the node is being closed). */
  signal?: AbortSignal;
  /** Keep items whose files are missing (isMissing / isInvalid) in `books`. Default: left out. */
  keepMissing?: boolean;
}

export interface ReadLibraryResult {
  books: Book[];
  /** Items ABS flags missing or invalid (also in `books` only with keepMissing). */
  missing: MissingBook[];
  warnings: string[];
  /** The book libraries that were read. */
  libraries: { id: string; name: string; total: number }[];
}

/** The sort used for paging; exported so tests can assert it is always sent. */
export const PAGE_SORT = 'addedAt';

export async function readLibrary(client: AbsClient, opts: ReadLibraryOptions): Promise<ReadLibraryResult> {
  const pageSize = opts.pageSize ?? client.pageSize;
  const batchSize = opts.batchSize ?? pageSize;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new ServiceError('Audiobookshelf', `page size must be a positive integer (got ${pageSize})`, { code: 'config' });
  const warnings: string[] = [];
  const targets = pickLibraries(await client.listLibraries(), opts.libraryIds, warnings);

  const books: Book[] = [];
  const missing: MissingBook[] = [];
  const read: ReadLibraryResult['libraries'] = [];
  let listedBefore = 0;
  let totalBefore = 0;
  for (const lib of targets) {
    const ids = await listIds(client, lib, pageSize, opts, (n, total) => opts.onProgress?.(listedBefore + n, totalBefore + total));
    read.push({ id: lib.id, name: lib.name, total: ids.length });
    listedBefore += ids.length;
    totalBefore += ids.length;
    for (let i = 0; i < ids.length; i += batchSize) {
      checkAborted(opts.signal);
      const chunk = ids.slice(i, i + batchSize);
      const items = await client.batchGetItems(chunk);
      const gone: MissingBook[] = [];
      books.push(...toBooks(chunk, items, lib, warnings, gone));
      if (opts.keepMissing) books.push(...gone.map((m) => m.book));
      missing.push(...gone);
    }
  }
  if (missing.length) warnings.push(missingWarning(missing, !!opts.keepMissing));
  return { books, missing, warnings, libraries: read };
}

function pickLibraries(all: AbsLibrary[], wanted: string[] | 'all', warnings: string[]): AbsLibrary[] {
  const chosen = wanted === 'all' ? all : wanted.map((id) => {
    const lib = all.find((l) => l.id === id);
    if (!lib) throw new ServiceError('Audiobookshelf', `library ${id} not found (the key sees: ${all.map((l) => l.name).join(', ') || 'none'})`, { code: 'not-found' });
    return lib;
  });
  return chosen.filter((lib) => {
    if (lib.mediaType === 'book') return true;
    warnings.push(`skipped library "${lib.name}": it holds ${lib.mediaType}s, not books`);
    return false;
  });
}

/**
 * Pages through one library's list; returns ids in list order, each once. When the reported
 * total changes mid-way (books added or deleted while we read), or the pages hold fewer
 * distinct ids than the total, a book could have slipped between two pages: start over, at
 * most MAX_RESTARTS times.
 */
async function listIds(client: AbsClient, lib: AbsLibrary, pageSize: number, opts: ReadLibraryOptions, progress: (n: number, total: number) => void): Promise<string[]> {
  for (let attempt = 0; attempt <= MAX_RESTARTS; attempt++) {
    const seen = new Set<string>();
    let firstTotal: number | undefined;
    let changed = false;
    for (let page = 0; ; page++) {
      checkAborted(opts.signal);
      const res = await client.listItems(lib.id, { limit: pageSize, page, sort: PAGE_SORT });
      firstTotal ??= res.total;
      if (res.total !== firstTotal) { changed = true; break; }
      // De-duplicate anyway: a book inserted ahead of the read position repeats one id.
      for (const item of res.results) seen.add(item.id);
      progress(seen.size, Math.max(res.total, seen.size));
      if (res.results.length < pageSize || (page + 1) * pageSize >= res.total) break;
    }
    // Fewer ids than the reported total: a book slipped between two pages (ties in the sort
    // ordered differently between requests). A book missing here would look like a gap and
    // could be downloaded again, so read again rather than return a short list.
    if (!changed && seen.size >= (firstTotal ?? 0)) return [...seen];
  }
  throw new ServiceError('Audiobookshelf', `library "${lib.name}" kept changing while it was read (the pages did not add up to the reported total); try again later`, { transient: true, code: 'changing' });
}

const MAX_RESTARTS = 2;

function toBooks(ids: string[], items: AbsRawItem[], lib: AbsLibrary, warnings: string[], missing: MissingBook[]): Book[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  const out: Book[] = [];
  for (const id of ids) {
    const item = byId.get(id);
    if (!item) {
      warnings.push(`item ${id} in "${lib.name}" disappeared while reading (deleted?); left out`);
      continue;
    }
    const mediaType = (item as { mediaType?: unknown }).mediaType;
    if (mediaType !== undefined && mediaType !== 'book') {
      warnings.push(`item ${id} in "${lib.name}" is a ${String(mediaType)}, not a book; left out`);
      continue;
    }
    const gone = missingBook(item);
    if (gone) missing.push(gone);
    else out.push(toBook(item));
  }
  return out;
}

function checkAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ServiceError('Audiobookshelf', 'reading the library was stopped', { code: 'aborted' });
}
