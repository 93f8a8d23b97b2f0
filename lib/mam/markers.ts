// What a torrent says about itself in words: a bundle ("Trilogy", "Box Set", "Books 1-3"), a
// fragment ("Part Two", "Pt. 1", "Vol. 1 of 2", "Disc 1", "(1/2)", "Book 1a"), an adaptation
// ("Audio Drama", "Radio 4", "Full Cast", a cast list), or another language ("(German
// Edition)", "Hörbuch"). Words the wanted book's own title contains are never evidence
// against it ("Radio Silence", "The Collection"). Pure.
import { normaliseLanguage } from '../identity/language';
import { wordValue } from '../identity/numbers';
import { foldText } from '../identity/text';

const NUM = String.raw`(?:\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|i{1,3}|iv|vi{0,3}|ix|x)`;
const JOIN = String.raw`\s*(?:-|–|—|to|through|thru|&|and|\+|,)\s*`;
const RANGE = new RegExp(String.raw`\b(?:books?|bks?|volumes?|vols?|novels|parts|episodes|#)\.?\s*(${NUM})${JOIN}(${NUM})\b|#(\d+)\s*-\s*(\d+)\b`, 'i');
const BARE_RANGE = /(?<![\d.:/])\b(\d{1,2})\s*[-–]\s*(\d{1,2})\b(?![\d.:/])/;
const BUNDLE_WORDS = /\b(?:omnibus|box(?:ed)?[\s-]?set|boxset|collection|compendium|anthology|bundle|complete\s+(?:series|collection|trilogy|saga|set|novels|works|cycle|chronicles)|the\s+complete\b(?!\s+(?:(?:&|and)\s+)?(?:uncut|unabridged|edition|text|version|original|and\s+uncut))|(?:\d+|two|three|four|five|six|seven|eight|nine|ten)[\s-]+(?:books|novels|volumes)\s+in\s+(?:1|one)|\d+[\s-]in[\s-]1|first\s+(?:two|three|four|five)\s+(?:books|novels)|books\s+(?:one|1)\s+(?:to|through|thru|-)\s+\w+)\b/i;
/** A word naming a group of books: a bundle only where the title states no single position. */
const GROUP_WORDS = /\b(?:trilogy|duology|tetralogy|quartet|quintet|sextet|septology|series)\b/i;

/** Diacritics off, punctuation kept ("Hörbuch" → "Horbuch", "(1/2)" stays). */
function plain(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '');
}

/** The first match whose words are not inside the gap's own title or the series' name (those
 *  cannot be evidence: "Radio Silence", "The Broken Earth Trilogy"). */
function firstMatch(re: RegExp, text: string, exclude: string[]): RegExpExecArray | undefined {
  const own = exclude.map((e) => ` ${foldText(e)} `);
  const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
  for (const m of plain(text).matchAll(global)) {
    const words = foldText(m[0]);
    if (words && !own.some((o) => o.includes(` ${words} `))) return m as RegExpExecArray;
  }
  return undefined;
}

function num(s: string): number | undefined {
  return /^\d/.test(s) ? Number(s) : wordValue(s);
}

/** A range the title states ("Books 1-3", "#1-3", "Books One to Three", "(1-3)") as its positions. */
export function statedRange(title: string): number[] | undefined {
  const m = RANGE.exec(title);
  const [a, b] = m ? [num(m[1] ?? m[3]), num(m[2] ?? m[4])] : [undefined, undefined];
  const bare = m ? undefined : BARE_RANGE.exec(title.replace(/\b(?:19|20)\d\d\s*[-–]\s*(?:19|20)?\d\d\b/g, ''));
  const [x, y] = bare ? [Number(bare[1]), Number(bare[2])] : [a, b];
  if (x === undefined || y === undefined || !(y > x) || y - x > 60) return undefined;
  const joined = m?.[0] ?? '';
  // "Books 1 & 3", "1, 3": the two named; "1-3", "1 to 3": everything between.
  if (/&|\band\b|,|\+/.test(joined)) return [x, y];
  return Array.from({ length: Math.floor(y - x) + 1 }, (_v, i) => x + i);
}

/** Bundle words or a range in the title ("Trilogy", "Box Set", "Books 1-3"). */
export function bundleMarker(title: string, exclude: string[], statesOnePosition: boolean): string | undefined {
  const words = firstMatch(BUNDLE_WORDS, title, exclude)?.[0];
  if (words) return words.trim();
  const range = RANGE.exec(title)?.[0] ?? (statesOnePosition ? undefined : BARE_RANGE.exec(title)?.[0]);
  if (range && statedRange(title)) return range.trim();
  const group = firstMatch(GROUP_WORDS, title, exclude)?.[0];
  return group && !statesOnePosition && group.toLowerCase() !== 'series' ? group : undefined;
}

const FRAGMENTS: [RegExp, (m: RegExpExecArray, gapSequence: string) => boolean][] = [
  [new RegExp(String.raw`\b(?:part|pt|dis[ck]|cd|tape|side)\.?\s*${NUM}\s*(?:of|/)\s*${NUM}\b`, 'i'), () => true],
  [/[([]\s*\d+\s*(?:of|\/)\s*\d+\s*[)\]]/, () => true],
  [new RegExp(String.raw`\bvol(?:ume)?\.?\s*${NUM}\s*\(?\s*of\s*${NUM}\b`, 'i'), () => true],
  [/(?<![\d/.])\b([1-9])\s*\/\s*([2-9])\b(?![\d/])/, (m) => Number(m[1]) <= Number(m[2])],
  [new RegExp(String.raw`\b(?:part|pt)\.?\s*(${NUM})\b(?!\s*(?:-|–|to|&|and)\s*${NUM})`, 'i'), () => true],
  [new RegExp(String.raw`\b(?:dis[ck]|cd|tape)\s*(${NUM})\b(?!\s*(?:-|–|to)\s*\d)`, 'i'), () => true],
  [/(?:\b(?:book|bk)|#)\s*(\d+)([a-d])\b/i, (m, seq) => `${m[1]}${m[2]}`.toLowerCase() !== seq.toLowerCase().replace(/\s+/g, '')],
  [/\b(?:first|second|1st|2nd)\s+half\b/i, () => true],
  [/\b(?:chapters|episodes)\s*\d+\s*(?:-|–|to)\s*\d+\b/i, () => true],
];

/** A marker saying the torrent holds one piece of a book. */
export function fragmentMarker(title: string, gapTitle: string, gapSequence: string): string | undefined {
  for (const [re, applies] of FRAGMENTS) {
    const m = firstMatch(re, title, [gapTitle]);
    if (m && applies(m, gapSequence)) return m[0].replace(/[()[\]]/g, '').trim();
  }
  return undefined;
}

const ADAPTATION = /\b(?:dramati[sz](?:ed|ation)|full[\s-]?cast|radio\s+(?:drama|play|adaptation|theat(?:re|er)|production|series|collection|4|four)|bbc\s+(?:radio|audio|drama)|audio\s?(?:drama|play|movie|theat(?:re|er)|series\s+adaptation)|graphic\s?audio|theat(?:re|er)|stage\s+(?:play|adaptation)|multi[\s-]?cast|ensemble\s+cast|starring|performed\s+by\s+a\s+cast|cast\s+(?:recording|production)|adaptation|radio|(?:original\s+)?drama)\b/i;
const CAST_NAME = /\b(?:cast|graphic\s?audio|bbc|radio|theat(?:re|er)|players|company|ensemble|repertory)\b/i;

/** Words that only say several voices read it: an unabridged full-cast reading is still the book. */
const CAST_ONLY = /^(?:full[\s-]?cast|multi[\s-]?cast|ensemble\s+cast|cast\s+(?:recording|production)|performed\s+by\s+a\s+cast|cast)$/i;

export interface AdaptationMarkers {
  markers: string[];
  /** Every marker only says "several voices" (full cast, a cast list), none says drama or radio. */
  castOnly: boolean;
}

/** Words that say the torrent is an adaptation (drama, full cast), from title, tags and narrators. */
export function adaptationMarkers(title: string, tags: string, narrators: string[], gapTitle: string): AdaptationMarkers {
  const markers: string[] = [];
  let castOnly = true;
  for (const [where, text] of [['title', title], ['tags', tags]] as const) {
    const m = firstMatch(ADAPTATION, text, [gapTitle]);
    if (!m) continue;
    markers.push(`${where} says "${m[0].trim()}"`);
    const all = [...plain(text).matchAll(new RegExp(ADAPTATION.source, 'gi'))].map((x) => x[0].trim());
    if (!all.every((w) => CAST_ONLY.test(w))) castOnly = false;
  }
  const castName = narrators.find((n) => CAST_NAME.test(n));
  if (castName) {
    markers.push(`narrator "${castName}"`);
    if (!/\bcast\b/i.test(castName) || /radio|bbc|theat|graphic/i.test(castName)) castOnly = false;
  } else if (narrators.length >= 5) markers.push(`a cast of ${narrators.length} narrators`);
  return { markers, castOnly: markers.length > 0 && castOnly };
}

const LANGUAGE_NAMES = 'english|german|deutsch|french|francais|spanish|espanol|castellano|italian|italiano|dutch|nederlands|russian|polish|polski|japanese|portuguese|portugues|swedish|svenska|danish|dansk|norwegian|norsk|finnish|suomi|chinese|mandarin|hindi';
const LANGUAGE_IN_TITLE = new RegExp(String.raw`[([]\s*(${LANGUAGE_NAMES})(?:\s+(?:edition|version|audiobook|language|ausgabe|dub))?\s*[)\]]|\b(${LANGUAGE_NAMES})\s+(?:edition|version|language|audiobook|audio|ausgabe|translation|dub|narration)\b|\bin\s+(${LANGUAGE_NAMES})\b|(?:\s-\s*|^)(${LANGUAGE_NAMES})\s*$`, 'i');
const NATIVE_WORDS: [RegExp, string][] = [
  [/\b(?:horbuch|ungekurzt|ungekurzte lesung|gekurzt|deutsche ausgabe|sprecher)\b/, 'german'],
  [/\b(?:livre audio|texte integral|lu par)\b/, 'french'],
  [/\b(?:audiolibro|narrado por)\b/, 'spanish'],
  [/\b(?:luisterboek|voorgelezen door)\b/, 'dutch'],
  [/\b(?:ljudbok|ljudbog|lydbok|lydbog)\b/, 'swedish'],
];

/** The edition's language as its title says it ("(German Edition)", "Hörbuch"); undefined when it does not. */
export function titleLanguage(title: string, gapTitle: string): { language: string; words: string } | undefined {
  const m = firstMatch(LANGUAGE_IN_TITLE, title, [gapTitle]);
  if (m) return { language: normaliseLanguage(m[1] ?? m[2] ?? m[3] ?? m[4]) ?? '', words: m[0].replace(/[()[\]]/g, '').replace(/^\s*-\s*/, '').trim() };
  const text = ` ${foldText(title)} `.replace(` ${foldText(gapTitle)} `, ' ');
  for (const [re, language] of NATIVE_WORDS) {
    const n = re.exec(text);
    if (n) return { language, words: n[0] };
  }
  return undefined;
}
