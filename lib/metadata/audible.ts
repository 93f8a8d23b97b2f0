// Audible catalog (no account). Book ASIN → its series (the series' own ASIN) → the series'
// children with their sequence → details of the missing children, all batched and cached:
// owned ASINs are looked up 50 per request, each series once, missing members 50 per request.
import { z } from 'zod';
import { HttpClient } from '../http/client';
import { errorMessage } from '../errors';
import { normaliseAuthor, authorsMatch } from '../identity/names';
import { normaliseSeriesName } from '../identity/text';
import { inLanguage } from '../identity/language';
import { normaliseAsin } from '../identity/codes';
import { parseSequence, positionKey } from '../identity/sequence';
import { MetadataCache } from './cache';
import { chunk, getJson, USER_AGENT } from './fetch';
import { CircuitBreaker, type MetadataProvider, type ProviderBook, type SeriesOutcome, type SeriesQuery } from './provider';

export const AUDIBLE_HOSTS: Record<string, string> = {
  us: 'api.audible.com', ca: 'api.audible.ca', uk: 'api.audible.co.uk', au: 'api.audible.com.au', fr: 'api.audible.fr',
  de: 'api.audible.de', jp: 'api.audible.co.jp', it: 'api.audible.it', in: 'api.audible.in', es: 'api.audible.es', br: 'api.audible.com.br',
};

const PRODUCT_GROUPS = 'product_attrs,contributors,series';
const nullish = <T extends z.ZodType>(t: T) => t.nullish();
const product = z.object({
  asin: z.string(),
  title: nullish(z.string()),
  authors: nullish(z.array(z.object({ name: z.string() }))),
  series: nullish(z.array(z.object({ asin: nullish(z.string()), title: z.string(), sequence: nullish(z.string()) }))),
  release_date: nullish(z.string()),
  format_type: nullish(z.string()),
  language: nullish(z.string()),
  runtime_length_min: nullish(z.number()),
});
type Product = z.infer<typeof product>;
const productList = z.object({ products: z.array(product) });
const relationship = z.object({
  asin: z.string(),
  relationship_to_product: z.string(),
  relationship_type: z.string(),
  sequence: nullish(z.string()),
  sort: nullish(z.union([z.string(), z.number()])),
});
const seriesProduct = z.object({ product: z.object({ asin: z.string(), title: nullish(z.string()), relationships: nullish(z.array(relationship)) }) });
interface Child { asin: string; sequence: string; sort: number }
interface SeriesData { asin: string; title: string; children: Child[] }

export interface AudibleOptions {
  region?: string;
  /** Overrides the region's host (tests point it at the simulator). */
  baseUrl?: string;
  cache?: MetadataCache;
  minIntervalMs?: number;
  batchSize?: number;
  retries?: number;
  backoffMs?: number;
  timeoutMs?: number;
}

export class AudibleProvider implements MetadataProvider {
  readonly name = 'audible' as const;
  readonly client: HttpClient;
  private readonly base: string;
  private readonly region: string;
  private readonly cache: MetadataCache;
  private readonly batchSize: number;

  constructor(opts: AudibleOptions = {}) {
    this.region = opts.region ?? 'us';
    const host = AUDIBLE_HOSTS[this.region];
    if (!opts.baseUrl && !host) throw new Error(`Audible: unknown region "${this.region}" (use one of ${Object.keys(AUDIBLE_HOSTS).join(', ')})`);
    this.base = (opts.baseUrl ?? `https://${host}`).replace(/\/+$/, '');
    this.cache = opts.cache ?? MetadataCache.memoryless();
    this.batchSize = opts.batchSize ?? 50;
    this.client = new HttpClient({ service: 'Audible', minIntervalMs: opts.minIntervalMs ?? 500, retries: opts.retries, backoffMs: opts.backoffMs, timeoutMs: opts.timeoutMs });
  }

  requestCount(): number {
    return this.client.totalRequests();
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  async lookupSeries(queries: SeriesQuery[]): Promise<Map<string, SeriesOutcome>> {
    const out = new Map<string, SeriesOutcome>();
    const breaker = new CircuitBreaker();
    const fail = (ids: string[]) => ids.forEach((id) => out.has(id) || out.set(id, { provider: 'audible', status: 'failed', error: breaker.open ?? 'unknown error' }));
    try {
      const seriesOf = await this.resolveSeries(queries, out);
      const series = new Map<string, SeriesData | null>();
      for (const asin of new Set(seriesOf.values())) series.set(asin, await this.seriesData(asin));
      // Details only for children that may be gaps: not owned by ASIN, not at an owned position.
      const needed = new Set<string>();
      for (const q of queries) {
        const data = series.get(seriesOf.get(q.id) ?? '');
        const ownedAsins = new Set(q.books.map((b) => normaliseAsin(b.asin)));
        const ownedPositions = new Set(q.ownedPositions);
        for (const c of data?.children ?? []) {
          if (!ownedAsins.has(c.asin) && !ownedPositions.has(positionKey(parseSequence(c.sequence)) ?? '')) needed.add(c.asin);
        }
      }
      const details = await this.products([...needed]);
      for (const q of queries) {
        if (out.has(q.id)) continue;
        const data = series.get(seriesOf.get(q.id) ?? '');
        if (!data) {
          out.set(q.id, { provider: 'audible', status: 'not_found', reason: 'series not in the Audible catalog' });
          continue;
        }
        out.set(q.id, { provider: 'audible', status: 'found', series: { provider: 'audible', seriesId: `${this.region}:${data.asin}`, name: data.title, books: this.members(data, details, q.language) } });
      }
    } catch (err) {
      breaker.trip(errorMessage(err));
      fail(queries.map((q) => q.id));
    }
    return out;
  }

  async authorBooks(author: string, cap: number, language?: string): Promise<ProviderBook[]> {
    const key = `audible:${this.region}:author:${normaliseAuthor(author)}`;
    const list = await this.cache.through(key, async () => {
      const url = `${this.base}/1.0/catalog/products?author=${encodeURIComponent(author)}&num_results=50&products_sort_by=-ReleaseDate&response_groups=${PRODUCT_GROUPS}`;
      const res = await getJson(this.client, 'Audible', `the books by ${author}`, { url, headers: { 'user-agent': USER_AGENT } }, productList);
      return res?.products ?? [];
    });
    return (list ?? []).filter((p) => inLanguage(p.language, language)).map(toBook).filter((b) => authorsMatch(b.authors, [author])).slice(0, cap);
  }

  /** query id → series ASIN, trying up to three owned ASINs per series (regions differ). */
  private async resolveSeries(queries: SeriesQuery[], out: Map<string, SeriesOutcome>): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const candidates = new Map<string, string[]>();
    for (const q of queries) {
      const asins = [...new Set(q.books.map((b) => normaliseAsin(b.asin)).filter((a): a is string => !!a))].slice(0, 3);
      if (asins.length === 0) out.set(q.id, { provider: 'audible', status: 'not_found', reason: 'no owned book of the series has an ASIN' });
      else candidates.set(q.id, asins);
    }
    for (let round = 0; round < 3; round++) {
      const asking = queries.filter((q) => !found.has(q.id) && candidates.get(q.id)?.[round]);
      if (asking.length === 0) break;
      const products = await this.products(asking.map((q) => candidates.get(q.id)![round]));
      for (const q of asking) {
        const p = products.get(candidates.get(q.id)![round]);
        const key = normaliseSeriesName(q.name);
        const match = p?.series?.find((s) => s.asin && normaliseSeriesName(s.title) === key);
        if (match?.asin) found.set(q.id, match.asin);
      }
    }
    return found;
  }

  /** Product details by ASIN: cached ones from the store, the rest in batches. */
  private async products(asins: string[]): Promise<Map<string, Product>> {
    const result = new Map<string, Product>();
    const missing: string[] = [];
    for (const asin of new Set(asins)) {
      const hit = await this.cache.get<Product>(`audible:${this.region}:product:${asin}`);
      if (hit === undefined) missing.push(asin);
      else if (hit) result.set(asin, hit);
    }
    for (const batch of chunk(missing, this.batchSize)) {
      const url = `${this.base}/1.0/catalog/products?asins=${batch.join(',')}&response_groups=${PRODUCT_GROUPS}`;
      const res = await getJson(this.client, 'Audible', `the details of ${batch.length} products`, { url, headers: { 'user-agent': USER_AGENT } }, productList);
      const got = new Map((res?.products ?? []).map((p) => [p.asin, p]));
      for (const asin of batch) {
        const p = got.get(asin) ?? null;
        await this.cache.set(`audible:${this.region}:product:${asin}`, p);
        if (p) result.set(asin, p);
      }
    }
    return result;
  }

  private async seriesData(seriesAsin: string): Promise<SeriesData | null> {
    return this.cache.through(`audible:${this.region}:series:${seriesAsin}`, async () => {
      const url = `${this.base}/1.0/catalog/products/${encodeURIComponent(seriesAsin)}?response_groups=relationships,product_attrs`;
      const res = await getJson(this.client, 'Audible', `series ${seriesAsin}`, { url, headers: { 'user-agent': USER_AGENT } }, seriesProduct, true);
      if (!res) return null;
      const children = (res.product.relationships ?? [])
        .filter((r) => r.relationship_to_product === 'child' && r.relationship_type === 'series')
        .map((r) => ({ asin: r.asin, sequence: r.sequence ?? '', sort: Number(r.sort ?? 0) }));
      return { asin: seriesAsin, title: res.product.title ?? '', children };
    });
  }

  /**
   * One book per position: unabridged and not dramatised first, then catalog order. Editions
   * in another language than the series is wanted in are dropped (a translation is neither a
   * gap nor the title to search for); an edition whose language is unknown stays.
   */
  private members(data: SeriesData, details: Map<string, Product>, language: string | undefined): ProviderBook[] {
    const byPosition = new Map<string, Product[]>();
    for (const child of [...data.children].sort((a, b) => a.sort - b.sort)) {
      const p = details.get(child.asin) ?? { asin: child.asin };
      if (!inLanguage(p.language, language)) continue;
      const list = byPosition.get(child.sequence) ?? [];
      list.push(p);
      byPosition.set(child.sequence, list);
    }
    const rank = (p: Product) => (p.format_type === 'abridged' ? 2 : 0) + (/dramati[sz]ed|full[- ]cast/i.test(p.title ?? '') ? 1 : 0) + (p.title ? 0 : 4);
    const books: ProviderBook[] = [];
    for (const [sequence, list] of byPosition) {
      const best = [...list].sort((a, b) => rank(a) - rank(b))[0];
      books.push({ ...toBook(best), sequence });
    }
    return books;
  }
}

function toBook(p: Product): ProviderBook {
  return {
    sequence: p.series?.[0]?.sequence ?? '',
    ...(p.title ? { title: p.title } : {}),
    authors: (p.authors ?? []).map((a) => a.name),
    asin: p.asin,
    ...(p.release_date ? { releaseDate: p.release_date } : {}),
    ...(p.language ? { language: p.language } : {}),
    ...(p.runtime_length_min && p.runtime_length_min > 0 ? { durationSec: p.runtime_length_min * 60 } : {}),
    series: (p.series ?? []).map((s) => ({ name: s.title, sequence: s.sequence ?? '' })),
  };
}
