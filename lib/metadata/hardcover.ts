// Hardcover GraphQL (token from the hardcover-account config node). One request per series:
// the series by exact name with its book_series positions, compilation flags and the primary
// works count. Nesting stays at depth 3 (series → book_series → book), Hardcover's cap.
// As in Hardcover's own guide, partial books ("Part 1 of 2") are left out and, where several
// books share a position, the most read comes first (the analysis takes the first).
import { z } from 'zod';
import { ServiceError } from '../errors';
import { HttpClient } from '../http/client';
import { registerSecret } from '../secrets';
import { authorsMatch } from '../identity/names';
import { formatSequence } from '../identity/sequence';
import { MetadataCache } from './cache';
import { getJson, USER_AGENT } from './fetch';
import { lookupEach, type MetadataProvider, type ProviderBook, type ProviderSeries, type SeriesOutcome, type SeriesQuery } from './provider';

export const HARDCOVER_URL = 'https://api.hardcover.app/v1/graphql';

export const SERIES_QUERY = `query SeriesByName($name: String!) {
  series(where: {name: {_eq: $name}, canonical_id: {_is_null: true}, books_count: {_gt: 0}}, limit: 10) {
    id name books_count primary_books_count
    author { name }
    book_series(order_by: [{position: asc}, {book: {users_count: desc}}], where: {book: {canonical_id: {_is_null: true}, is_partial_book: {_eq: false}}}) {
      position details compilation
      book { id title release_date }
    }
  }
}`;

const seriesSchema = z.object({
  id: z.number(),
  name: z.string(),
  books_count: z.number().nullish(),
  primary_books_count: z.number().nullish(),
  author: z.object({ name: z.string() }).nullish(),
  book_series: z.array(z.object({
    position: z.number().nullish(),
    details: z.string().nullish(),
    compilation: z.boolean().nullish(),
    book: z.object({ id: z.number(), title: z.string().nullish(), release_date: z.string().nullish() }).nullish(),
  })),
});
const answerSchema = z.object({
  data: z.object({ series: z.array(seriesSchema) }).nullish(),
  errors: z.array(z.object({ message: z.string() })).nullish(),
});

export interface HardcoverOptions {
  token: string;
  url?: string;
  cache?: MetadataCache;
  /** ~60 requests/min on the free plan. */
  minIntervalMs?: number;
  retries?: number;
  backoffMs?: number;
  timeoutMs?: number;
  /** Largest answer read (the editor's Test reads little). */
  maxBodyBytes?: number;
}

export class HardcoverProvider implements MetadataProvider {
  readonly name = 'hardcover' as const;
  readonly client: HttpClient;
  private readonly url: string;
  private readonly auth: string;
  private cache: MetadataCache;

  constructor(opts: HardcoverOptions) {
    if (!opts.token?.trim()) throw new ServiceError('Hardcover', 'no API token: set one in the hardcover-account node', { code: 'config' });
    const token = opts.token.trim();
    registerSecret(token);
    this.auth = /^bearer /i.test(token) ? token : `Bearer ${token}`;
    registerSecret(this.auth);
    this.url = opts.url ?? HARDCOVER_URL;
    this.cache = opts.cache ?? MetadataCache.memoryless();
    this.client = new HttpClient({ service: 'Hardcover', minIntervalMs: opts.minIntervalMs ?? 1000, retries: opts.retries, backoffMs: opts.backoffMs, timeoutMs: opts.timeoutMs, maxBodyBytes: opts.maxBodyBytes });
  }

  /** The config node owns the provider; the series-gaps node hands it the store's cache. */
  useCache(cache: MetadataCache): void {
    this.cache = cache;
  }

  requestCount(): number {
    return this.client.totalRequests();
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  lookupSeries(queries: SeriesQuery[]): Promise<Map<string, SeriesOutcome>> {
    return lookupEach('hardcover', queries, this.cache, 'no Hardcover series with this name and author',
      (q, cached) => cached(`hardcover:series:${q.id}`, () => this.fetchSeries(q)));
  }

  /** Simple connectivity check for the config node's Test button. */
  async test(): Promise<string> {
    await this.query('the connection test', 'SeriesByName', { name: '__connection_test__' });
    return 'token accepted';
  }

  private async fetchSeries(q: SeriesQuery): Promise<ProviderSeries | null> {
    const list = await this.query(`series "${q.name}"`, 'SeriesByName', { name: q.name });
    const match = list.find((s) => s.author && authorsMatch([s.author.name], q.authors));
    if (!match) return null;
    const authors = match.author ? [match.author.name] : [];
    const books: ProviderBook[] = [];
    for (const entry of match.book_series) {
      if (entry.position === null || entry.position === undefined || !entry.book) continue;
      const compilation = entry.compilation === true;
      books.push({
        sequence: compilation && entry.details ? entry.details : formatSequence(entry.position),
        ...(entry.book.title ? { title: entry.book.title } : {}),
        authors,
        ...(entry.book.release_date ? { releaseDate: entry.book.release_date } : {}),
        compilation,
      });
    }
    return { provider: 'hardcover', seriesId: String(match.id), name: match.name, ...(match.primary_books_count ? { total: match.primary_books_count } : {}), books };
  }

  private async query(what: string, operationName: string, variables: Record<string, unknown>): Promise<z.infer<typeof seriesSchema>[]> {
    const body = JSON.stringify({ query: SERIES_QUERY, operationName, variables });
    const headers = { 'content-type': 'application/json', authorization: this.auth, 'user-agent': USER_AGENT };
    const res = await getJson(this.client, 'Hardcover', what, { method: 'POST', url: this.url, headers, body, idempotent: true }, answerSchema);
    // GraphQL reports errors with HTTP 200 and an `errors` array.
    if (res?.errors?.length) throw new ServiceError('Hardcover', `GraphQL error for ${what}: ${res.errors[0].message}`, { code: 'graphql' });
    if (!res?.data) throw new ServiceError('Hardcover', `answer to ${what} has neither data nor errors`, { code: 'malformed' });
    return res.data.series;
  }
}
