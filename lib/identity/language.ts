// Which language a book or series is wanted in. Audible lists every edition of a series, translations
// included (a German edition at the same position as the English one): a gap or a title taken
// from the wrong one is a wrong download. ABS stores free text ("English", "eng", "en", "en-US",
// "Deutsch"), Audible writes "english", "german": both become one key, the English name in
// lower case.
import type { Book } from '../types';

const NAMES: Record<string, string[]> = {
  english: ['en', 'eng', 'englisch', 'anglais', 'ingles', 'inglese'],
  german: ['de', 'deu', 'ger', 'deutsch', 'allemand', 'aleman', 'tedesco'],
  french: ['fr', 'fra', 'fre', 'francais', 'franzosisch', 'frances', 'francese'],
  spanish: ['es', 'spa', 'espanol', 'castellano', 'spanisch', 'espagnol', 'spagnolo'],
  italian: ['it', 'ita', 'italiano', 'italienisch', 'italien'],
  portuguese: ['pt', 'por', 'portugues', 'portugiesisch'],
  dutch: ['nl', 'nld', 'dut', 'nederlands', 'niederlandisch'],
  swedish: ['sv', 'swe', 'svenska'],
  danish: ['da', 'dan', 'dansk'],
  norwegian: ['no', 'nor', 'nb', 'nob', 'norsk'],
  finnish: ['fi', 'fin', 'suomi'],
  polish: ['pl', 'pol', 'polski'],
  russian: ['ru', 'rus', 'russkij'],
  japanese: ['ja', 'jpn', 'nihongo'],
  chinese: ['zh', 'zho', 'chi', 'mandarin'],
  hindi: ['hi', 'hin'],
};
const ALIASES = new Map<string, string>(Object.entries(NAMES).flatMap(([name, aliases]) => [[name, name], ...aliases.map((a): [string, string] => [a, name])]));

/** "English", "eng", "en", "en-US", "English (US)" → "english"; unknown names lower-cased; empty → undefined. */
export function normaliseLanguage(text: string | null | undefined): string | undefined {
  const clean = (text ?? '').normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().trim();
  if (!clean) return undefined;
  const head = clean.split(/[\s_\-(),;/]+/)[0];
  return ALIASES.get(clean) ?? ALIASES.get(head) ?? clean;
}

/** True when the text is a language's name or code this module knows ("ENG", "Deutsch", "fr"). */
export function isLanguageName(text: string): boolean {
  return ALIASES.has(text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().trim());
}

/** The language most of these books are in; `fallback` (the user's setting) when none says. */
export function booksLanguage(books: Pick<Book, 'language'>[], fallback?: string): string | undefined {
  const counts = new Map<string, number>();
  for (const b of books) {
    const lang = normaliseLanguage(b.language);
    if (lang) counts.set(lang, (counts.get(lang) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0];
  return best?.[0] ?? normaliseLanguage(fallback);
}

/** False only when both languages are known and differ: an edition without one is kept. */
export function inLanguage(language: string | null | undefined, wanted: string | undefined): boolean {
  const lang = normaliseLanguage(language);
  return !lang || !wanted || lang === wanted;
}
