// The tags a release title carries besides author, series and title: year, format, bitrate,
// edition (abridged / unabridged, dramatised) and language, in brackets or loose ("(2019)
// [m4b]", "64kbps", "AUDIOBOOK-WEB-EN-2019-GROUP"). title-parse.ts strips what is read here
// and parses the rest. Pure.
import { normaliseLanguage } from '../identity/language';

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
const BITRATE_RE = /\b(\d{2,3})\s?(?:kbps|kbs|kbit\/s|kb\/s|k)\b/i;
const YEAR_RE = /^(?:19|20)\d{2}$/;
const DRAMA_RE = /\b(?:dramati[sz](?:ed|ation)|full[\s.-]?cast|radio\s+(?:play|drama)|bbc\s+radio|audio\s+drama)\b/i;
const LANGS = 'english|german|deutsch|french|francais|spanish|espanol|italian|italiano|dutch|nederlands|russian|polish|japanese|portuguese|swedish|danish|norwegian|finnish|chinese';
const LANG_WORD_RE = new RegExp(`^(?:${LANGS})(?:\\s+(?:edition|version|audiobook|language))?$`, 'i');
const LANG_LOOSE_RE = new RegExp(`\\b(${LANGS})\\s+(?:edition|version|audiobook)\\b`, 'i');
/** Scene language codes between dashes: "-AUDIOBOOK-WEB-DE-2019-". */
const SCENE_LANG: Record<string, string> = { EN: 'english', DE: 'german', FR: 'french', ES: 'spanish', IT: 'italian', NL: 'dutch', PL: 'polish', SV: 'swedish', RU: 'russian' };
const NOISE_RE = /^(?:audiobook|audio\s*book|audio|retail|web|ebook|complete|\d+(?:\.\d+)?\s?(?:gb|mb|hrs?|hours?)|\d+\s?files?|mp3\s?cd|cbr|vbr|stereo|mono|\d+(?:\.\d+)?\s?khz|44\.1khz)$/i;

/** Reads tags from a string and returns it with every tag removed. */
export function readTags(raw: string): { text: string; tags: ReleaseTags } {
  const tags: ReleaseTags = { dramatised: false, narrators: [], rest: [] };
  let text = raw;
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
  take(/\b(un)?abridged\b/i, (m) => { tags.unabridged = !!m[1]; });
  take(DRAMA_RE, () => { tags.dramatised = true; });
  take(BITRATE_RE, (m) => { tags.bitrateKbps = Number(m[1]); });
  take(FORMAT_RE, (m) => { tags.format = m[1].toLowerCase() as AudioFormat; });
  take(/\b(?:narrated|read)\s+by\s+([^,;]+)$/i, (m) => { tags.narrators.push(m[1].trim()); });
  take(LANG_LOOSE_RE, (m) => { tags.language = normaliseLanguage(m[1]); });
  if (whole) {
    const t = text.replace(/[\s,;/|+]+/g, ' ').trim();
    if (YEAR_RE.test(t)) { tags.year = Number(t); return ''; }
    if (LANG_WORD_RE.test(t)) { tags.language = normaliseLanguage(t.split(' ')[0]); return ''; }
    // Whatever is left of a bracket is kept only when it is more than noise.
    return t.split(' ').every((w) => !w || NOISE_RE.test(w)) ? '' : t;
  }
  // Loose: a trailing year, scene tags after the title.
  text = text.replace(/-(AUDIOBOOK|ABOOK)(?:-[A-Z0-9]+)*\s*$/i, (m) => {
    for (const part of m.split('-')) {
      if (YEAR_RE.test(part)) tags.year = Number(part);
      else if (SCENE_LANG[part]) tags.language ??= SCENE_LANG[part];
    }
    return ' ';
  });
  take(/\s((?:19|20)\d{2})\s*$/, (m) => { tags.year = Number(m[1]); });
  return text.replace(/\s+/g, ' ').trim();
}
