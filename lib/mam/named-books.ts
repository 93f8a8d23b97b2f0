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
