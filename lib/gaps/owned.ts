// "Do we already own this book?" under any series name or none: by ASIN, then ISBN, then
// normalised title + author. A book listed by a provider that matches here is never a gap.
import type { Book } from '../types';
import type { ProviderBook } from '../metadata/provider';
import { authorsMatch, normaliseTitle } from './normalise';

export function normaliseAsin(asin: string | undefined): string | undefined {
  const clean = asin?.trim().toUpperCase();
  return clean ? clean : undefined;
}

export function normaliseIsbn(isbn: string | undefined): string | undefined {
  const clean = isbn?.replace(/[^0-9Xx]/g, '').toUpperCase();
  return clean && (clean.length === 10 || clean.length === 13) ? clean : undefined;
}

interface TitleKey { key: string; full: boolean }

/**
 * Keys for a title: the whole title, and the part before a colon ("Leviathan Wakes: The
 * Expanse 1" → "leviathan wakes"). Two heads alone never match: "Mistborn: The Final Empire"
 * is not "Mistborn: The Well of Ascension".
 */
function titleKeys(title: string | undefined): TitleKey[] {
  if (!title) return [];
  const full = normaliseTitle(title);
  const keys: TitleKey[] = full ? [{ key: full, full: true }] : [];
  const head = normaliseTitle(title.split(/[:(]/)[0]);
  if (head.length >= 3 && head !== full) keys.push({ key: head, full: false });
  return keys;
}

export class OwnedIndex {
  private readonly asins = new Set<string>();
  private readonly isbns = new Set<string>();
  private readonly titles = new Map<string, { book: Book; full: boolean }[]>();

  constructor(books: Book[]) {
    for (const book of books) {
      const asin = normaliseAsin(book.asin);
      if (asin) this.asins.add(asin);
      const isbn = normaliseIsbn(book.isbn);
      if (isbn) this.isbns.add(isbn);
      for (const { key, full } of titleKeys(book.title)) {
        const list = this.titles.get(key) ?? [];
        list.push({ book, full });
        this.titles.set(key, list);
      }
    }
  }

  hasAsin(asin: string | undefined): boolean {
    const a = normaliseAsin(asin);
    return a !== undefined && this.asins.has(a);
  }

  /** How the library already has the book, or undefined when it does not. */
  match(book: ProviderBook): string | undefined {
    const asin = normaliseAsin(book.asin);
    if (asin && this.asins.has(asin)) return `ASIN ${asin}`;
    const isbn = normaliseIsbn(book.isbn);
    if (isbn && this.isbns.has(isbn)) return `ISBN ${isbn}`;
    if (book.authors.length === 0) return undefined;
    for (const { key, full } of titleKeys(book.title)) {
      const owned = this.titles.get(key)?.find((e) => (full || e.full) && authorsMatch(e.book.authors, book.authors));
      if (owned) return `title "${owned.book.title}"`;
    }
    return undefined;
  }
}
