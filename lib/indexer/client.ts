// Talking to indexers over the one HTTP layer (lib/http: timeouts, retries with backoff,
// Retry-After, one lane per host, so at most one request at a time per indexer): a Torznab
// feed (Jackett or any Torznab endpoint) and Prowlarr (its indexer list and JSON search, one
// request per indexer). API keys are registered as secrets; errors name the service and say
// what went wrong, never the URL's query (which carries the key).
import { ServiceError, type ServiceName } from '../errors';
import { HttpClient, parseJson, type HttpResponse } from '../http/client';
import { validate } from '../schema';
import { registerSecret } from '../secrets';
import { capsOf, indexerListSchema, indexerStatusSchema, releaseListSchema, releaseOf, type ProwlarrIndexer } from './prowlarr-schema';
import { cleanRelease } from './links';
import { capsFromXml, pageFromXml, readTorznab } from './torznab-schema';
import type { IndexerCaps, IndexerEndpoint, IndexerPage, IndexerQuery, IndexerRelease } from './types';

export interface IndexerClientOptions { timeoutMs?: number; retries?: number; backoffMs?: number; minIntervalMs?: number; maxRetryAfterMs?: number; maxBodyBytes?: number }

/** A status that is not 2xx, as a ServiceError the user can act on. */
export function statusError(service: ServiceName, what: string, res: HttpResponse): ServiceError {
  const s = res.status;
  if (s === 401 || s === 403) return new ServiceError(service, `rejected the API key for ${what} (HTTP ${s})`, { status: s, code: 'unauthorized' });
  if (s === 429) return new ServiceError(service, `rate limited ${what} (HTTP 429; Retry-After too long or retries used up)`, { status: s, transient: true, code: 'rate_limited' });
  if (s >= 500) return new ServiceError(service, `failed ${what} (HTTP ${s})`, { status: s, transient: true, code: 'http' });
  return new ServiceError(service, `refused ${what} (HTTP ${s})`, { status: s, code: s === 400 ? 'rejected' : 'http' });
}

/** A Torznab feed: ".../api" or the feed's base URL (Jackett's "Copy Torznab Feed"). */
export class TorznabFeed implements IndexerEndpoint {
  readonly key = 'torznab';
  /** Download URLs holding a tracker secret, by guid: memory only (links.ts). */
  readonly privateLinks = new Map<string, string>();
  private capsMemo?: Promise<IndexerCaps>;
  /** Categories this indexer refused with HTTP 400 although its caps list them. */
  private refusedCategories = false;

  constructor(readonly http: HttpClient, private readonly feedUrl: string, private readonly apiKey: string, readonly name = 'Torznab') {
    registerSecret(apiKey);
  }

  caps(): Promise<IndexerCaps> {
    this.capsMemo ??= this.get({ t: 'caps' }, 't=caps').then(capsFromXml);
    this.capsMemo.catch(() => { this.capsMemo = undefined; });
    return this.capsMemo;
  }

  async search(q: IndexerQuery): Promise<IndexerPage> {
    const cats = this.refusedCategories ? [] : q.categories;
    const params: Record<string, string> = { t: q.mode, offset: String(q.offset), limit: String(q.limit), ...(cats.length ? { cat: cats.join(',') } : {}) };
    if (q.mode === 'book') Object.assign(params, q.author ? { author: q.author } : {}, q.title ? { title: q.title } : {});
    else params.q = q.q ?? '';
    try {
      const page = pageFromXml(await this.get(params, 'the search'), this.name);
      return { ...page, releases: page.releases.map((r) => cleanRelease(r, this.apiKey, this.privateLinks)) };
    } catch (err) {
      // Some indexers answer 400 to a category after all: search once more without one, and
      // from then on never send one (the ranking's category check still applies).
      if (!(err instanceof ServiceError) || err.code !== 'rejected' || !cats.length) throw err;
      this.refusedCategories = true;
      return this.search(q);
    }
  }

  private async get(params: Record<string, string>, what: string): Promise<string> {
    const url = new URL(this.apiUrl());
    for (const [k, v] of Object.entries({ ...params, apikey: this.apiKey })) url.searchParams.set(k, v);
    const res = await this.http.request({ url: url.toString(), headers: { accept: 'application/rss+xml, application/xml, text/xml' } });
    const body = res.text();
    if (res.status >= 200 && res.status < 300) return body;
    // An <error/> body says more than the status (bad key, bad parameter).
    if (/<error\b/i.test(body)) readTorznab(body, what);
    throw statusError('Torznab', what, res);
  }

  private apiUrl(): string {
    const u = new URL(this.feedUrl);
    if (!/\/api\/?$/.test(u.pathname)) u.pathname = `${u.pathname.replace(/\/?$/, '/')}api`;
    u.search = '';
    return u.toString();
  }
}

/** Prowlarr: lists its indexers; each enabled torrent indexer is searched on its own. */
export class ProwlarrServer {
  readonly privateLinks = new Map<string, string>();
  constructor(readonly http: HttpClient, private readonly baseUrl: string, private readonly apiKey: string) {
    registerSecret(apiKey);
  }

  async status(): Promise<{ version: string }> {
    const data = await this.getJson('/api/v1/system/status', {}, 'the status');
    return { version: String((data as { version?: unknown }).version ?? '?') };
  }

  async indexers(): Promise<ProwlarrIndexer[]> {
    return validate('Prowlarr', 'the indexer list', indexerListSchema, await this.getJson('/api/v1/indexer', {}, 'the indexer list'));
  }

  /** The enabled torrent indexers (those with the given ids, when any are given). */
  async endpoints(ids: number[] = []): Promise<IndexerEndpoint[]> {
    const all = await this.indexers();
    return all.filter((ix) => ix.enable !== false && (ix.protocol ?? 'torrent') === 'torrent' && (!ids.length || ids.includes(ix.id)))
      .map((ix) => ({ key: String(ix.id), name: ix.name, caps: async () => capsOf(ix), search: (q: IndexerQuery) => this.search(ix, q), failedSince: (since: Date) => this.failedSince(ix.id, since) }));
  }

  /** Prowlarr's record of the indexer's last failure (GET /api/v1/indexerstatus) is at or after `since`. */
  async failedSince(indexerId: number, since: Date): Promise<boolean> {
    const list = validate('Prowlarr', 'the indexer status', indexerStatusSchema, await this.getJson('/api/v1/indexerstatus', {}, 'the indexer status'));
    const last = Date.parse(list.find((s) => s.indexerId === indexerId)?.mostRecentFailure ?? '');
    return Number.isFinite(last) && last >= since.getTime();
  }

  async search(ix: ProwlarrIndexer, q: IndexerQuery): Promise<IndexerPage> {
    const params: Record<string, string | string[]> = { query: prowlarrQuery(q), type: q.mode, indexerIds: [String(ix.id)], limit: String(q.limit), offset: String(q.offset), ...(q.categories.length ? { categories: q.categories.map(String) } : {}) };
    const data = validate('Prowlarr', 'the search', releaseListSchema, await this.getJson('/api/v1/search', params, `the search on ${ix.name}`, ix.name));
    const page: IndexerPage = { releases: [], unreadable: [] };
    for (const raw of data) {
      const r = releaseOf(raw, ix.name);
      if ('guid' in r) page.releases.push(cleanRelease(r as IndexerRelease, this.apiKey, this.privateLinks));
      else page.unreadable.push(r);
    }
    return page;
  }

  private async getJson(path: string, params: Record<string, string | string[]>, what: string, indexer?: string): Promise<unknown> {
    const url = new URL(path.replace(/^\//, ''), this.baseUrl.replace(/\/?$/, '/'));
    for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, one);
    const res = await this.http.request({ url: url.toString(), headers: { 'x-api-key': this.apiKey, accept: 'application/json' } });
    if (res.status < 200 || res.status >= 300) throw prowlarrError(what, res, indexer);
    return parseJson('Prowlarr', res);
  }
}

/**
 * Prowlarr's query text. A book search (type=book) carries its fields as tokens that Prowlarr
 * reads out of the text ("{Title:…}{Author:…}", NewznabRequest.QueryToParams) and passes on as
 * the indexer's t=book title/author; caps.ts asks for one only where the indexer's
 * bookSearchParams list those fields (Prowlarr skips an indexer that lacks one). Braces would
 * end a token early: they are dropped from the values.
 */
export function prowlarrQuery(q: IndexerQuery): string {
  if (q.mode !== 'book') return q.q ?? '';
  const token = (name: string, value: string | undefined) => (value ? `{${name}:${value.replace(/[{}]/g, ' ').trim()}}` : '');
  return token('Title', q.title) + token('Author', q.author);
}

/** A Prowlarr error answer: its {"message": …} says more than the status. */
export function prowlarrError(what: string, res: HttpResponse, indexer?: string): ServiceError {
  let message = '';
  try { message = String((JSON.parse(res.text()) as { message?: unknown }).message ?? '').replace(/\s+/g, ' ').trim().slice(0, 200); } catch { /* not Prowlarr's JSON */ }
  // Prowlarr keeps an indexer's own error (e.g. a 400 to a category) in its log, answers that
  // search as if empty, and disables the indexer for a while: the next search says only this.
  if (indexer && res.status === 400 && /indexers being unavailable/i.test(message)) {
    return new ServiceError('Prowlarr', `${indexer} is disabled in Prowlarr after a failed search (HTTP 400: "${message}"); Prowlarr's log says why, e.g. the indexer refused a category`, { status: 400, transient: true, code: 'unavailable' });
  }
  const err = statusError('Prowlarr', what, res);
  return message ? new ServiceError('Prowlarr', `${err.message.replace(/^Prowlarr: /, '')}: "${message}"`, { status: err.status, transient: err.transient, code: err.code }) : err;
}

export function indexerHttp(service: 'Prowlarr' | 'Torznab', o: IndexerClientOptions = {}): HttpClient {
  return new HttpClient({ service, timeoutMs: o.timeoutMs ?? 30_000, retries: o.retries ?? 2, backoffMs: o.backoffMs ?? 1000, minIntervalMs: o.minIntervalMs ?? 1000, maxRetryAfterMs: o.maxRetryAfterMs ?? 60_000, ...(o.maxBodyBytes ? { maxBodyBytes: o.maxBodyBytes } : {}) });
}
