// The ONE release-title parser for indexer results. Torznab and Prowlarr give a title (and
// sometimes torznab:attr author / booktitle); everything the ranking needs beyond that is
// read here: "Author - Series 03 - Title (2019) [m4b]", "Title by Author (Unabridged)
// 64kbps", "Series, Book 3: Title", "Title (Series #3)", scene names
// ("Brandon_Sanderson-The_Final_Empire-AUDIOBOOK-WEB-EN-2006-GROUP"). What the title does
// not say stays undefined: the ranking treats an unknown as unknown, never as a match.
// Positions go through the one sequence parser (lib/identity/sequence). Pure.
import { parseSequence } from '../identity/sequence';
import { readTags, type ReleaseTags } from './title-tags';

/** The tags (year, format, bitrate, edition, language, narrators) as readTags read them, and what the rest of the title says. */
export interface ParsedRelease extends Omit<ReleaseTags, 'rest'> {
  authors: string[];
  /** Where the authors came from: the indexer's own field, the title, or nowhere. */
  authorFrom: 'indexer' | 'title' | 'none';
  title: string;
  series?: { name: string; position: string };
  /** Bracketed text that was none of the tags ("Books 1-3", "Mistborn #3"): kept for the ranking's markers. */
  extra: string[];
  /**
   * "A - B" where both ends look like names ("Project Hail Mary - Andy Weir", AudioBookBay's
   * order): the order the parser did not pick, for the ranking to try against the book wanted.
   */
  otherReading?: { authors: string[]; title: string };
}

export interface ReleaseAttrs { author?: string; booktitle?: string }

/** A series name followed by its position: "Mistborn 03", "Mistborn, Book 3", "Mistborn #3", "Mistborn Vol. 2". */
const SERIES_POS_RE = /^(.*?[\p{L}'’)])(?:[\s,]+(?:(?:book|bk|vol(?:ume)?|no|part)\.?\s*)?|[\s,]*#\s*)(\d{1,3}(?:\.\d+)?)$|^(.*?[\p{L}'’)])[\s,]+(?:book|bk|vol(?:ume)?|part)\.?\s*([ivx]{1,5}|one|two|three|four|five|six|seven|eight|nine|ten)$/iu;
/** The same, where a position word is required (so "Catch 22" is not read as a series). */
const SERIES_WORD_RE = /^(.*?[\p{L}'’)])(?:[\s,]+(?:book|bk|vol(?:ume)?|part)\.?\s*|[\s,]*#\s*)(\d{1,3}(?:\.\d+)?|[ivx]{1,5}|one|two|three|four|five|six|seven|eight|nine|ten)$/iu;
/** A bare position before the title: "03 - Title", "Book 3 - Title". */
const BARE_POS_RE = /^(?:(?:book|bk|vol(?:ume)?|part)\.?\s*|#\s*)?(\d{1,3}(?:\.\d+)?)$/i;
/** An upper-case roman position between dashes: "Author - The Dark Tower VII - Title" (never "Sapkowski"). */
const SERIES_ROMAN_RE = /^(.*?\p{L})\s+([IVX]{1,5})$/u;
/** A name word: capitalised in any script, initials, a particle, "deGrasse"; a possessive ("Ender's") is a title's. */
const NAME_WORD = /^(?:(?![\p{L}'’-]*['’]s$)\p{Lu}[\p{L}'’-]+|\p{Lu}\.(?:\p{Lu}\.)*|\p{Lu}{1,3}|de|van|von|der|le|la|du|da|di|mc\w+|(?:de|di|du|da|le|la|van|von|mc)\p{Lu}\p{L}+)$/u;
/** Bracketed "Name N" that is no series: a disc, part or track of this release. */
const NOT_SERIES_RE = /^(?:disc|disk|cd|part|track|chapter|episode|season|file|mp3|m4b|vol(?:ume)?|book)s?$/i;
const SEP_RE = /\s+[-–—|]\s+|\s*\|\s*/;

export function parseReleaseTitle(raw: string, attrs: ReleaseAttrs = {}): ParsedRelease {
  const scened = unScene(raw);
  const { text, tags } = readTags(scened);
  let parts = text.split(SEP_RE).map((p) => p.trim()).filter(Boolean);
  let series: ParsedRelease['series'];
  let authors: string[] = [];
  let title = '';
  /** The text a series bracket follows ("Red Rising (Red Rising Saga, Book 1)"): a title, never an author. */
  let seriesFollows = '';
  let otherReading: ParsedRelease['otherReading'];

  // Bracketed "(Series #3)" / "[Series, Book 3]" / "[Series 3]": a series with its position.
  for (const r of tags.rest) {
    const s = seriesOf(r, true) ?? bracketSeries(r);
    if (s && !series) {
      series = s;
      const at = scened.indexOf(r);
      seriesFollows = scened.slice(0, Math.max(at - 1, 0)).split(SEP_RE).pop()!.replace(/[([{][^()[\]{}]*[)\]}]/g, ' ').trim();
    }
  }
  // "Title by Author" (the author is the last "by").
  const by = /^(.*\S)\s+by\s+(.+)$/i.exec(parts.length === 1 ? parts[0] : '');
  if (by && looksLikeNames(by[2])) parts = [by[1]];
  if (by && looksLikeNames(by[2])) authors = splitAuthors(by[2]);

  // Colon forms: "Series, Book 3: Title" and "Title: Series, Book 3".
  parts = parts.flatMap((p) => {
    const c = /^(.+?):\s+(.+)$/.exec(p);
    if (!c) return [p];
    if (seriesOf(c[1], true)) return [c[1], c[2]];
    if (seriesOf(c[2], true)) return [c[1], c[2]];
    return [p];
  });

  const rest: string[] = [];
  let barePosition = false;
  let seriesPart = -1;
  for (const [i, p] of parts.entries()) {
    const roman = i > 0 && i < parts.length - 1 ? SERIES_ROMAN_RE.exec(p) : null;
    const s = seriesOf(p, parts.length < 3 && i === parts.length - 1) ?? (roman ? { name: roman[1], position: positionOf(roman[2]) } : undefined);
    if (!series && s && parts.length > 1) seriesPart = i;
    const bare = BARE_POS_RE.exec(p);
    if (!series && s && parts.length > 1) series = s;
    // A bracket naming the same series ("Mistborn - 03 - Title (Mistborn #3)") does not stop it.
    else if (bare && i > 0 && i < parts.length - 1 && (series === undefined || sameText(series.name, parts[i - 1]))) {
      series = { name: parts[i - 1], position: positionOf(bare[1]) };
      barePosition = true;
    }
    else rest.push(p);
  }
  // A bare position consumed the part before it as the series name.
  if (series && barePosition) rest.splice(rest.lastIndexOf(series.name), 1);

  const given = attrs.author?.trim();
  if (given) {
    authors = splitAuthors(given);
    const i = rest.findIndex((p) => sameText(p, given));
    if (i >= 0) rest.splice(i, 1);
  } else if (!authors.length && rest.length >= 2) {
    const ends = [...rest];
    authors = takeAuthors(rest, seriesFollows, seriesPart === 0);
    if (ends.length === 2 && !attrs.booktitle && authors.length && ends.every(looksLikeNames)) {
      const [other, otherTitle] = sameText(rest[0] ?? '', ends[1]) ? [ends[1], ends[0]] : [ends[0], ends[1]];
      otherReading = { authors: splitAuthors(other), title: otherTitle };
    }
  }
  title = attrs.booktitle?.trim() || rest.join(' - ');
  // "Series 03 - Title" read as the whole title when there was nothing else: keep the title.
  if (!title && series) { title = series.name; series = undefined; }
  return {
    authors, authorFrom: given ? 'indexer' : authors.length ? 'title' : 'none', title: title.trim(),
    ...(series ? { series } : {}),
    ...(tags.year ? { year: tags.year } : {}), ...(tags.format ? { format: tags.format } : {}),
    ...(tags.bitrateKbps ? { bitrateKbps: tags.bitrateKbps } : {}), ...(tags.unabridged !== undefined ? { unabridged: tags.unabridged } : {}),
    dramatised: tags.dramatised, ...(tags.language ? { language: tags.language } : {}), narrators: tags.narrators, extra: tags.rest,
    ...(otherReading ? { otherReading } : {}),
  };
}

/** The tags a scene name ends with, between dashes: "-AUDIOBOOK-WEB-DE-2016-GROUP", "-(Gekuerzt)-6CD-DE-2017-OMA". */
const SCENE_TAG_RE = /^(?:audiobook|abook|web|retail|itunes|audible|\d+cd|[A-Z]{2}|(?:19|20)\d{2}|\(.*\)|(?:un)?gekuerzt|(?:un)?abridged|mp3|m4b|\d{2,3}kbps)$/i;

/**
 * Scene names use dots or underscores for spaces and dashes between fields, and end with tags
 * and the release group: the tags become brackets for readTags, the group goes.
 */
function unScene(raw: string): string {
  const t = raw.trim();
  if (/\s/.test(t)) return t;
  const fields = t.split('-');
  let tail = fields.length - 1;
  while (tail > 1 && SCENE_TAG_RE.test(fields[tail - 1])) tail--;
  const tagged = tail < fields.length - 1 && /^[A-Za-z0-9]{2,15}$/.test(fields[fields.length - 1]);
  // A one-word title needs no dot or underscore ("Dune-AUDIOBOOK-WEB-EN-2019-GRP"), but then tags.
  if (!tagged && !/[._]/.test(t)) return t;
  // A group after dotted tags ("...2021.Unabridged.MP3.64kbps-ACE") goes too.
  const dottedGroup = !tagged && /(?:^|[._])(?:(?:19|20)\d{2}|mp3|m4b|audiobook|unabridged|\d{2,3}kbps)[._]?$/i.test(fields[fields.length - 2] ?? '') && /^[A-Za-z0-9]{2,15}$/.test(fields[fields.length - 1]);
  const head = tagged ? fields.slice(0, tail) : dottedGroup ? fields.slice(0, -1) : fields;
  const tags = tagged ? fields.slice(tail, -1).map((f) => ` [${f.replace(/^\(|\)$/g, '')}]`).join('') : '';
  const text = head.join('-')
    .replace(/_/g, ' ')
    .replace(/(?<![A-Z])\.(?![A-Z]\.)|(?<=[a-z0-9])\./gi, ' ');
  // Underscored scene names: every dash is a field separator.
  return (tagged ? text.replace(/\s*-\s*/g, ' - ') : text).replace(/\s+/g, ' ').trim() + tags;
}

/**
 * "Author - Title" is the common order. "Title - Author" when the first part is no name (or is
 * the title a series bracket follows, or the release starts with its series), the author then
 * being the first name after it. A name after both ("... - Title - Narrator") is the narrator.
 * Takes the authors out of `rest`.
 */
function takeAuthors(rest: string[], titleText: string, seriesFirst: boolean): string[] {
  const isName = (p: string) => looksLikeNames(p) && !(titleText && sameText(p, titleText));
  const last = rest.length - 1;
  // Of two name-like ends, the one with an initial is the person ("Harry Potter - J.K. Rowling").
  const initial = (p: string) => /(?:^|\s)\p{Lu}\.(?=\s|\p{Lu}|$)/u.test(p);
  const laterIsPerson = isName(rest[last]) && (seriesFirst || (!initial(rest[0]) && initial(rest[last])));
  const at = isName(rest[0]) && !laterIsPerson ? 0 : rest.findIndex((p, i) => i > 0 && isName(p));
  if (at < 0) return [];
  const authors = splitAuthors(rest.splice(at, 1)[0]);
  if (rest.length >= 2 && at <= rest.length - 1 && isName(rest[rest.length - 1])) rest.pop();
  return authors;
}

/** "[Six of Crows 1]", "(Dresden Files 12.5)": a bracket holding only a name and a number. */
function bracketSeries(text: string): ParsedRelease['series'] {
  const s = seriesOf(text, false);
  // (seriesOf without a position word already refuses names of more than six words)
  if (!s || /[\d,]/.test(s.name) || NOT_SERIES_RE.test(s.name)) return undefined;
  return s;
}

function seriesOf(text: string, needWord: boolean): ParsedRelease['series'] {
  const m = (needWord ? SERIES_WORD_RE : SERIES_POS_RE).exec(text.trim());
  if (!m) return undefined;
  // The name ends with a letter, an apostrophe or ")" (the pattern says so): nothing to trim.
  const [name, pos] = m[1] !== undefined ? [m[1], m[2]] : [m[3], m[4]];
  // "Book 3" alone, or a number glued to a word like "Catch-22", is no series.
  if (!name || /^(?:book|vol|part)$/i.test(name)) return undefined;
  if (!needWord && name.split(/\s+/).length > 6) return undefined;
  // A bare three-digit number belongs to the title ("Fahrenheit 451"); a position that high needs "Book" or "#".
  if (/^\d{3}/.test(pos) && !/(?:book|bk|vol(?:ume)?|no|part)\.?\s*[\d.]+$|#\s*[\d.]+$/i.test(text)) return undefined;
  return { name, position: positionOf(pos) };
}

/** "03", "3.5", "Three", "VII": the sequence parser reads digits, number words and roman numerals. */
function positionOf(raw: string): string {
  return String(parseSequence(raw).primary ?? raw);
}

/** "Brandon Sanderson", "J.R.R. Tolkien", "Ursula K. Le Guin", "Niven & Pournelle". */
function looksLikeNames(text: string): boolean {
  return splitAuthors(text).every((name) => {
    const words = name.split(/\s+/).filter(Boolean);
    // A title's first word: "The Final Empire" is no one's name.
    return words.length >= 1 && words.length <= 5 && !/^(?:the|a|an)$/i.test(words[0]) && words.every((w) => NAME_WORD.test(w)) && !/\d/.test(name)
      && (words.length > 1 || /^[A-Z][a-z]+$/.test(name) === false);
  });
}

/**
 * "A & B", "A, B", "A and B"; "Weir, Andy" (one family name, then given names) is one person:
 * "Andy Weir"; "Arkady & Boris Strugatsky": a lone given name shares the next name's family name.
 */
function splitAuthors(text: string): string[] {
  const names = text.split(/\s*(?:&|;|\band\b)\s*/).flatMap((chunk) => {
    const lastFirst = /^([\p{L}'’-]+),\s*((?:\p{Lu}[\p{L}'’-]*\.?\s*){1,3})$/u.exec(chunk.trim());
    return lastFirst ? [`${lastFirst[2].trim()} ${lastFirst[1]}`] : chunk.split(/\s*,\s*/);
  }).map((a) => a.trim()).filter(Boolean);
  return names.map((n, i) => (/^\p{Lu}\p{Ll}+$/u.test(n) && names[i + 1]?.includes(' ') ? `${n} ${names[i + 1].split(' ').pop()}` : n));
}

function sameText(a: string, b: string): boolean {
  const f = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  return f(a) === f(b);
}
