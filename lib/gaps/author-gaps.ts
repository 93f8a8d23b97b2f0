// Books of the authors the library owns that are in none of its series (kind "author"), up
// to a cap per author; a book the library or a series gap already has is left out.
import type { Gap } from '../types';
import type { AuthorOutcome } from '../metadata/provider';
import { authorsKey, normaliseAuthor } from '../identity/names';
import { normaliseSeriesName, normaliseTitle } from '../identity/text';
import { normaliseAsin } from '../identity/codes';
import type { OwnedIndex } from './owned';
import type { SeriesGroup } from './series';

export function authorGaps(outcomes: AuthorOutcome[], groups: SeriesGroup[], owned: OwnedIndex, seriesGaps: Gap[], options: { authorCap?: number }, now: Date): Gap[] {
  const seriesKeys = new Set(groups.map((g) => g.nameKey));
  const taken = new Set(seriesGaps.flatMap((g) => [normaliseAsin(g.asin), g.title ? normaliseTitle(g.title) : undefined]).filter(Boolean));
  const out: Gap[] = [];
  const seen = new Set<string>();
  for (const outcome of outcomes) {
    let n = 0;
    for (const book of outcome.books) {
      if (n >= (options.authorCap ?? 10)) break;
      if (!book.title?.trim() || book.compilation || owned.match(book)) continue;
      // Books of a series the library owns are the series analysis' business.
      if (book.series?.some((s) => seriesKeys.has(normaliseSeriesName(s.name)))) continue;
      const asin = normaliseAsin(book.asin);
      const titleKey = normaliseTitle(book.title);
      if ((asin && taken.has(asin)) || taken.has(titleKey)) continue;
      const key = asin ? `asin:${asin}` : `author:${authorsKey(book.authors.length ? book.authors : [outcome.author])}|${titleKey}`;
      if (seen.has(key)) continue;
      seen.add(key);
      n++;
      out.push({
        key,
        kind: 'author',
        status: isFuture(book.releaseDate, now) ? 'unreleased' : 'wanted',
        title: book.title,
        authors: book.authors.length ? book.authors : [outcome.author],
        ...(book.series?.[0] ? { series: book.series[0].name, sequence: book.series[0].sequence } : {}),
        ...(asin ? { asin } : {}),
        ...(book.isbn ? { isbn: book.isbn } : {}),
        ...(book.releaseDate ? { releaseDate: book.releaseDate } : {}),
        ...(book.durationSec ? { expectedDurationSec: book.durationSec, expectedDurationFrom: 'metadata' as const } : {}),
        source: outcome.provider,
        reason: `${outcome.provider} lists "${book.title}" by ${outcome.author}, not in the library`,
        reasons: [`${outcome.provider}: by ${normaliseAuthor(outcome.author)}`],
      });
    }
  }
  return out;
}

/** A release date after now (a bare year counts from its last day). */
export function isFuture(date: string | undefined, now: Date): boolean {
  if (!date) return false;
  const t = Date.parse(/^\d{4}$/.test(date) ? `${date}-12-31` : date);
  return Number.isFinite(t) && t > now.getTime();
}
