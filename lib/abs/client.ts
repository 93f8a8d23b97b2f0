// Audiobookshelf REST client over the shared HttpClient. One instance per abs-server config
// node. Every answer is validated; every failure is a ServiceError that says what ABS did.
import type { z } from 'zod';
import { HttpClient, parseJson, type HttpResponse } from '../http/client';
import { ServiceError } from '../errors';
import { validate } from '../schema';
import { registerSecret } from '../secrets';
import { expiryWarning, unauthorizedHint } from './token';
import {
  batchSchema, itemPageSchema, librariesSchema, meSchema, pingSchema, searchSchema, statusSchema, tasksSchema,
  type AbsItemPage, type AbsLibrary, type AbsMe, type AbsRawItem, type AbsTask,
} from './schemas';

const SERVICE = 'Audiobookshelf';

export interface AbsClientOptions {
  /** Origin plus optional router base path, e.g. "http://nas:13378/audiobookshelf". */
  baseUrl: string;
  /** API key (Settings → API Keys, must be active), legacy user token, or access token. */
  token: string;
  timeoutMs?: number;
  retries?: number;
  /** Default page size for readers of this client. */
  pageSize?: number;
  /** Largest answer read (the editor's Test reads little). */
  maxBodyBytes?: number;
}

export interface ListItemsOptions {
  limit: number;
  page: number;
  /** Required: without a sort ABS emits no ORDER BY and pages may overlap. */
  sort: string;
  desc?: boolean;
  /** Raw ABS filter, e.g. "series.<encodeURIComponent(base64(id))>" (see seriesFilter). */
  filter?: string;
}

export interface AbsServerInfo {
  /** null when only /ping answered (very old server or a proxy hiding /status). */
  version: string | null;
  isInit: boolean;
}

export class AbsClient {
  readonly baseUrl: string;
  readonly pageSize: number;
  private readonly token: string;
  private readonly http: HttpClient;

  constructor(opts: AbsClientOptions) {
    this.baseUrl = (opts.baseUrl ?? '').trim().replace(/\/+$/, '');
    this.token = (opts.token ?? '').trim();
    this.pageSize = opts.pageSize ?? 200;
    registerSecret(this.token);
    this.http = new HttpClient({ service: SERVICE, timeoutMs: opts.timeoutMs ?? 15000, retries: opts.retries ?? 2, maxBodyBytes: opts.maxBodyBytes });
  }

  /** Requests sent so far (all hosts, retries included); the benchmark reads it. */
  get requestCount(): number {
    return this.http.totalRequests();
  }

  /** GET /status (no auth); falls back to /ping. Throws code 'not-abs' for anything else. */
  async serverInfo(): Promise<AbsServerInfo> {
    const res = await this.http.request({ url: this.url('/status') });
    const body = tryJson(res);
    const parsed = statusSchema.safeParse(body);
    if (res.status === 200 && parsed.success && parsed.data.app.toLowerCase() === 'audiobookshelf') {
      return { version: parsed.data.serverVersion ?? null, isInit: parsed.data.isInit ?? true };
    }
    if (res.status === 404) {
      const ping = await this.http.request({ url: this.url('/ping') });
      if (ping.status === 200 && pingSchema.safeParse(tryJson(ping)).data?.success === true) return { version: null, isInit: true };
    }
    throw this.notAbs(res);
  }

  async listLibraries(): Promise<AbsLibrary[]> {
    return (await this.getJson('/api/libraries', 'the library list', librariesSchema)).libraries;
  }

  async listItems(libraryId: string, opts: ListItemsOptions): Promise<AbsItemPage> {
    const q = new URLSearchParams({ limit: String(opts.limit), page: String(opts.page), sort: opts.sort });
    if (opts.desc) q.set('desc', '1');
    // The filter value is already URI-encoded base64; URLSearchParams would encode it twice.
    const filter = opts.filter ? `&filter=${opts.filter}` : '';
    const path = `/api/libraries/${encodeURIComponent(libraryId)}/items?${q.toString()}${filter}`;
    return this.getJson(path, `page ${opts.page} of library ${libraryId}`, itemPageSchema);
  }

  /** POST /api/items/batch/get: expanded items (series[], authors[]) for many ids at once. */
  async batchGetItems(ids: string[]): Promise<AbsRawItem[]> {
    if (ids.length === 0) return []; // ABS answers 403 "Invalid payload" to an empty list.
    const res = await this.send('POST', '/api/items/batch/get', `${ids.length} items (batch/get)`, JSON.stringify({ libraryItemIds: ids }));
    return validate(SERVICE, 'batch/get', batchSchema, parseJson(SERVICE, res)).libraryItems;
  }

  async getItem(id: string): Promise<AbsRawItem> {
    const res = await this.send('GET', `/api/items/${encodeURIComponent(id)}?expanded=1`, `item ${id}`);
    return validate(SERVICE, `item ${id}`, batchSchema.shape.libraryItems.element, parseJson(SERVICE, res));
  }

  /** Text search over title/subtitle and substring on ASIN/ISBN; returns expanded items. */
  async searchBooks(libraryId: string, query: string, limit = 12): Promise<AbsRawItem[]> {
    const q = new URLSearchParams({ q: query, limit: String(limit) });
    const body = await this.getJson(`/api/libraries/${encodeURIComponent(libraryId)}/search?${q}`, `search in library ${libraryId}`, searchSchema);
    return body.book.map((b) => b.libraryItem);
  }

  /** Starts a background scan; ABS answers at once (watch getTasks or the socket). */
  async scanLibrary(libraryId: string): Promise<void> {
    await this.send('POST', `/api/libraries/${encodeURIComponent(libraryId)}/scan`, `scan of library ${libraryId}`);
  }

  async getTasks(): Promise<AbsTask[]> {
    return (await this.getJson('/api/tasks', 'the task list', tasksSchema)).tasks;
  }

  /** The user behind the key. Its legacy `token` (socket auth) is registered as a secret. */
  async me(): Promise<AbsMe> {
    const me = await this.getJson('/api/me', 'the current user', meSchema);
    registerSecret(me.token);
    return me;
  }

  /** "Audiobookshelf 2.36.0, 3 libraries", or throws the exact reason. */
  async testConnection(): Promise<string> {
    const info = await this.serverInfo();
    if (!info.isInit) throw new ServiceError(SERVICE, 'the server has not been set up yet (no root user)', { code: 'not-initialised' });
    const libraries = await this.listLibraries();
    const n = libraries.length;
    const warning = expiryWarning(this.token);
    return `Audiobookshelf ${info.version ?? '(version unknown)'}, ${n} ${n === 1 ? 'library' : 'libraries'}${warning ? ` (warning: ${warning})` : ''}`;
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  private url(path: string): string {
    let base: URL;
    try {
      base = new URL(this.baseUrl);
    } catch {
      throw new ServiceError(SERVICE, `the server URL "${this.baseUrl}" is not a valid URL`, { code: 'config' });
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new ServiceError(SERVICE, `the server URL must start with http:// or https:// (got "${base.protocol}")`, { code: 'config' });
    }
    // Plain concatenation keeps a router base path such as /audiobookshelf.
    return `${this.baseUrl}${path}`;
  }

  private async getJson<S extends z.ZodType>(path: string, what: string, schema: S): Promise<z.infer<S>> {
    const res = await this.send('GET', path, what);
    return validate(SERVICE, what, schema, parseJson(SERVICE, res));
  }

  private async send(method: 'GET' | 'POST', path: string, what: string, body?: string): Promise<HttpResponse> {
    if (!this.token) throw new ServiceError(SERVICE, 'no API key configured', { code: 'config' });
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    // batch/get only reads, so repeating it after a dropped connection is safe.
    const res = await this.http.request({ method, url: this.url(path), headers, body, idempotent: method === 'GET' || path.endsWith('/batch/get') });
    if (res.status >= 200 && res.status < 300) return res;
    throw statusError(res, what, this.token);
  }

  private notAbs(res: HttpResponse): ServiceError {
    const type = String(res.headers['content-type'] ?? 'no content type').split(';')[0];
    return new ServiceError(SERVICE, `${this.baseUrl} is not an Audiobookshelf server (GET /status answered HTTP ${res.status}, ${type})`, { status: res.status, code: 'not-abs' });
  }
}

/** filter value for one series: ABS wants encodeURIComponent(base64(seriesId)). */
export function seriesFilter(seriesId: string): string {
  return `series.${encodeURIComponent(Buffer.from(seriesId, 'utf8').toString('base64'))}`;
}

function statusError(res: HttpResponse, what: string, token: string): ServiceError {
  const s = res.status;
  const text = res.text().slice(0, 60).replace(/\s+/g, ' ').trim();
  // ABS's 401 is a bare "Unauthorized": the token's own claims say which mistake it is.
  if (s === 401) return new ServiceError(SERVICE, `rejected the API key (401)${unauthorizedHint(token)}`, { status: s, code: 'unauthorized' });
  if (s === 403) return new ServiceError(SERVICE, `refused access to ${what} (403${text ? `: ${text}` : ''}) — the key's user lacks permission`, { status: s, code: 'forbidden' });
  if (s === 404) return new ServiceError(SERVICE, `${what} not found (404${text ? `: ${text}` : ''})`, { status: s, code: 'not-found' });
  if (s >= 500) return new ServiceError(SERVICE, `server error on ${what} (HTTP ${s})`, { status: s, transient: true, code: 'server-error' });
  return new ServiceError(SERVICE, `unexpected HTTP ${s} on ${what}${text ? ` ("${text}")` : ''}`, { status: s, code: 'http' });
}

function tryJson(res: HttpResponse): unknown {
  try {
    return JSON.parse(res.text());
  } catch {
    return undefined;
  }
}
