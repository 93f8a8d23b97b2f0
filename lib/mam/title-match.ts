// Does a torrent title name the same book as a gap title? Torrent titles carry noise
// ("(Unabridged)", "Stormlight Archive 1 - ", ": A Novel") while wrong books differ by one
// word ("Leviathan Wakes" / "Leviathan Falls", "Book 5" / "Book 15"). So: similarity on the
// best-matching segment, and then every content word and number must agree.
import { romanValue, wordValue } from '../identity/numbers';
import { titleTokens } from '../identity/text';

export interface TitleVerdict {
  ok: boolean;
  similarity: number;
  /** The torrent segment that matched best. */
  segment: string;
  reason: string;
}

/** Words that say nothing about which book it is. */
const NOISE = new Set(['the', 'a', 'an', 'of', 'and', 'unabridged', 'audiobook', 'audio', 'novel', 'edition', 'retail', 'm4b', 'mp3', 'in', 'series', 'book', 'books', 'volume', 'vol', 'part', 'no', 'number']);
/** A title's comparable words: folded, numbers as digits ("Eighty-Four" → 84, "II" → 2). */
export const tokens = titleTokens;

/** Segments of a title: the whole, and its parts split at ":", " - ", "|", "," and brackets removed. */
export function segments(title: string): string[] {
  const clean = title.replace(/\s*[([{][^)\]}]*[)\]}]\s*/g, ' ').replace(/\s+/g, ' ').trim();
  const parts = clean.split(/\s*(?::|\s[-–—|]\s|,|;)\s*/).map((s) => s.trim()).filter(Boolean);
  return [...new Set([clean, ...parts])];
}

/** `wholeOnly`: compare with the whole torrent title (brackets removed), not its parts. */
export function compareTitles(gapTitle: string, torrentTitle: string, ignorable: Set<string>, threshold: number, wholeOnly = false): TitleVerdict {
  const gapVariants = segments(gapTitle).slice(0, 2);
  let best: TitleVerdict = { ok: false, similarity: 0, segment: '', reason: `title "${torrentTitle}" does not match "${gapTitle}"` };
  for (const want of gapVariants) {
    const w = tokens(want);
    for (const seg of segments(torrentTitle).slice(0, wholeOnly ? 1 : undefined)) {
      const verdict = compareTokens(w, tokens(seg), ignorable, threshold);
      const candidate = { ...verdict, segment: seg };
      if (candidate.ok && (!best.ok || candidate.similarity > best.similarity)) best = candidate;
      else if (!best.ok && candidate.similarity > best.similarity) best = candidate;
    }
  }
  return best;
}

/** The title is only its series' name ("Mistborn", "Artemis Fowl"): "Mistborn: The Well of
 *  Ascension" then matches it on its first part while naming another book of the series. */
export function isSeriesName(title: string, seriesNames: string[]): boolean {
  const words = tokens(title).filter((t) => !NOISE.has(t));
  const series = new Set(seriesNames.flatMap(tokens));
  return words.length > 0 && words.every((w) => series.has(w));
}

/** Encoding noise in uploaders' titles: "64kbps", "128k", "44khz". */
const ENCODING = /^\d+(?:k|kbps|kbs|khz)$/;

function compareTokens(want: string[], have: string[], ignorable: Set<string>, threshold: number): Omit<TitleVerdict, 'segment'> {
  const content = (list: string[], other: string[]) => list.filter((t) => !NOISE.has(t) && !ENCODING.test(t) && !(ignorable.has(t) && !other.includes(t)));
  const a = content(want, have);
  const b = content(have, want);
  const similarity = dice(a.length ? a : want, b.length ? b : have);
  if (similarity < threshold) return { ok: false, similarity, reason: `title similarity ${similarity.toFixed(2)} below ${threshold.toFixed(2)}` };
  const missing = a.filter((t) => !b.some((u) => sameWord(t, u)));
  const extra = b.filter((t) => !a.some((u) => sameWord(t, u)));
  // Numbers never fuzz: "5" and "15" are different books.
  const numbersA = want.filter(isNumber).sort().join(',');
  const numbersB = have.filter(isNumber).sort().join(',');
  if (numbersA && numbersB && numbersA !== numbersB) return { ok: false, similarity, reason: `title numbers differ: ${numbersB} ≠ ${numbersA}` };
  if (missing.length || extra.length) {
    return { ok: false, similarity, reason: `distinguishing words differ: ${extra.join(' ') || '(none)'} ≠ ${missing.join(' ') || '(none)'}` };
  }
  return { ok: true, similarity, reason: `title matches (similarity ${similarity.toFixed(2)})` };
}

function isNumber(t: string): boolean {
  return /^\d+(\.\d+)?$/.test(t);
}

/** Same word, or a one-letter typo/spelling variant in a long word ("colour"/"color"). */
function sameWord(a: string, b: string): boolean {
  if (a === b) return true;
  if (isNumber(a) || isNumber(b) || Math.min(a.length, b.length) < 6) return false;
  return editDistanceAtMostOne(a, b);
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { i++; j++; continue; }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (b.length > a.length) j++;
    else { i++; j++; }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

function dice(a: string[], b: string[]): number {
  if (!a.length || !b.length) return 0;
  const pool = [...b];
  let common = 0;
  for (const t of a) {
    const k = pool.findIndex((u) => sameWord(t, u));
    if (k >= 0) { common++; pool.splice(k, 1); }
  }
  return (2 * common) / (a.length + b.length);
}

/** A position a title states for itself: "Book 15", "#15", "Vol. 3", "Book Eleven", "Book IV". */
export function statedPositions(title: string): number[] {
  const out: number[] = [];
  const re = /(?:\bbook|\bbk|\bvol(?:ume)?|\bpart|#)\.?\s*(\d+(?:\.\d+)?|[a-z]+)\b/gi;
  for (const m of title.matchAll(re)) {
    const n = /^\d/.test(m[1]) ? Number(m[1]) : wordValue(m[1]) ?? romanValue(m[1]);
    if (n !== undefined) out.push(n);
  }
  return out;
}

