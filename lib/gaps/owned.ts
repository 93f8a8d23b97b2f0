// "Do we already own this book?" under any series name or none: by ASIN, then ISBN, then
// normalised title + author. A book listed by a provider that matches here is never a gap,
// nor is one inside an owned omnibus ("The Expanse: Books 1-3", "Leviathan Wakes / Caliban's
// War / Abaddon's Gate") even when the omnibus carries no series tag.
import type { Book } from '../types';
import type { ProviderBook } from '../metadata/provider';
import { normaliseAsin, normaliseIsbn } from '../identity/codes';
import { authorsMatch } from '../identity/names';
import { normaliseTitle } from '../identity/text';
import { parseSequence } from '../identity/sequence';


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

/** Same book by ASIN, or by title (whole title or the part before a colon on one side). */
export function sameBook(a: { asin?: string; title?: string }, b: { asin?: string; title?: string }): boolean {
  const asinA = normaliseAsin(a.asin);
  if (asinA && asinA === normaliseAsin(b.asin)) return true;
  const keysB = titleKeys(b.title);
  return titleKeys(a.title).some((ka) => keysB.some((kb) => ka.key === kb.key && (ka.full || kb.full)));
}

/** Words that make an owned title a collection of several books. */
const OMNIBUS_RE = /\b(?:omnibus|box(?:ed)?[\s-]*set|collection|trilogy|duology|quartet|books?\s*\d+\s*(?:-|–|—|&|,|and|to)\s*\d+)\b|\s\/\s|;/i;
/** "Books 1-3", "Volumes 1 & 2", "#1-3" in a title. */
const TITLE_RANGE_RE = /(?:\bbooks?|\bvol(?:ume)?s?\.?|#)\s*(\d+(?:\s*(?:-|–|—|&|,|and|to|through)\s*\d+)+)/i;

interface Omnibus { book: Book; padded: string; positions: number[] }

export class OwnedIndex {
  private readonly asins = new Set<string>();
  private readonly isbns = new Set<string>();
  private readonly titles = new Map<string, { book: Book; full: boolean }[]>();
  private readonly omnibuses: Omnibus[] = [];

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
      if (book.title && OMNIBUS_RE.test(book.title)) {
        const range = TITLE_RANGE_RE.exec(book.title);
        const seq = range ? parseSequence(range[1]) : undefined;
        const positions = seq && (seq.kind === 'range' || seq.kind === 'list') ? seq.positions : [];
        this.omnibuses.push({ book, padded: ` ${normaliseTitle(book.title)} `, positions });
      }
    }
  }

  /**
   * Positions of series `nameKey` covered by an owned omnibus whose title names the series
   * and its range ("The Expanse: Books 1-3"), other than the series' own members.
   */
  omnibusPositions(nameKey: string, authors: string[], members: Book[]): Set<number> {
    const out = new Set<number>();
    for (const o of this.omnibuses) {
      if (!o.padded.includes(` ${nameKey} `) || members.includes(o.book)) continue;
      if (o.book.authors.length > 0 && !authorsMatch(o.book.authors, authors)) continue;
      o.positions.forEach((p) => out.add(p));
    }
    return out;
  }

  /** How the library already has the book, or undefined when it does not. */
  match(book: ProviderBook): string | undefined {
    const asin = normaliseAsin(book.asin);
    if (asin && this.asins.has(asin)) return `ASIN ${asin}`;
    const isbn = normaliseIsbn(book.isbn);
    if (isbn && this.isbns.has(isbn)) return `ISBN ${isbn}`;
    for (const { key, full } of titleKeys(book.title)) {
      // An unknown author on either side cannot tell two books apart: the same whole title is
      // then enough, since downloading a book the library has is the costlier mistake.
      const owned = this.titles.get(key)?.find((e) => (full || e.full) && (authorsMatch(e.book.authors, book.authors)
        || (full && e.full && (e.book.authors.length === 0 || book.authors.length === 0))));
      if (owned) return `title "${owned.book.title}"`;
    }
    const whole = book.title ? normaliseTitle(book.title) : '';
    // One-word titles ("Dune") are too common to look for inside another title.
    if (whole.includes(' ')) {
      const omnibus = this.omnibuses.find((o) => o.padded.includes(` ${whole} `) && (o.book.authors.length === 0 || authorsMatch(o.book.authors, book.authors)));
      if (omnibus) return `omnibus "${omnibus.book.title}"`;
    }
    return undefined;
  }
}
