// Is this edition the one wanted: unabridged, read (not dramatised), in a wanted language?
// Languages are judged as languages, not words: "Translation" in the title of an English
// edition of a Russian novel is what an English-only user wants; "(German Edition)" is not. Pure.
import { normaliseLanguage } from '../identity/language';
import type { MamTorrent } from './rows';
import { adaptationMarkers, titleLanguage } from './markers';

export interface EditionOptions {
  allowAbridged: boolean;
  allowDramatised: boolean;
  allowTranslation: boolean;
  /** MAM lang_code values accepted ("ENG"). */
  languages: string[];
}

export interface EditionVerdict {
  no: string[];
  /** Adaptation markers; rank.ts decides with the length evidence (an unabridged full-cast
   *  reading of the right length is the book). */
  adaptation: string[];
  castOnly: boolean;
  abridged: boolean;
  /** The edition's language: what the title says, else MAM's lang_code. */
  language?: string;
}

export function judgeEdition(gapTitle: string, t: MamTorrent, opts: EditionOptions): EditionVerdict {
  const no: string[] = [];
  const abridged = /(?<!un)abridged\b/i.test(`${t.title} ${t.tags}`) && !/\bunabridged\b/i.test(t.title);
  if (!opts.allowAbridged && abridged) no.push('abridged edition (not allowed)');
  const { markers: adaptation, castOnly } = adaptationMarkers(t.title, t.tags, t.narrators, gapTitle);
  const said = titleLanguage(t.title, gapTitle);
  const wanted = opts.languages.map((l) => normaliseLanguage(l));
  if (!opts.allowTranslation && said?.language && !wanted.includes(said.language)) {
    no.push(`another-language edition or translation (not allowed): the title says "${said.words}" (${said.language}), not ${opts.languages.join('/')}`);
  }
  const language = said?.language || normaliseLanguage(t.language);
  return { no, adaptation, castOnly, abridged, ...(language ? { language } : {}) };
}
