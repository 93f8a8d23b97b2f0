// Local simulator of the three metadata sources, answering in their real formats (see
// ../shared/API-REFERENCE.md §4 and test/fixtures/metadata/): the Audible catalog, Hardcover
// GraphQL and Goodreads HTML pages. It counts hits per service and can fail on demand.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SimBook {
  asin: string;
  title: string;
  authors: string[];
  sequence: string;
  releaseDate?: string;
  formatType?: 'unabridged' | 'abridged';
  /** Audible `language` ("english" unless set): series lists include other-language editions. */
  language?: string;
  compilation?: boolean;
  /** Hardcover: a part of a split book ("Part 1 of 2"). */
  partial?: boolean;
  /** Hardcover: readers, used to order books sharing a position. */
  usersCount?: number;
}

export interface SimSeries {
  asin: string;
  /** Goodreads and Hardcover ids. */
  id: number;
  title: string;
  author: string;
  books: SimBook[];
}

type Service = 'audible' | 'hardcover' | 'goodreads';
interface Failure { status: number; retryAfter?: string; times: number; body?: string }

export class MetadataSim {
  readonly hits: Record<Service, number> = { audible: 0, hardcover: 0, goodreads: 0 };
  /** Changed markup / JSON: what the providers must report clearly. */
  changed: Partial<Record<Service, boolean>> = {};
  hardcoverToken = 'hc_pat_sim';
  /** Goodreads refuses (403) clients that do not look like a browser, as it does to bots. */
  goodreadsBrowsersOnly = false;
  /** User agents Goodreads requests arrived with. */
  readonly goodreadsAgents: string[] = [];
  url = '';
  private readonly failures = new Map<Service, Failure>();
  private readonly byAsin = new Map<string, { book: SimBook; series: SimSeries }>();
  private readonly seriesByAsin = new Map<string, SimSeries>();
  private readonly seriesById = new Map<number, SimSeries>();
  private server: Server | undefined;

  constructor(readonly series: SimSeries[]) {
    for (const s of series) {
      this.seriesByAsin.set(s.asin, s);
      this.seriesById.set(s.id, s);
      for (const b of s.books) this.byAsin.set(b.asin, { book: b, series: s });
    }
  }

  /** The next `times` requests to `service` answer `status` (with Retry-After when given). */
  fail(service: Service, status: number, times = 1, retryAfter?: string, body?: string): void {
    this.failures.set(service, { status, times, retryAfter, body });
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server?.closeAllConnections?.();
  }

  resetHits(): void {
    this.hits.audible = this.hits.hardcover = this.hits.goodreads = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim');
    const service: Service = url.pathname.startsWith('/1.0/') ? 'audible' : url.pathname === '/graphql' ? 'hardcover' : 'goodreads';
    this.hits[service]++;
    let body = '';
    for await (const chunk of req) body += chunk;
    const failure = this.failures.get(service);
    if (failure && failure.times > 0) {
      failure.times--;
      res.statusCode = failure.status;
      if (failure.retryAfter) res.setHeader('retry-after', failure.retryAfter);
      res.end(failure.body ?? 'failure');
      return;
    }
    if (service === 'audible') return this.audible(url, res);
    if (service === 'hardcover') return this.hardcover(req, body, res);
    const agent = String(req.headers['user-agent'] ?? '');
    this.goodreadsAgents.push(agent);
    if (this.goodreadsBrowsersOnly && !/Chrome\/\d+/.test(agent)) {
      res.statusCode = 403;
      res.end('<html><body>Request blocked.</body></html>');
      return;
    }
    return this.goodreads(url, res);
  }

  private json(res: ServerResponse, status: number, data: unknown): void {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(data));
  }

  private product(asin: string): Record<string, unknown> | undefined {
    const hit = this.byAsin.get(asin);
    if (!hit) return undefined;
    const { book, series } = hit;
    return {
      asin, title: book.title, subtitle: null, authors: book.authors.map((name) => ({ asin: null, name })), narrators: [{ name: 'Sim Reader' }],
      format_type: book.formatType ?? 'unabridged', language: book.language ?? 'english', release_date: book.releaseDate ?? '2015-06-02', issue_date: book.releaseDate ?? '2015-06-02',
      content_delivery_type: 'SinglePartBook', publication_name: series.title, runtime_length_min: 600,
      series: [{ asin: series.asin, title: series.title, sequence: book.sequence, url: `/pd/${series.asin}` }],
    };
  }

  private audible(url: URL, res: ServerResponse): void {
    if (this.changed.audible) return this.json(res, 200, { items: [{ id: 'x' }], response_groups: [] });
    const single = /^\/1\.0\/catalog\/products\/([A-Z0-9]+)$/.exec(url.pathname);
    if (single) {
      const series = this.seriesByAsin.get(single[1]);
      if (!series) return this.json(res, 404, { error_code: '000307', message: 'Requested product not found' });
      const relationships = series.books.map((b, i) => ({
        asin: b.asin, relationship_to_product: 'child', relationship_type: 'series', sequence: b.sequence, sort: String(i + 1), sku: `BK_${b.asin}`, sku_lite: `BK_${b.asin}`,
      }));
      return this.json(res, 200, { product: { asin: series.asin, title: series.title, content_delivery_type: 'BookSeries', relationships }, response_groups: ['relationships', 'product_attrs'] });
    }
    const asins = url.searchParams.get('asins');
    if (asins !== null) {
      const products = asins.split(',').map((a) => this.product(a)).filter(Boolean);
      return this.json(res, 200, { products, response_groups: (url.searchParams.get('response_groups') ?? '').split(',') });
    }
    const author = url.searchParams.get('author');
    if (author !== null) {
      const products = [...this.byAsin.values()].filter((h) => h.book.authors.includes(author)).map((h) => this.product(h.book.asin));
      return this.json(res, 200, { products, total_results: products.length });
    }
    this.json(res, 400, { message: 'Unsupported request' });
  }

  private hardcover(req: IncomingMessage, body: string, res: ServerResponse): void {
    if (req.headers.authorization !== `Bearer ${this.hardcoverToken}`) return this.json(res, 401, { error: 'Unable to verify token' });
    if (this.changed.hardcover) return this.json(res, 200, { data: { series_v2: [] } });
    const { query, variables } = JSON.parse(body) as { query: string; variables: { name: string } };
    // Hasura applies the query's filter and order; the sim honours the two the provider relies on.
    const noPartial = /is_partial_book:\s*\{_eq:\s*false\}/.test(query);
    const byReaders = /\{book:\s*\{users_count:\s*desc\}\}/.test(query);
    const series = this.series.filter((s) => s.title === variables.name).map((s) => ({
      id: s.id, name: s.title, books_count: s.books.length, primary_books_count: s.books.filter((b) => /^\d+$/.test(b.sequence)).length,
      author: { name: s.author },
      book_series: s.books.filter((b) => !(noPartial && b.partial))
        .sort((a, b) => parseFloat(a.sequence) - parseFloat(b.sequence) || (byReaders ? (b.usersCount ?? 0) - (a.usersCount ?? 0) : 0)).map((b) => ({
        position: parseFloat(b.sequence), details: b.compilation ? b.sequence : null, compilation: !!b.compilation,
        book: { id: s.id * 1000 + parseFloat(b.sequence), title: b.title, release_date: b.releaseDate ?? '2015-06-02' },
      })),
    }));
    this.json(res, 200, { data: { series } });
  }

  private html(res: ServerResponse, html: string): void {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(`<!DOCTYPE html><html><head><title>Goodreads</title></head><body>${html}</body></html>`);
  }

  private goodreads(url: URL, res: ServerResponse): void {
    if (url.pathname === '/search') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const rows = [...this.byAsin.values()].filter((h) => q.startsWith(h.book.title.toLowerCase())).slice(0, 10).map((h) => `
<tr itemscope itemtype="http://schema.org/Book"><td width="100%" valign="top">
<a class="bookTitle" itemprop="url" href="/book/show/${h.book.asin}-slug"><span itemprop='name' role='heading' aria-level='4'>${h.book.title} (${h.series.title}, #${h.book.sequence})</span></a><br/>
<span class='by'>by</span> <span itemprop='author' itemscope itemtype='http://schema.org/Person'><div class='authorName__container'><a class="authorName" itemprop="url" href="/author/show/1"><span itemprop="name">${h.book.authors[0]}</span></a></div></span>
</td></tr>`);
      return this.html(res, rows.length ? `<table class="tableList">${rows.join('')}</table>` : '<h3 class="searchSubNavContainer">No results.</h3>');
    }
    const book = /^\/book\/show\/([A-Z0-9]+)/.exec(url.pathname);
    if (book) {
      const hit = this.byAsin.get(book[1]);
      if (!hit) return void (res.statusCode = 404, res.end('not found'));
      return this.html(res, `<div class="BookPageTitleSection"><h3 class="Text Text__title3 Text__italic"><a href="https://www.goodreads.com/series/${hit.series.id}-slug" aria-label="Book ${hit.book.sequence} in the ${hit.series.title} series">${hit.series.title} #${hit.book.sequence}</a></h3><h1 class="Text Text__title1" data-testid="bookTitle">${hit.book.title}</h1></div>`);
    }
    const series = /^\/series\/(\d+)/.exec(url.pathname);
    const s = series ? this.seriesById.get(Number(series[1])) : undefined;
    if (!s) return void (res.statusCode = 404, res.end('not found'));
    if (this.changed.goodreads) return this.html(res, `<h1>${s.title}</h1><ul class="SeriesList">${s.books.map((b) => `<li>${b.title}</li>`).join('')}</ul>`);
    this.html(res, renderGoodreadsSeries(s));
  }
}

export function renderGoodreadsSeries(s: SimSeries): string {
  const primary = s.books.filter((b) => /^\d+$/.test(b.sequence)).length;
  const items = s.books.map((b) => `
<div class="listWithDividers__item">
  <h3 class="gr-h3 gr-h3--noBottomMargin">${b.sequence ? `Book ${b.sequence}` : ''}</h3>
  <div class="responsiveBook"><div class="objectLockupContent"><div class="u-paddingBottomXSmall">
    <a class="gr-h3 gr-h3--serif gr-h3--noMargin" itemprop="url" href="/book/show/${b.asin}-slug"><span itemprop="name">${b.title}</span></a>
    <div class="u-paddingBottomXSmall"><span itemprop="author" itemscope itemtype="http://schema.org/Person"><span class="gr-metaText">by </span><a class="gr-hyperlink" href="/author/show/1"><span itemprop="name">${b.authors[0]}</span></a></span></div>
    <div class="communityRating"><span class="communityRating__stars"></span> 4.20 avg rating — 1,234 ratings</div>
    <span class="gr-metaText">${publication(b.releaseDate)} · 12 editions</span>
  </div></div></div>
</div>`);
  return `<div class="responsiveSeriesHeader"><h1 class="gr-h1 gr-h1--serif">${s.title} Series</h1><div class="responsiveSeriesHeader__subtitle u-paddingBottomSmall">${primary} primary works • ${s.books.length} total works</div></div>
<div class="gr-col-md-8">${items.join('')}</div>`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Goodreads' wording: "published 2015", or "expected publication Mar 3, 2099" for future books. */
function publication(date = '2015-06-02'): string {
  if (date <= new Date().toISOString().slice(0, 10)) return `published ${date.slice(0, 4)}`;
  const [y, m, d] = date.split('-');
  return `expected publication ${MONTHS[Number(m) - 1]} ${Number(d)}, ${y}`;
}

/** A library and its catalog: `seriesCount` series of `perSeries` books; the library owns about
 * half of each (always book 1), with ASINs, so every provider has a way in. */
export function simulatedLibrary(seriesCount: number, perSeries: number): { series: SimSeries[]; books: import('../../lib/types').Book[] } {
  const series: SimSeries[] = [];
  const books: import('../../lib/types').Book[] = [];
  for (let s = 0; s < seriesCount; s++) {
    const author = `Author ${String.fromCharCode(65 + (s % 26))}${s} Writer`;
    const title = `Saga Number ${s}`;
    const asin = `S${String(s).padStart(9, '0')}`;
    const members: SimBook[] = [];
    for (let i = 1; i <= perSeries; i++) {
      const bookAsin = `B${String(s).padStart(6, '0')}${String(i).padStart(3, '0')}`;
      members.push({ asin: bookAsin, title: `Tale ${s} part ${i}`, authors: [author], sequence: String(i) });
      if (i === 1 || i % 2 === 0) {
        books.push({ id: `li_${s}_${i}`, libraryId: 'lib', title: `Tale ${s} part ${i}`, authors: [author], narrators: [], series: [{ name: title, sequence: String(i) }], asin: bookAsin, path: `/a/${s}/${i}`, addedAt: 0 });
      }
    }
    series.push({ asin, id: 1000 + s, title, author, books: members });
  }
  return { series, books };
}
