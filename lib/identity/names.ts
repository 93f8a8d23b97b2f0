// People's names: whether two spellings name the same author. Keys (normaliseAuthor,
// authorsKey) stay exactly as before because gap keys are built from them; matching goes
// further: honorifics ("Sir", "Dr."), initials with or without the middle one, "Last, First",
// family name first, diacritics and common transliteration variants (Dostoevsky/Dostoyevsky,
// Lev/Leo Tolstoy). A bare surname never matches: it names too many people.
import { foldText } from './text';

const NAME_SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md']);
const HONORIFICS = new Set(['sir', 'dame', 'dr', 'doctor', 'prof', 'professor', 'mr', 'mrs', 'ms', 'miss', 'lord', 'lady', 'rev', 'reverend', 'father', 'sister', 'saint', 'st', 'capt', 'captain', 'col', 'colonel', 'gen', 'general', 'major', 'lt', 'count', 'countess', 'baroness', 'baron']);
/** Given names that are one name in another language's spelling (after transliteration folding). */
const GIVEN_ALIASES: string[][] = [
  ['lev', 'leo'], ['fedor', 'feodor', 'fyodor', 'fiodor', 'theodor', 'theodore'], ['nikolai', 'nicolai', 'nicholas', 'nikolaus'],
  ['alexander', 'aleksandr', 'alexandr', 'aleksander', 'alexandre'], ['mihail', 'michael', 'mikhail', 'michail'], ['piotr', 'petr', 'peter', 'pyotr'],
  ['ivan', 'iwan'], ['anton', 'antony', 'anthony'], ['jose', 'joseph', 'josef'], ['yevgeni', 'evgeni', 'eugene'],
  ['yuri', 'iouri', 'juri'], ['maxim', 'maksim'], ['sergei', 'sergey'], ['stanislaw', 'stanislav'], ['vasili', 'vasily', 'wassily'],
];
const ALIAS = new Map<string, number>(GIVEN_ALIASES.flatMap((group, i) => group.map((n): [string, number] => [translit(n), i])));

interface NameToken { text: string; initials: boolean }

function authorTokens(name: string): NameToken[] {
  let text = name.trim();
  const comma = text.split(',');
  if (comma.length === 2 && !NAME_SUFFIXES.has(foldText(comma[1]))) text = `${comma[1]} ${comma[0]}`;
  // Split initials glued by periods ("S.A.") before punctuation becomes spaces.
  const words = foldText(text.replace(/\./g, '. ')).split(' ').filter((t) => t !== '' && !NAME_SUFFIXES.has(t));
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

/** The authors part of a series identity: sorted normalised keys joined with "+". */
export function authorsKey(authors: string[]): string {
  return [...new Set(authors.map(normaliseAuthor).filter(Boolean))].sort().join('+');
}

/**
 * Romanisation spellings folded to one: "Dostoyevsky"/"Dostoevsky"/"Dostoevskii", "Tolstoy"/
 * "Tolstoi", "Chekhov"/"Tchekhov", "Aleksey"/"Alexei", "Rachmaninoff"/"Rachmaninov".
 */
export function translit(word: string): string {
  return word
    .replace(/^tch/, 'ch')
    .replace(/ks/g, 'x')
    .replace(/kh/g, 'h')
    .replace(/ff$/, 'v')
    .replace(/w/g, 'v')
    .replace(/yo/g, 'e')
    .replace(/(?:iy|yi|ii|ij|y)$/, 'i')
    .replace(/y/g, 'i')
    // "Dostoievsky": an i between vowels is the same glide as the y above.
    .replace(/(?<=[aeou])i(?=[aeou])/g, '');
}

/** One person's name, parsed: given names (words or single initials) and the family name. */
interface Person { given: string[]; last: string; key: string; sorted: string; joined: string }

/** "père", "fils": which Dumas, not part of the name to match. */
const GENERATIONS = new Set(['pere', 'fils', 'senior', 'junior', 'elder', 'younger']);

function person(name: string): Person | null {
  const tokens = authorTokens(name).filter((t) => t.initials || (!HONORIFICS.has(t.text) && !GENERATIONS.has(t.text)));
  if (!tokens.length) return null;
  const given = tokens.slice(0, -1).flatMap((t) => (t.initials ? [...t.text] : [t.text]));
  const words = tokens.map((t) => t.text);
  return { given, last: translit(tokens[tokens.length - 1].text), key: words.join(' '), sorted: [...words].sort().join(' '), joined: words.join('') };
}

/** One author field naming several people: "Larry Niven & Jerry Pournelle", "J.K. Rowling
 *  writing as Robert Galbraith" (both names count). "Last, First" stays one name. */
export function splitPeople(name: string): string[] {
  const parts = name.split(/\s+(?:&|and|writing\s+as|aka|a\.k\.a\.|as)\s+|\s*;\s*/i).map((p) => p.replace(/[()]/g, '').trim()).filter(Boolean);
  return parts.length > 1 ? parts : [name];
}

function sameGiven(a: string, b: string): boolean {
  if (a.length === 1 || b.length === 1) return a[0] === b[0];
  const x = translit(a);
  const y = translit(b);
  return x === y || (ALIAS.has(x) && ALIAS.get(x) === ALIAS.get(y));
}

/** Same person: same family name (transliteration folded) and compatible given names — the
 *  first must agree (as a name or its initial), middle names may be missing on one side. */
export function samePerson(a: string, b: string): boolean {
  const p = person(a);
  const q = person(b);
  if (!p || !q) return false;
  // "Le Guin" / "LeGuin": the same letters, spaced differently (a full name on both sides, in
  // either order: a bare surname matches only itself).
  if (p.key === q.key || (p.joined === q.joined && p.key.includes(' ') && q.key.includes(' '))) return true;
  // "Liu Cixin" / "Cixin Liu": the same full name in another order (family name first).
  if (p.key.includes(' ') && p.sorted === q.sorted) return true;
  if (p.last !== q.last || !p.given.length || !q.given.length) return false;
  if (!sameGiven(p.given[0], q.given[0])) return false;
  // Middle names: where both give them, they must agree in order.
  const [short, long] = p.given.length <= q.given.length ? [p.given, q.given] : [q.given, p.given];
  let j = 1;
  for (const g of short.slice(1)) {
    while (j < long.length && !sameGiven(g, long[j])) j++;
    if (j++ >= long.length) return false;
  }
  return true;
}

/** True when the two author lists share at least one person. */
export function authorsMatch(a: string[], b: string[]): boolean {
  const keysB = new Set(b.map(normaliseAuthor).filter(Boolean));
  if (a.some((x) => keysB.has(normaliseAuthor(x)))) return true;
  const people = (list: string[]) => list.flatMap(splitPeople);
  return people(a).some((x) => people(b).some((y) => samePerson(x, y)));
}
