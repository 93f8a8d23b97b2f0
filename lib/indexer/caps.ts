// Reading an indexer's capabilities before searching it: which categories to ask for (some
// Jackett indexers answer HTTP 400 to an audiobook category they do not list) and whether it
// has book-search with author and title or takes only free text. Pure.
import type { IndexerCaps, IndexerQuery } from './types';

/** Newznab/Torznab standard categories: 3030 Audio/Audiobook; 3000 Audio; 7000 Books; 7020 Books/EBook. */
export const AUDIOBOOK = 3030;
export const AUDIO = 3000;

/**
 * The categories to send: the audiobook category when listed, else the audio parent when
 * listed, else none (an indexer without them is searched unfiltered; the ranking's category
 * check still rejects what is not an audiobook).
 */
export function searchCategories(caps: IndexerCaps): number[] {
  if (caps.categories.includes(AUDIOBOOK)) return [AUDIOBOOK];
  if (caps.categories.includes(AUDIO)) return [AUDIO];
  return [];
}

/** The query for one book: book-search with author + title where the indexer has it, else q=. */
export function bookQuery(caps: IndexerCaps, want: { title: string; author?: string }, page: { offset: number; limit: number }): IndexerQuery {
  const categories = searchCategories(caps);
  const limit = Math.min(page.limit, caps.limitMax);
  const surname = want.author?.trim().split(/\s+/).pop();
  if (caps.bookParams.includes('title') && (caps.bookParams.includes('author') || !want.author)) {
    return { mode: 'book', title: want.title, ...(want.author && caps.bookParams.includes('author') ? { author: want.author } : {}), categories, offset: page.offset, limit };
  }
  // Free text: the title and the author's surname (initials and spellings of given names vary).
  return { mode: 'search', q: [want.title, surname].filter(Boolean).join(' '), categories, offset: page.offset, limit };
}
