// Matching keys for series names, titles and authors. The original text is always kept for
// display; these keys only decide whether two spellings mean the same thing ("The Expanse"
// = "Expanse Series", "S. A. Chakraborty" = "S.A. Chakraborty" = "SA Chakraborty").

const ARTICLE_RE = /^(?:the|a|an)\s+|\s+the$/g;
/** Letters NFKD does not decompose. */
const LIGATURES: Record<string, string> = { æ: 'ae', œ: 'oe', ß: 'ss', ø: 'o', ł: 'l', đ: 'd', þ: 'th', ð: 'd' };
const SERIES_SUFFIX_RE = /\s+(?:series|saga|trilogy)$/;
const EDITION_RE = /\s*[([](?:unabridged|abridged)[)\]]\s*/gi;

/** Lower case, no diacritics (library-sorted "Expanse, The" loses its article too), "&" → "and", apostrophes dropped, other punctuation → space. */
function basic(text: string): string {
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
  const key = basic(title.replace(EDITION_RE, ' ')).replace(ARTICLE_RE, '');
  return key;
}

export function normaliseSeriesName(name: string): string {
  let key = basic(name).replace(ARTICLE_RE, '');
  // "The Expanse Series" → "expanse"; but a series literally called "Saga" keeps its name.
  const stripped = key.replace(SERIES_SUFFIX_RE, '');
  if (stripped !== '') key = stripped;
  return key;
}

const NAME_SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md']);

interface NameToken { text: string; initials: boolean }

function authorTokens(name: string): NameToken[] {
  let text = name.trim();
  const comma = text.split(',');
  if (comma.length === 2 && !NAME_SUFFIXES.has(basic(comma[1]))) text = `${comma[1]} ${comma[0]}`;
  // Split initials glued by periods ("S.A.") before punctuation becomes spaces.
  const words = basic(text.replace(/\./g, '. ')).split(' ').filter((t) => t !== '' && !NAME_SUFFIXES.has(t));
  const out: NameToken[] = [];
  let initials = '';
  for (const word of words) {
    if (word.length === 1) {
      initials += word;
      continue;
    }
    if (initials) out.push({ text: initials, initials: true });
    initials = '';
    out.push({ text: word, initials: false });
  }
  if (initials) out.push({ text: initials, initials: true });
  return out;
}

/**
 * "S. A. Chakraborty", "S.A. Chakraborty", "SA Chakraborty" → "sa chakraborty";
 * "Chakraborty, S. A." → "sa chakraborty"; "Jr." and similar are dropped.
 */
export function normaliseAuthor(name: string): string {
  return authorTokens(name).map((t) => t.text).join(' ');
}

interface NameParts { last: string; initials: string; abbreviated: boolean }

function parts(name: string): NameParts | null {
  const tokens = authorTokens(name);
  if (tokens.length < 2) return null;
  const given = tokens.slice(0, -1);
  return {
    last: tokens[tokens.length - 1].text,
    initials: given.map((t) => (t.initials ? t.text : t.text[0])).join(''),
    abbreviated: given.some((t) => t.initials),
  };
}

/**
 * True when the two author lists share at least one author. Besides an exact key match,
 * "Shannon Chakraborty" matches "S. A. Chakraborty" (same surname, compatible initials, one
 * side abbreviated); a bare surname never matches, because it names too many people.
 */
export function authorsMatch(a: string[], b: string[]): boolean {
  const keysB = new Set(b.map(normaliseAuthor).filter(Boolean));
  if (a.some((x) => keysB.has(normaliseAuthor(x)))) return true;
  const partsB = b.map(parts).filter((p): p is NameParts => p !== null);
  for (const pa of a.map(parts)) {
    if (!pa) continue;
    for (const pb of partsB) {
      // Two full given names must match exactly: "John Smith" is not "Jane Smith".
      if (pa.last !== pb.last || (!pa.abbreviated && !pb.abbreviated)) continue;
      if (pa.initials.startsWith(pb.initials) || pb.initials.startsWith(pa.initials)) return true;
    }
  }
  return false;
}

/** The authors part of a series identity: sorted normalised keys joined with "+". */
export function authorsKey(authors: string[]): string {
  return [...new Set(authors.map(normaliseAuthor).filter(Boolean))].sort().join('+');
}
