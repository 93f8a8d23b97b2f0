// Which books of the series a torrent title names. The series' other titles are known (owned
// ones from ABS, the rest from metadata): "Trilogy: The Final Empire, The Well of Ascension,
// The Hero of Ages" names three, so it is a bundle even without the word "omnibus". Pure.
import type { Gap } from '../types';
import { titleTokens } from '../identity/text';
import { segments } from './title-match';

const ARTICLES = new Set(['the', 'a', 'an']);
const words = (text: string) => titleTokens(text).filter((t) => !ARTICLES.has(t));

/** Positions (or titles, for books without one) of the series books the title names; the
 *  longest name wins where two overlap ("Dune Messiah" names "Dune Messiah", not "Dune"). */
export function namedSeriesBooks(gap: Pick<Gap, 'title' | 'sequence' | 'series' | 'seriesBooks'>, torrentTitle: string, seriesNames: string[]): string[] {
  const have = words(torrentTitle);
  const series = new Set(seriesNames.map((s) => words(s).join(' ')).filter(Boolean));
  const books = [...(gap.seriesBooks ?? []), ...(gap.title ? [{ title: gap.title, sequence: gap.sequence ?? '' }] : [])];
  const hits: { book: string; start: number; end: number }[] = [];
  for (const b of books) {
    for (const seg of segments(b.title)) {
      const want = words(seg);
      // A name must tell a book apart: not the series' name, not one short word ("It").
      if (!want.length || series.has(want.join(' ')) || (want.length === 1 && (want[0].length < 5 || /^\d+$/.test(want[0])))) continue;
      for (let i = 0; i + want.length <= have.length; i++) {
        if (want.every((w, k) => have[i + k] === w)) hits.push({ book: b.sequence || b.title, start: i, end: i + want.length });
      }
    }
  }
  hits.sort((x, y) => y.end - y.start - (x.end - x.start));
  const taken: typeof hits = [];
  for (const h of hits) if (!taken.some((k) => h.start < k.end && k.start < h.end)) taken.push(h);
  return [...new Set(taken.sort((x, y) => x.start - y.start).map((h) => h.book))];
}

/** Words that never make a chunk of a torrent title another book's name. */
const NOT_A_TITLE = new Set(['unabridged', 'abridged', 'audiobook', 'audio', 'book', 'books', 'novel', 'edition', 'retail', 'm4b', 'mp3', 'series', 'read', 'narrated', 'by', 'and', 'of', 'the', 'a', 'an', 'in', 'vol', 'volume', 'part', 'kbps', 'aac', 'flac', 'uncut', 'complete', 'special', 'anniversary', 'deluxe', 'collectors', 'expanded', 'revised', 'original', 'version', 'new', 'translation', 'translated']);

/**
 * Titles listed next to the wanted one without the series' titles to go by: "Leviathan Wakes /
 * Caliban's War", "A, B, C", "A & B". Returns the chunks that name something else than the wanted
 * book, the series, its people, numbers or format noise (empty when the title lists nothing).
 */
export function otherListedTitles(torrentTitle: string, gapTitle: string, explainedBy: string[]): string[] {
  const clean = torrentTitle.replace(/\s*[([{][^)\]}]*[)\]}]\s*/g, ' ');
  const gapWords = words(gapTitle).filter((w) => !NOT_A_TITLE.has(w));
  if (!gapWords.length) return [];
  const known = new Set([...gapWords, ...explainedBy.flatMap(words)]);
  const lists: [RegExp, number][] = [[/\s[/+]\s|\s*;\s*/, 2], [/\s*,\s*/, 3], ...(/&|\band\b/i.test(gapTitle) ? [] : [[/\s&\s/, 2] as [RegExp, number]])];
  for (const [sep, min] of lists) {
    const chunks = clean.split(sep).map((c) => c.trim()).filter(Boolean);
    if (chunks.length < min) continue;
    // One chunk is the wanted title itself (give or take the series' name, its people, noise).
    const explained = new Set(explainedBy.flatMap(words));
    const holdsGap = chunks.some((c) => {
      const have = words(c).filter((w) => !NOT_A_TITLE.has(w) && !explained.has(w) && !/^\d/.test(w));
      return gapWords.every((w) => have.includes(w) || explained.has(w)) && have.every((w) => gapWords.includes(w));
    });
    // "Moby-Dick; or, The Whale": an alternative title, not another book.
    const others = chunks.filter((c) => !/^or\b/i.test(c) && words(c).some((w) => w.length >= 4 && !/^\d+$/.test(w) && !/^\d+k/.test(w) && !known.has(w) && !NOT_A_TITLE.has(w)));
    if (holdsGap && others.length >= min - 1) return others;
  }
  return [];
}
