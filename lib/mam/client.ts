// MyAnonamouse client. One request at a time per account with a minimum interval (MAM takes
// sessions away from tools that burst), the newest rotated mam_id adopted before the next
// request, and every "you are not signed in" shape turned into ONE clear session error.
import { HttpClient, parseJson, type HttpResponse } from '../http/client';
import { sleep } from '../http/rate-limit';
import { ServiceError } from '../errors';
import { validate } from '../schema';
import { registerSecret, replaceSecret } from '../secrets';
import { describeBody, looksLikeLogin } from './login-page';
import { parseRows, searchResponseSchema } from './rows';
import { userSchema, wedgeSchema, type MamSearchQuery, type MamSearchResult, type MamUserStatus, type WedgeOutcome } from './api';
import { networkRefusal } from './account-refusals';


export const MAM_DEFAULT_URL = 'https://www.myanonamouse.net';
export const SESSION_EXPIRED = 'MAM session expired: create a new session and paste its mam_id';
const MAX_RETRY_AFTER_MS = 60_000;
let clients = 0;

export interface MamClientOptions {
  baseUrl?: string;
  mamId: string;
  minIntervalMs?: number;
  timeoutMs?: number;
  /** Attempts after the first on 429/5xx (GET and search only). */
  retries?: number;
  backoffMs?: number;
  onCookieRotated?: (newMamId: string) => void | Promise<void>;
  /** Called once before the first request: a rotated cookie saved earlier replaces mamId. */
  restoreCookie?: () => Promise<string | undefined>;
  /** Largest answer read (the editor's Test reads little). */
  maxBodyBytes?: number;
}

export type { SearchType, SearchField, MamSearchQuery, MamSearchResult, MamUserStatus, WedgeOutcome } from './api';

export class MamClient {
  private readonly http: HttpClient;
  private readonly baseUrl: string;
  private mamId: string;
  private chain: Promise<unknown> = Promise.resolve();
  /** This client's rotated mam_id in the redaction list: each rotation replaces the last. */
  private readonly secretSlot = `mam-rotated:${++clients}`;
  private readonly opts: { retries: number; backoffMs: number; onCookieRotated?: MamClientOptions['onCookieRotated'] };

  constructor(options: MamClientOptions) {
    if (!options.mamId) throw new ServiceError('MyAnonamouse', 'no mam_id configured: create a session under Preferences → Security and paste its mam_id', { code: 'session_expired' });
    this.baseUrl = (options.baseUrl ?? MAM_DEFAULT_URL).replace(/\/+$/, '');
    this.mamId = options.mamId;
    registerSecret(options.mamId);
    this.opts = { retries: options.retries ?? 2, backoffMs: options.backoffMs ?? 2000, onCookieRotated: options.onCookieRotated };
    // Our own retries (not the HTTP layer's) so each attempt carries the newest cookie.
    // The first request waits for the saved rotated cookie (a dead one would end the session).
    if (options.restoreCookie) {
      this.chain = options.restoreCookie().then((saved) => {
        if (saved) { this.mamId = saved; replaceSecret(this.secretSlot, saved); }
      }, () => undefined);
    }
    this.http = new HttpClient({ service: 'MyAnonamouse', timeoutMs: options.timeoutMs ?? 20000, retries: 0, minIntervalMs: options.minIntervalMs ?? 3000, maxBodyBytes: options.maxBodyBytes });
  }

  /** Requests sent so far (the run's politeness budget and the tests read it). */
  get requestCount(): number {
    return this.http.totalRequests();
  }

  async search(q: MamSearchQuery): Promise<MamSearchResult> {
    const body = {
      tor: {
        text: q.text,
        srchIn: Object.fromEntries(q.srchIn.map((f) => [f, 'true'])),
        searchType: q.searchType ?? 'all',
        searchIn: 'torrents',
        main_cat: q.mainCat ?? [13],
        browse_lang: q.langs ?? [],
        sortType: 'default',
        startNumber: String(q.startNumber ?? 0),
      },
      perpage: q.perpage ?? 50,
      mediaInfo: '',
    };
    const res = await this.send('POST', '/tor/js/loadSearchJSONbasic.php', JSON.stringify(body));
    const data = validate('MyAnonamouse', 'the search', searchResponseSchema, this.json(res));
    if ('error' in data) {
      if (/^Nothing returned, out of/i.test(data.error)) return { torrents: [], rejected: [], found: 0 };
      throw expired(`MAM said "${data.error.slice(0, 80)}"`);
    }
    const { torrents, rejected } = parseRows(data.data);
    return { torrents, rejected, found: data.found ?? data.total_found ?? data.total ?? data.data.length };
  }

  async userStatus(): Promise<MamUserStatus> {
    const res = await this.send('GET', '/jsonLoad.php?snatch_summary');
    const json = this.json(res);
    if (!json || typeof json !== 'object' || !(json as { username?: unknown }).username) throw expired('no username in jsonLoad');
    const u = validate('MyAnonamouse', 'the user status (jsonLoad.php)', userSchema, json);
    return {
      username: u.username,
      uid: u.uid,
      classname: u.classname,
      ratio: u.ratio,
      uploadedBytes: u.uploaded_bytes,
      downloadedBytes: u.downloaded_bytes,
      seedbonus: u.seedbonus,
      wedges: u.wedges,
      unsatisfied: u.unsat ? { count: u.unsat.count, limit: u.unsat.limit ?? Number.POSITIVE_INFINITY } : null,
    };
  }

  /** Spends one freeleech wedge on a torrent (irreversible). "Already free/VIP" are outcomes, not errors. */
  async buyWedge(torrentId: number): Promise<WedgeOutcome> {
    const ts = Date.now();
    const res = await this.send('GET', `/json/bonusBuy.php/${ts}?spendtype=personalFL&torrentid=${torrentId}&timestamp=${ts}`, undefined, false);
    const data = validate('MyAnonamouse', 'the wedge purchase', wedgeSchema, this.json(res));
    if (data.success === true || data.success === 1) return 'bought';
    const error = data.error ?? '';
    if (/VIP/i.test(error)) return 'vip';
    if (/Freeleech Picks/i.test(error)) return 'global_freeleech';
    if (/already a personal freeleech/i.test(error)) return 'already_personal';
    throw new ServiceError('MyAnonamouse', `could not spend a freeleech wedge on torrent ${torrentId}: ${error || 'no reason given'}`, { code: 'wedge_failed' });
  }

  /** The .torrent file (it holds the user's passkey: never log it). */
  async downloadTorrent(torrentId: number): Promise<Buffer> {
    const res = await this.send('GET', `/tor/download.php?tid=${encodeURIComponent(String(torrentId))}`);
    if (res.status === 404) throw new ServiceError('MyAnonamouse', `torrent ${torrentId} not found (404)`, { status: 404, code: 'not_found' });
    if (res.status >= 400) throw new ServiceError('MyAnonamouse', `download of torrent ${torrentId} failed (HTTP ${res.status})`, { status: res.status, code: 'http' });
    // The login page instead of bencode is the session, not this torrent: the caller stops.
    if (looksLikeLogin(res)) throw expired(`the download of torrent ${torrentId} answered with the login page`);
    if (res.body.length === 0 || res.body[0] !== 0x64) throw new ServiceError('MyAnonamouse', `torrent ${torrentId} is gone or unavailable: the download answered ${describeBody(res)} instead of a .torrent`, { status: res.status, code: 'not_torrent' });
    return res.body;
  }

  async close(): Promise<void> {
    await this.http.close();
    // The next client (a redeploy restores the same cookie) registers it in its own slot.
    replaceSecret(this.secretSlot, undefined);
  }

  /**
   * One GET (path or absolute URL, e.g. MAM's tracker host) in the same lane and cookie chain,
   * answered as it is: no retry, no session mapping. lib/mam/account-seedbox.ts reads the
   * dynamic seedbox answers (429, 403 …) itself.
   */
  rawGet(pathOrUrl: string): Promise<HttpResponse> {
    return this.send('GET', pathOrUrl, undefined, false, true);
  }

  /** Serialises requests: the next one starts only after this one (and its cookie) is done. */
  private send(method: 'GET' | 'POST', path: string, body?: string, retry = true, raw = false): Promise<HttpResponse> {
    const run = this.chain.then(() => this.attempts(method, path, body, retry, raw));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async attempts(method: 'GET' | 'POST', path: string, body: string | undefined, retry: boolean, raw = false): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt++) {
      const res = await this.http.request({
        method,
        url: /^https?:\/\//.test(path) ? path : `${this.baseUrl}${path}`,
        body,
        headers: {
          cookie: `mam_id=${this.mamId}`,
          'user-agent': 'node-red-contrib-audiobook-gaps',
          accept: 'application/json, */*',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
      });
      await this.adoptCookie(res);
      if (raw) return res;
      if (res.status >= 300 && res.status < 400) throw expired(`redirected to ${String(res.headers.location ?? 'the login page')}`);
      // An IP- or ASN-locked session used from another network: say so, not "expired".
      const refusal = networkRefusal(res.status, res.text());
      if (refusal) throw refusal;
      if (res.status === 401 || res.status === 403) throw expired(`HTTP ${res.status}${reasonOf(res)}`, res.status);
      const again = res.status === 429 || res.status >= 500;
      if (!again) return res;
      const wait = retryAfter(res);
      // A Retry-After beyond a minute is MAM asking us to go away: retrying sooner is hammering.
      if (!retry || attempt >= this.opts.retries || (wait ?? 0) > MAX_RETRY_AFTER_MS) {
        const what = res.status === 429 ? 'is rate limiting us (429): try again later' : `answered HTTP ${res.status}`;
        throw new ServiceError('MyAnonamouse', what, { status: res.status, transient: true, code: res.status === 429 ? 'rate_limited' : 'http' });
      }
      await sleep(wait ?? this.opts.backoffMs * 2 ** attempt);
    }
  }

  private async adoptCookie(res: HttpResponse): Promise<void> {
    for (const line of res.setCookies()) {
      // Kept verbatim: it arrives URL-encoded and decoding it breaks the session.
      const m = /^\s*mam_id=([^;]+)/.exec(line);
      if (!m || m[1] === this.mamId || m[1] === 'deleted') continue;
      this.mamId = m[1];
      replaceSecret(this.secretSlot, m[1]);
      try {
        await this.opts.onCookieRotated?.(m[1]);
      } catch {
        // Persisting failed; the in-memory cookie still keeps this process's session alive.
      }
    }
  }

  private json(res: HttpResponse): unknown {
    // Where JSON is due, any HTML is a session that MAM no longer honours (API-REFERENCE 2.1).
    if (looksLikeLogin(res) || res.body.subarray(0, 64).toString('utf8').trimStart().startsWith('<')) throw expired('MAM answered with its login page');
    return parseJson('MyAnonamouse', res);
  }
}

function expired(detail: string, status?: number): ServiceError {
  return new ServiceError('MyAnonamouse', `${SESSION_EXPIRED} (${detail})`, { status, code: 'session_expired' });
}

function reasonOf(res: HttpResponse): string {
  const text = res.text().replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 60);
  return text ? `: ${text}` : '';
}

function retryAfter(res: HttpResponse): number | undefined {
  const raw = res.headers['retry-after'];
  const secs = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isFinite(secs) && raw !== undefined ? secs * 1000 : undefined;
}
