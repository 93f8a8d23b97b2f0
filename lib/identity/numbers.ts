// Numbers as people write them in titles: "Nineteen Eighty-Four", "Twenty-Two", "Book II",
// "1984". Turned into digits so "Nineteen Eighty-Four" and "1984" are one title.

const UNITS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const ORDINALS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10, eleventh: 11, twelfth: 12,
};

/** Roman numerals that are also English words (or too ambiguous alone): never read as numbers. */
const ROMAN_WORDS = new Set(['i', 'v', 'x', 'l', 'c', 'd', 'm', 'mix', 'dim', 'mid', 'lid', 'did', 'civil', 'mild', 'vim', 'mi', 'di', 'li', 'ill', 'dill', 'mill', 'cl', 'ml', 'liv', 'civ', 'xl', 'cc', 'dc', 'cd', 'mc', 'lv', 'cm', 'dl', 'md']);
const ROMAN_VALUE: Record<string, number> = { i: 1, v: 5, x: 10, l: 50, c: 100, d: 500, m: 1000 };
const ROMAN_RE = /^m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$/;

/** "xiv" → 14; undefined for what is not a well-formed Roman numeral. */
export function romanValue(token: string): number | undefined {
  const t = token.toLowerCase();
  if (!t || !ROMAN_RE.test(t)) return undefined;
  let total = 0;
  for (let i = 0; i < t.length; i++) {
    const v = ROMAN_VALUE[t[i]];
    const next = ROMAN_VALUE[t[i + 1]] ?? 0;
    total += v < next ? -v : v;
  }
  return total;
}

/** One number word ("seven", "twenty", "third") or a Roman numeral that is no English word. */
export function wordValue(token: string): number | undefined {
  const t = token.toLowerCase();
  if (t in UNITS) return UNITS[t];
  if (t in TENS) return TENS[t];
  if (t in ORDINALS) return ORDINALS[t];
  return ROMAN_WORDS.has(t) ? undefined : romanValue(t);
}

/** Words that put a number after them: "Book I", "Part V" read the lone letter as a numeral. */
const COUNTERS = new Set(['book', 'bk', 'part', 'volume', 'vol', 'chapter', 'episode', 'act', 'no', 'number']);

/**
 * Folded tokens → the same tokens with numbers as digits: "nineteen eighty four" → "1984",
 * "twenty two" → "22", "catch 22" unchanged, "book i" → "book 1", "ii" → "2".
 */
export function numberTokens(raw: string[]): string[] {
  const tokens = raw.map(unLeet);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    // "The Hundred-Year-Old Man", "a thousand": the count word alone is one of it.
    if ((tokens[i] === 'hundred' || tokens[i] === 'thousand') && !/^\d+$/.test(out[out.length - 1] ?? '')) {
      out.push(tokens[i] === 'hundred' ? '100' : '1000');
      i++;
      continue;
    }
    const run = readNumberWords(tokens, i);
    if (run) {
      out.push(String(run.value));
      i = run.end;
      continue;
    }
    const t = tokens[i];
    const roman = COUNTERS.has(tokens[i - 1] ?? '') ? romanValue(t) : wordValue(t);
    out.push(roman !== undefined && !(t in UNITS) && !(t in TENS) && !(t in ORDINALS) ? String(roman) : t);
    i++;
  }
  return out;
}

/** A run of English number words from `start`: "twenty two", "nineteen eighty four" (a year said in two halves). */
function readNumberWords(tokens: string[], start: number): { value: number; end: number } | undefined {
  const first = compound(tokens, start);
  if (!first) return undefined;
  // "nineteen eighty four": two compounds of two digits each make a year; "four fifty one"
  // is said the same way (451).
  const second = first.value >= 1 && first.value <= 99 ? compound(tokens, first.end) : undefined;
  if (second && second.value >= (first.value >= 10 ? 10 : 20) && second.value <= 99) return { value: first.value * 100 + second.value, end: second.end };
  let run = first;
  if (tokens[run.end] === 'hundred' && run.value < 100) {
    const rest = tokens[run.end + 1] === 'and' ? compound(tokens, run.end + 2) : compound(tokens, run.end + 1);
    run = { value: run.value * 100 + (rest?.value ?? 0), end: rest?.end ?? run.end + 1 };
  }
  if (tokens[run.end] === 'thousand') {
    // "One Thousand and One Nights" = 1001, as "a hundred and one" above.
    const after = tokens[run.end + 1] === 'and' ? run.end + 2 : run.end + 1;
    const rest = readNumberWords(tokens, after);
    const below = rest && rest.value < 1000 ? rest : undefined;
    return { value: run.value * 1000 + (below?.value ?? 0), end: below?.end ?? run.end + 1 };
  }
  return run;
}

const LEET: Record<string, string> = { 0: 'o', 1: 'i', 3: 'e', 4: 'a', 5: 's', 7: 't' };

/** "Th1rteen R3asons" → "thirteen reasons": digits inside a word stand for letters. Not "m4b",
 *  "mp3", "64kbps", "1980s" (too few letters, or a number with its unit). */
function unLeet(token: string): string {
  if (!/^[a-z]+[013457][a-z0-9]*[a-z]$/.test(token) || token.replace(/\d/g, '').length < 3 || /[2689]/.test(token)) return token;
  return token.replace(/[013457]/g, (d) => LEET[d]);
}

function compound(tokens: string[], i: number): { value: number; end: number } | undefined {
  const t = tokens[i];
  if (t === undefined) return undefined;
  if (t in TENS) {
    const u = tokens[i + 1];
    return u !== undefined && u in UNITS && UNITS[u] > 0 && UNITS[u] < 10 ? { value: TENS[t] + UNITS[u], end: i + 2 } : { value: TENS[t], end: i + 1 };
  }
  if (t in UNITS) return { value: UNITS[t], end: i + 1 };
  return undefined;
}
