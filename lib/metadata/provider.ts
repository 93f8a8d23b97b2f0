// One interface for every series-metadata source (Audible, Hardcover, Goodreads). A provider
// answers for many series at once so it can batch and share its cache; each answer records
// which provider said it, so disagreements can be shown to the user.
import type { Book } from '../types';
import { errorMessage } from '../errors';
import type { MetadataCache } from './cache';

export type ProviderName = 'audible' | 'hardcover' | 'goodreads';

/** One series the library owns books of, as a provider is asked about it. */
export interface SeriesQuery {
  /** SeriesGroup.id */
  id: string;
  name: string;
  authors: string[];
  /** The owned books of the series (their ASIN/ISBN/title lead the provider to the series). */
  books: Book[];
  /** Position keys the library owns ("1", "2", "1.5", "2a"): no need to fetch their details. */
  ownedPositions: string[];
  /** Normalised language the series is wanted in ("english"): other editions are no gaps. */
  language?: string;
}

/** One book a provider lists in a series (or by an author). */
export interface ProviderBook {
  /** Position exactly as the provider wrote it ("3", "1.5", "1-3", ""). */
  sequence: string;
  title?: string;
  authors: string[];
  asin?: string;
  isbn?: string;
  /** YYYY-MM-DD (or YYYY when that is all the provider knows). */
  releaseDate?: string;
  /** The edition's language as the provider wrote it, when it says. */
  language?: string;
  /** Length of the audiobook in seconds (Audible's runtime): evidence for the search. */
  durationSec?: number;
  /** An omnibus / box set: never a gap itself. */
  compilation?: boolean;
  /** Series the book belongs to (author back-catalogue uses it to skip series books). */
  series?: { name: string; sequence: string }[];
}

export interface ProviderSeries {
  provider: ProviderName;
  /** The provider's own id for the series (Audible series ASIN, Hardcover id, Goodreads id). */
  seriesId: string;
  name: string;
  /** Number of primary works when the provider states it. */
  total?: number;
  books: ProviderBook[];
}

/** A provider's answer about one series: found, not known to it, or failed. */
export type SeriesOutcome =
  | { provider: ProviderName; status: 'found'; series: ProviderSeries }
  | { provider: ProviderName; status: 'not_found'; reason: string }
  | { provider: ProviderName; status: 'failed'; error: string };

export interface AuthorOutcome {
  provider: ProviderName;
  author: string;
  books: ProviderBook[];
  error?: string;
}

export interface MetadataProvider {
  readonly name: ProviderName;
  /** Answers for each query id; never throws for one series' failure. */
  lookupSeries(queries: SeriesQuery[]): Promise<Map<string, SeriesOutcome>>;
  /** Books by an author, at most `cap`, in `language` (normalised) when given; optional (not every source can list them). */
  authorBooks?(author: string, cap: number, language?: string): Promise<ProviderBook[]>;
  /** Requests made so far (the benchmark and tests read it). */
  requestCount(): number;
  close(): Promise<void>;
}

/**
 * Stops a provider after its first failure that will repeat (service down, token refused,
 * layout changed), so a run over 2,000 series does not hammer a broken service 2,000 times.
 */
export class CircuitBreaker {
  private error: string | undefined;

  get open(): string | undefined {
    return this.error;
  }

  trip(message: string): void {
    this.error ??= message;
  }
}

/** Reads through the cache, or only from it once the breaker is open (`undefined`: not there). */
export type CachedLookup = <T>(key: string, load: () => Promise<T | null>) => Promise<T | null | undefined>;

/**
 * Asks a provider about each series in turn (Hardcover, Goodreads). After its first failure
 * only cached answers are used, since they are still true; a series the cache does not hold
 * is then reported failed, never "not found".
 */
export async function lookupEach(
  provider: ProviderName, queries: SeriesQuery[], cache: MetadataCache, notFoundReason: string,
  find: (q: SeriesQuery, cached: CachedLookup) => Promise<ProviderSeries | null | undefined>,
): Promise<Map<string, SeriesOutcome>> {
  const out = new Map<string, SeriesOutcome>();
  const breaker = new CircuitBreaker();
  const cached: CachedLookup = (key, load) => (breaker.open ? cache.get(key) : cache.through(key, load));
  for (const q of queries) {
    try {
      const series = await find(q, cached);
      if (series === undefined) out.set(q.id, { provider, status: 'failed', error: breaker.open ?? 'unknown error' });
      else out.set(q.id, series ? { provider, status: 'found', series } : { provider, status: 'not_found', reason: notFoundReason });
    } catch (err) {
      breaker.trip(errorMessage(err));
      out.set(q.id, { provider, status: 'failed', error: errorMessage(err) });
    }
  }
  return out;
}
