// The one HTTP layer: undici with a timeout per request, retry with exponential backoff
// (honouring Retry-After) and a rate-limited lane per host. Callers get every status back
// and decide what it means for their service; only transport failures throw here.
import { Agent, request, type Dispatcher } from 'undici';
import { ServiceError, type ServiceName } from '../errors';
import { HostLane, sleep } from './rate-limit';

export interface HttpClientOptions {
  service: ServiceName;
  timeoutMs?: number;
  /** Extra attempts after the first for network errors, 429 and 502/503/504. */
  retries?: number;
  backoffMs?: number;
  /** Longest Retry-After we are willing to sleep through; longer ones fail as transient. */
  maxRetryAfterMs?: number;
  minIntervalMs?: number;
  /** Largest answer read; undici stops reading beyond it (default 64 MiB; the editor's Test uses less). */
  maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  /** POSTs are retried only when the caller says they are safe to repeat. */
  idempotent?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  url: string;
  text(): string;
  setCookies(): string[];
}

const RETRY_STATUS = new Set([429, 502, 503, 504]);

export class HttpClient {
  readonly service: ServiceName;
  private readonly agent: Agent;
  private readonly lanes = new Map<string, HostLane>();
  private readonly opts: Required<Omit<HttpClientOptions, 'service' | 'maxBodyBytes'>>;
  private readonly maxBodyBytes: number;
  /** Counts requests per host; the benchmark and tests read it. */
  readonly requestCount = new Map<string, number>();

  constructor(options: HttpClientOptions) {
    this.service = options.service;
    this.opts = {
      timeoutMs: options.timeoutMs ?? 15000,
      retries: options.retries ?? 2,
      backoffMs: options.backoffMs ?? 500,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60000,
      minIntervalMs: options.minIntervalMs ?? 0,
    };
    this.maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.agent = new Agent({ keepAliveTimeout: 4000, connections: 4, maxResponseSize: this.maxBodyBytes });
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.url);
    const method = req.method ?? 'GET';
    const canRetry = method === 'GET' || req.idempotent === true;
    let attempt = 0;
    for (;;) {
      const res = await this.lane(url.host).run(() => this.once(url, method, req));
      const retryable = res === 'timeout' || (res instanceof Error && (res as { code?: string }).code !== 'UND_ERR_RES_EXCEEDED_MAX_SIZE') || (!(res instanceof Error) && RETRY_STATUS.has(res.status));
      if (!retryable || !canRetry || attempt >= this.opts.retries) return this.finish(res, url, req);
      const delay = res instanceof Error || res === 'timeout' ? undefined : retryAfterMs(res);
      if (delay !== undefined && delay > this.opts.maxRetryAfterMs) return this.finish(res, url, req);
      await sleep(delay ?? this.opts.backoffMs * 2 ** attempt);
      attempt++;
    }
  }

  /** Requests sent so far to every host, retries included. */
  totalRequests(): number {
    let total = 0;
    for (const n of this.requestCount.values()) total += n;
    return total;
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }

  private lane(host: string): HostLane {
    let lane = this.lanes.get(host);
    if (!lane) this.lanes.set(host, (lane = new HostLane(this.opts.minIntervalMs)));
    return lane;
  }

  private async once(url: URL, method: string, req: HttpRequest): Promise<HttpResponse | Error | 'timeout'> {
    this.requestCount.set(url.host, (this.requestCount.get(url.host) ?? 0) + 1);
    const timeoutMs = req.timeoutMs ?? this.opts.timeoutMs;
    try {
      const res = await request(url, {
        method: method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.body,
        dispatcher: this.agent,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      return toResponse(res.statusCode, res.headers, body, url.toString());
    } catch (err) {
      const e = err as Error & { name?: string; code?: string };
      if (e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'UND_ERR_HEADERS_TIMEOUT' || e.code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
      return e;
    }
  }

  private finish(res: HttpResponse | Error | 'timeout', url: URL, req: HttpRequest): HttpResponse {
    const where = `${url.protocol}//${url.host}`;
    if (res === 'timeout') {
      const secs = Math.round((req.timeoutMs ?? this.opts.timeoutMs) / 100) / 10;
      throw new ServiceError(this.service, `no answer from ${where} within ${secs} s (timeout)`, { transient: true, code: 'timeout' });
    }
    if (res instanceof Error && (res as { code?: string }).code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') {
      throw new ServiceError(this.service, `the answer from ${where} is larger than ${Math.round(this.maxBodyBytes / 1024)} KiB; not read`, { code: 'too-large', cause: res });
    }
    if (res instanceof Error) {
      const code = (res as { code?: string }).code ?? (res.cause as { code?: string } | undefined)?.code ?? res.name;
      throw new ServiceError(this.service, `cannot reach ${where} (${code})`, { transient: true, code: 'unreachable', cause: res });
    }
    return res;
  }
}

function toResponse(status: number, headers: Record<string, string | string[] | undefined>, body: Buffer, url: string): HttpResponse {
  return {
    status,
    headers,
    body,
    url,
    text: () => body.toString('utf8'),
    setCookies: () => {
      const raw = headers['set-cookie'];
      return raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    },
  };
}

function retryAfterMs(res: HttpResponse): number | undefined {
  const raw = res.headers['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Parses a JSON body, or throws a ServiceError that names the service and what came instead. */
export function parseJson(service: ServiceName, res: HttpResponse): unknown {
  const text = res.text();
  try {
    return JSON.parse(text);
  } catch {
    const snippet = text.slice(0, 60).replace(/\s+/g, ' ').trim();
    throw new ServiceError(service, `answered with something that is not JSON (HTTP ${res.status}: "${snippet}")`, { status: res.status, code: 'malformed' });
  }
}
