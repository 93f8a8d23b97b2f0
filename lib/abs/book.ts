// Maps one expanded ABS item to the Book contract (lib/types.ts). Items are checked one by
// one so an error names the item and the field, e.g.
// 'Audiobookshelf: item 3f2… ("Dune") has no valid "media.metadata.authors" (expected array…)'.
import { ServiceError } from '../errors';
import type { Book } from '../types';
import { bookItemSchema, type AbsRawItem } from './schemas';

export function toBook(raw: AbsRawItem): Book {
  const parsed = bookItemSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || '(item)';
    throw new ServiceError('Audiobookshelf', `item ${raw.id}${titleOf(raw)} has no valid "${field}" (${issue.message})`, { code: 'malformed' });
  }
  const item = parsed.data;
  const m = item.media.metadata;
  const book: Book = {
    id: item.id,
    libraryId: item.libraryId,
    title: m.title,
    authors: m.authors.map((a) => a.name),
    narrators: m.narrators,
    // Sequences stay the strings ABS holds ("1.5", "1-3", ""); null when unset.
    series: m.series.map((s) => ({ name: s.name, sequence: s.sequence ?? null })),
    path: item.path,
    addedAt: item.addedAt,
  };
  if (m.subtitle) book.subtitle = m.subtitle;
  if (m.asin) book.asin = m.asin;
  if (m.isbn) book.isbn = m.isbn;
  if (m.language) book.language = m.language;
  const year = typeof m.publishedYear === 'number' ? m.publishedYear : parseInt(m.publishedYear ?? '', 10);
  if (Number.isInteger(year) && year > 0) book.publishedYear = year;
  if (item.media.duration && item.media.duration > 0) book.durationSec = item.media.duration;
  return book;
}

function titleOf(raw: AbsRawItem): string {
  const title = (raw as { media?: { metadata?: { title?: unknown } } }).media?.metadata?.title;
  return typeof title === 'string' && title ? ` ("${title}")` : '';
}
