// The tags a release title carries besides author, series and title: year, format, bitrate,
// edition (abridged / unabridged, dramatised) and language, in brackets or loose ("(2019)
// [m4b]", "64kbps", "AUDIOBOOK-WEB-EN-2019-GROUP"). title-parse.ts strips what is read here
// and parses the rest. Pure.
import { isLanguageName, normaliseLanguage } from '../identity/language';

export type AudioFormat = 'm4b' | 'm4a' | 'mp3' | 'flac' | 'ogg' | 'opus' | 'aac' | 'wma';

export interface ReleaseTags {
  year?: number;
  format?: AudioFormat;
  bitrateKbps?: number;
  /** true "Unabridged", false "Abridged", undefined when the title does not say. */
  unabridged?: boolean;
  dramatised: boolean;
  /** The language the title states, normalised ("english", "german"). */
  language?: string;
  narrators: string[];
  /** Bracketed text that is none of the above ("Series #3", "Book 2"): title-parse reads it. */
  rest: string[];
}

const FORMAT_RE = /\b(m4b|m4a|mp3|flac|ogg|opus|aac|wma)\b/i;
const BITRATE_RE = /\b(\d{2,3})\s?(?:kbps|kbs|kbit\/s|kb\/s|k)\b|(?<=\b(?:mp3|m4b|m4a|aac)\s?@\s?)(\d{2,3})\b/i;
const YEAR_RE = /^(?:19|20)\d{2}$/;
const DRAMA_RE = /\b(?:dramati[sz](?:ed|ation)|full[\s.-]?cast|radio\s+(?:play|drama)|bbc\s+radio|audio\s+drama|graphic\s?audio)\b/gi;
/** "Unabridged"/"Abridged", and the German scene words "Ungekuerzt"/"Gekürzt". */
const ABRIDGED_RE = /\b(un)?(?:abridged|gek(?:ue|ü)rzt)\b/i;
/** Sizes and container words loose in a title ("1.21 GB", "Audiobook", "VBR"): never part of the book's title. */
const LOOSE_NOISE_RE = /\b\d+(?:[.,]\d+)?\s?(?:gb|mb|gib|mib)\b|\b(?:audiobook|h(?:ö|oe)rbuch|vbr|cbr)\b/gi;
/** A range of books loose in a title ("Books 1-3"): a bundle, kept for the ranking's markers. */
const BOOK_RANGE_RE = /\b(books?\s+\d{1,3}\s?[-–]\s?\d{1,3})\b/i;
/** A field that is only a year or a narrator, between " - " separators ("Title - Author - Narr. X - 2018"). */
const SEP = '\\s[-–—|]\\s';
const YEAR_FIELD_RE = new RegExp(`(?:^|${SEP})((?:19|20)\\d{2})(?=${SEP}|\\s*$)`);
const NARRATOR_FIELD_RE = new RegExp(`(?:^|${SEP}|\\s)(?:narr(?:\\.|ated\\s+by)|read\\s+by|narrator:?)\\s+([^-–—|,;]+?)(?=${SEP}|\\s*$)`, 'i');
const LANGS = 'english|german|deutsch|french|francais|spanish|espanol|italian|italiano|dutch|nederlands|russian|polish|japanese|portuguese|swedish|danish|norwegian|finnish|chinese';
const LANG_WORD_RE = new RegExp(`^(?:${LANGS})(?:\\s+(?:edition|version|audiobook|language))?$`, 'i');
const LANG_LOOSE_RE = new RegExp(`\\b(${LANGS})\\s+(?:edition|version|audiobook)\\b`, 'i');
const NOISE_RE = /^(?:audiobook|audio\s*book|audio|retail|web|ebook|complete|\d+cd|\d{10,13}|vip|\d+(?:\.\d+)?\s?(?:gb|mb|hrs?|hours?)|\d+\s?files?|mp3\s?cd|cbr|vbr|stereo|mono|\d+(?:\.\d+)?\s?khz|44\.1khz)$/i;

const ROLE_RE = /,\s*((?:\p{Lu}[\p{L}.'’-]*\s*){1,4})\s*\((narrator|reader|read by|translator|foreword|introduction|editor)\)/giu;

/** Reads tags from a string and returns it with every tag removed. */
export function readTags(raw: string): { text: string; tags: ReleaseTags } {
  const tags: ReleaseTags = { dramatised: false, narrators: [], rest: [] };
  // A name marked with its role, not the author's ("by Frank Herbert, Simon Vance (Narrator)").
  let text = raw.replace(ROLE_RE, (_m, name: string, role: string) => {
    if (/^narr|^read/i.test(role)) tags.narrators.push(name.trim());
    return ' ';
  });
  // Bracketed groups: each is one tag, a list of tags ("[MP3 64kbps]") or something else.
  text = text.replace(/[([{]([^()[\]{}]*)[)\]}]/g, (_m, inner: string) => {
    const left = readLoose(inner, tags, true);
    if (left) tags.rest.push(left);
    return ' ';
  });
  text = readLoose(text, tags, false);
  return { text: text.replace(/\s+/g, ' ').trim(), tags };
}

/** Takes the tags out of a piece of text; `whole`: the piece is a bracket's content. */
function readLoose(input: string, tags: ReleaseTags, whole: boolean): string {
  let text = ` ${input} `;
  const take = (re: RegExp, fn: (m: RegExpExecArray) => void) => {
    const m = re.exec(text);
    if (m) { fn(m); text = text.replace(m[0], ' '); }
  };
  take(ABRIDGED_RE, (m) => { tags.unabridged = !!m[1]; });
  if (DRAMA_RE.test(text)) { tags.dramatised = true; text = text.replace(DRAMA_RE, ' '); }
  take(BITRATE_RE, (m) => { tags.bitrateKbps = Number(m[1] ?? m[2]); });
  take(FORMAT_RE, (m) => { tags.format = m[1].toLowerCase() as AudioFormat; });
  take(/\b(?:narrated|read)\s+by\s+((?:(?!\s[-–—|]\s)[^,;])+)$/i, (m) => { tags.narrators.push(m[1].trim()); });
  take(LANG_LOOSE_RE, (m) => { tags.language = normaliseLanguage(m[1]); });
  if (whole) return readBracketRest(text, tags);
  take(NARRATOR_FIELD_RE, (m) => { tags.narrators.push(m[1].trim()); });
  take(BOOK_RANGE_RE, (m) => { tags.rest.push(m[1]); });
  text = dropDanglingSeparators(text.replace(LOOSE_NOISE_RE, ' '));
  // A year field, unless it is all the title there is ("George Orwell - 1984").
  const fields = text.split(new RegExp(SEP)).length;
  if (fields >= 3) take(YEAR_FIELD_RE, (m) => { tags.year = Number(m[1]); });
  text = dropDanglingSeparators(text);
  // Loose: a trailing year (scene tags were made brackets by title-parse's unScene).
  take(/(?<![-–—|])\s((?:19|20)\d{2})\s*$/, (m) => { tags.year ??= Number(m[1]); });
  return dropDanglingSeparators(text);
}

/**
 * What is left of a bracket after the tags: a year or a language alone, or as one item of a
 * list ("[Narrator, 2005, 128 kbps, MP3]", "[ENG / M4B]"); the rest is kept unless it is noise.
 */
function readBracketRest(text: string, tags: ReleaseTags): string {
  const items = text.split(/\s*[,;/|+]\s*/).map((i) => i.trim()).filter(Boolean);
  const left = items.filter((item) => {
    if (YEAR_RE.test(item)) { tags.year = Number(item); return false; }
    // A language named in words, or as a code in capitals ("[ENG]", "[FR]"; "[it]" may be a word).
    if (LANG_WORD_RE.test(item) || (isLanguageName(item) && (item.length > 3 || /^[A-Z]{2,3}$/.test(item)))) {
      tags.language = normaliseLanguage(item.split(' ')[0]);
      return false;
    }
    // An item of nothing but noise ("Audiobook", "6CD") goes; the others are kept.
    return !item.split(/\s+/).every((w) => NOISE_RE.test(w));
  });
  // A year closing a list of words: "(Audible Studios 2012)".
  return left.join(', ').replace(/\s((?:19|20)\d{2})$/, (_m, y: string) => { tags.year ??= Number(y); return ''; }).trim();
}

/** Removing tags can leave " - - " or a separator at either end. */
function dropDanglingSeparators(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/(?:\s[-–—|])+(?=\s[-–—|]\s)/g, '').replace(/^(?:\s*[-–—|]\s)+|(?:\s[-–—|]\s*)+$/g, '').trim();
}
