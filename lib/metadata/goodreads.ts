// Goodreads series pages (no account, no API since 2020). Finding a series id costs a search
// and a book page once (cached for the TTL); the series page itself is one request. Plain
// HTTP first; when Goodreads refuses it (403/503) and a Chromium path is set, the optional
// browser transport retries the page.
import { ServiceError } from '../errors';
import { HttpClient } from '../http/client';
import { authorsMatch } from '../identity/names';
import { normaliseSeriesName, normaliseTitle } from '../identity/text';
import { BrowserTransport } from './browser';
import { MetadataCache } from './cache';
import { USER_AGENT } from './fetch';
import { parseBookSeriesLinks, parseSearch, parseSeriesPage, stripSeriesSuffix } from './goodreads-parse';
import { lookupEach, type MetadataProvider, type ProviderSeries, type SeriesOutcome, type SeriesQuery } from './provider';

export interface GoodreadsOptions {
  baseUrl?: string;
  cache?: MetadataCache;
  /** Goodreads throttles at about one request per second. */
  minIntervalMs?: number;
  /** System Chromium for the browser transport; empty = plain HTTP only. */
  chromiumPath?: string;
  retries?: number;
  backoffMs?: number;
  timeoutMs?: number;
}

const REFUSED = new Set([403, 503]);

export class GoodreadsProvider implements MetadataProvider {
  readonly name = 'goodreads' as const;
  readonly client: HttpClient;
  private readonly base: string;
  private readonly cache: MetadataCache;
  private readonly browser: BrowserTransport | undefined;
  private browserRequests = 0;

  constructor(opts: GoodreadsOptions = {}) {
    this.base = (opts.baseUrl ?? 'https://www.goodreads.com').replace(/\/+$/, '');
    this.cache = opts.cache ?? MetadataCache.memoryless();
    this.client = new HttpClient({ service: 'Goodreads', minIntervalMs: opts.minIntervalMs ?? 1000, retries: opts.retries, backoffMs: opts.backoffMs, timeoutMs: opts.timeoutMs });
    this.browser = opts.chromiumPath ? new BrowserTransport(opts.chromiumPath) : undefined;
  }

  requestCount(): number {
    return this.client.totalRequests() + this.browserRequests;
  }

  async close(): Promise<void> {
    await this.client.close();
    await this.browser?.close();
  }

  lookupSeries(queries: SeriesQuery[]): Promise<Map<string, SeriesOutcome>> {
    return lookupEach('goodreads', queries, this.cache, 'no Goodreads series found from the owned books', async (q, cached) => {
      const id = await cached(`goodreads:seriesid:${q.id}`, () => this.findSeriesId(q));
      if (id === undefined) return undefined;
      return id ? cached(`goodreads:series:${id}`, () => this.seriesPage(id)) : null;
    });
  }

  /** Search an owned book, open it, take its series link whose name matches. */
  private async findSeriesId(q: SeriesQuery): Promise<string | null> {
    const nameKey = normaliseSeriesName(q.name);
    for (const book of q.books.slice(0, 2)) {
      const url = `${this.base}/search?q=${encodeURIComponent(`${book.title} ${book.authors[0] ?? ''}`.trim())}&search_type=books`;
      const rows = parseSearch(await this.html(url, `the search for "${book.title}"`), url);
      const titleKey = normaliseTitle(book.title);
      const row = rows.find((r) => normaliseTitle(stripSeriesSuffix(r.title)) === titleKey && authorsMatch(r.authors, book.authors));
      if (!row) continue;
      const bookUrl = new URL(row.href, `${this.base}/`).toString();
      const links = parseBookSeriesLinks(await this.html(bookUrl, `the book page of "${book.title}"`), bookUrl);
      const link = links.find((l) => normaliseSeriesName(l.name) === nameKey);
      if (link) return link.id;
    }
    return null;
  }

  private async seriesPage(id: string): Promise<ProviderSeries> {
    const url = `${this.base}/series/${id}`;
    const page = parseSeriesPage(await this.html(url, `series ${id}`), url);
    return { provider: 'goodreads', seriesId: id, name: page.name, ...(page.primaryWorks ? { total: page.primaryWorks } : {}), books: page.books };
  }

  private async html(url: string, what: string): Promise<string> {
    const res = await this.client.request({ url, headers: { 'user-agent': USER_AGENT, accept: 'text/html' } });
    if (res.status === 200) return res.text();
    if (REFUSED.has(res.status) && this.browser) {
      this.browserRequests++;
      const viaBrowser = await this.browser.get(url);
      if (viaBrowser.status === 200) return viaBrowser.html;
      throw new ServiceError('Goodreads', `HTTP ${viaBrowser.status} for ${what}, also through the browser`, { status: viaBrowser.status });
    }
    const transient = res.status === 429 || res.status >= 500;
    throw new ServiceError('Goodreads', `HTTP ${res.status} for ${what}${REFUSED.has(res.status) ? ' (refused; set a Chromium path to use the browser transport)' : ''}`, { status: res.status, transient });
  }
}
