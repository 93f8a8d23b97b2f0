// Matching keys for series names and titles. The original text is always kept for display;
// these keys only decide whether two spellings mean the same thing ("The Expanse" =
// "Expanse Series", "Nineteen Eighty-Four" = "1984"). The bottom of lib/: imports nothing.
import { numberTokens } from './numbers';

const ARTICLE_RE = /^(?:the|a|an)\s+|\s+the$/g;
/** Letters NFKD does not decompose. */
const LIGATURES: Record<string, string> = { æ: 'ae', œ: 'oe', ß: 'ss', ø: 'o', ł: 'l', đ: 'd', þ: 'th', ð: 'd' };
const SERIES_SUFFIX_RE = /\s+(?:series|saga|trilogy)$/;
const EDITION_RE = /\s*[([](?:unabridged|abridged)[)\]]\s*/gi;

/** Lower case, no diacritics (library-sorted "Expanse, The" loses its article too), "&" → "and", apostrophes dropped, other punctuation → space. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[æœßøłđþð]/g, (c) => LIGATURES[c])
    .replace(/&/g, ' and ')
    .replace(/['’‘`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function normaliseTitle(title: string): string {
  return foldText(title.replace(EDITION_RE, ' ')).replace(ARTICLE_RE, '');
}

export function normaliseSeriesName(name: string): string {
  // "The Expanse Series" → "expanse"; a series literally called "Saga" keeps its name: the
  // suffix needs a word before it (the folded key never starts with a space).
  return foldText(name).replace(ARTICLE_RE, '').replace(SERIES_SUFFIX_RE, '');
}

/** Stricter than normaliseSeriesName (which keys gaps and must not change): "Saga" and
 *  "Trilogy" stay, because "The Witcher Saga" numbers its books differently from "The Witcher". */
export function strictSeriesName(name: string): string {
  return foldText(name).replace(ARTICLE_RE, '').replace(/\s+series$/, '');
}

/** A title's words for comparison: folded, numbers in digits ("Eighty-Four" → "84", "II" → "2",
 *  "07" → "7"), so spellings of the same number agree. */
export function titleTokens(text: string): string[] {
  // "20,000 Leagues": a thousands separator is not a word break.
  const joined = text.replace(/(\d)[,.](\d{3})\b/g, '$1$2');
  return numberTokens(normaliseTitle(joined).split(' ').filter(Boolean)).map((t) => t.replace(/^0+(?=\d)/, ''));
}
