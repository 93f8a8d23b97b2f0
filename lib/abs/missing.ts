// Books whose files are gone. ABS keeps an item whose folder or audio files were deleted, with
// isMissing (or isInvalid when nothing playable is left) until someone removes it; such a book
// is not owned. The reader leaves it out of Book[] (unless asked to keep it) and names it once;
// series-gaps then says why its gap came back.
import { authorsMatch } from '../identity/names';
import { normaliseSeriesName, normaliseTitle } from '../identity/text';
import { parseSequence, sequencesOverlap } from '../identity/sequence';
import type { Book, Gap } from '../types';
import { toBook } from './book';
import type { AbsRawItem } from './schemas';

export const MISSING_REASON = 'files missing in Audiobookshelf';

export interface MissingBook {
  book: Book;
  /** Which ABS flag: "missing" (files gone) or "invalid" (nothing playable). */
  flag: 'missing' | 'invalid';
}

/** The item as a MissingBook when ABS flags it, else undefined. Never throws for a flagged item. */
export function missingBook(raw: AbsRawItem): MissingBook | undefined {
  const r = raw as { isMissing?: unknown; isInvalid?: unknown; libraryId?: unknown; path?: unknown; addedAt?: unknown; media?: { metadata?: { title?: unknown } } };
  if (r.isMissing !== true && r.isInvalid !== true) return undefined;
  const flag = r.isMissing === true ? 'missing' : 'invalid';
  try {
    return { book: toBook(raw), flag };
  } catch {
    // A flagged item may lack what a book needs; what is left still names it.
    const title = typeof r.media?.metadata?.title === 'string' ? r.media.metadata.title : raw.id;
    const book: Book = { id: raw.id, libraryId: String(r.libraryId ?? ''), title, authors: [], narrators: [], series: [], path: String(r.path ?? ''), addedAt: Number(r.addedAt ?? 0) };
    return { book, flag };
  }
}

/** One warning for all of them: `left out 2 books whose files are missing in Audiobookshelf: "A" (/p), …`. */
export function missingWarning(missing: MissingBook[], kept: boolean): string {
  const shown = missing.slice(0, 10).map((m) => `"${m.book.title}" (${m.book.path}${m.flag === 'invalid' ? ', invalid' : ''})`);
  const more = missing.length > shown.length ? `, and ${missing.length - shown.length} more` : '';
  const n = `${missing.length} ${missing.length === 1 ? 'book' : 'books'}`;
  return kept
    ? `kept ${n} whose files are missing in Audiobookshelf, as set: ${shown.join(', ')}${more}`
    : `left out ${n} whose files are missing in Audiobookshelf (not owned; their gaps come back): ${shown.join(', ')}${more}`;
}

function fills(book: Book, gap: Gap): boolean {
  if (gap.asin && book.asin && gap.asin.toUpperCase() === book.asin.toUpperCase()) return true;
  const sameAuthor = !gap.authors.length || !book.authors.length || authorsMatch(book.authors, gap.authors);
  if (!sameAuthor) return false;
  if (gap.kind === 'series' && gap.series && gap.sequence) {
    const name = normaliseSeriesName(gap.series);
    const wanted = parseSequence(gap.sequence);
    if (book.series.some((s) => normaliseSeriesName(s.name) === name && sequencesOverlap(parseSequence(s.sequence), wanted))) return true;
  }
  return !!gap.title && normaliseTitle(gap.title) === normaliseTitle(book.title);
}

/**
 * Gives each gap that a missing book would fill the reason "files missing in Audiobookshelf"
 * (the analysis' own reason moves into `reasons`). `missing` is msg.missingBooks from
 * abs-library, so entries of another shape are ignored. Returns how many gaps it explained.
 */
export function explainMissing(gaps: Gap[], given: unknown[]): number {
  const missing = given.filter((m): m is MissingBook => !!(m as MissingBook)?.book && Array.isArray((m as MissingBook).book.series) && Array.isArray((m as MissingBook).book.authors));
  let n = 0;
  for (const gap of gaps) {
    const hit = missing.find((m) => fills(m.book, gap));
    if (!hit) continue;
    gap.reasons = [`library: "${hit.book.title}" is flagged ${hit.flag} by Audiobookshelf (${hit.book.path})`, gap.reason, ...(gap.reasons ?? [])];
    gap.reason = MISSING_REASON;
    n++;
  }
  return n;
}
