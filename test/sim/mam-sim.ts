// A local MyAnonamouse: the search endpoint in MAM's real response format (author/narrator/
// series JSON inside strings, sizes as text, numbers as strings, "Nothing returned, out of 0"),
// the .torrent download, jsonLoad.php, bonusBuy.php, cookie checks with rotation, the
// login page for a dead session, a torrent that is gone (an HTML page that is not the login
// page), and injectable faults (429, 403, redirect, error field). Search pages like MAM:
// `perpage` (clamped to 5..1000) rows from `startNumber`, with `found` the total.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mamRow, type RawMamRow } from './mam-rows';
import { createAccountSim } from './mam-account-sim';

export { mamRow, type FriendlyRow, type RawMamRow } from './mam-rows';

export type SimFault =
  | { type: 'login-page' | 'forbidden' | 'redirect' | 'server-error' | 'not-json'; count?: number; path?: string }
  | { type: 'rate-limit'; count?: number; retryAfter?: number; path?: string }
  | { type: 'error-field'; message: string; count?: number; path?: string };

export interface SimRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  cookie?: string;
  body?: unknown;
}

export interface MamSimOptions {
  mamId?: string;
  /** Send a new mam_id with every successful answer (the old one stops working). */
  rotate?: boolean;
  rows?: RawMamRow[];
  /** Answer each request this much later (makes overlapping requests visible in maxInFlight). */
  delayMs?: number;
}

export interface MamSimUser {
  username: string;
  uid: number;
  classname: string;
  ratio: number;
  uploaded_bytes: number;
  downloaded_bytes: number;
  seedbonus: number;
  wedges: number;
  unsat: { count: number; red: boolean; limit: number; size: number };
}

export async function startMamSim(opts: MamSimOptions = {}) {
  let mamId = opts.mamId ?? 'sim-mam-cookie-0';
  let rotations = 0;
  let fault: (SimFault & { left: number }) | null = null;
  const rows = new Map<number, RawMamRow>();
  const files = new Map<number, Buffer>();
  const dlTokens = new Map<string, number>();
  /** Torrents deleted from the site: still in old search answers, their download is an HTML notice. */
  const gone = new Set<number>();
  const requests: SimRequest[] = [];
  const user: MamSimUser = { username: 'simreader', uid: 4242, classname: 'Power User', ratio: 3.2, uploaded_bytes: 320e9, downloaded_bytes: 100e9, seedbonus: 5000, wedges: 3, unsat: { count: 12, red: false, limit: 100, size: 0 } };
  const wedgesSpent: number[] = [];
  const account = createAccountSim();
  for (const r of opts.rows ?? []) rows.set(Number(r.id), r);

  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => setTimeout(() => handle(req, res, Buffer.concat(chunks).toString('utf8')), opts.delayMs ?? 0));
  });

  function handle(req: IncomingMessage, res: ServerResponse, rawBody: string): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    const cookie = /(?:^|;\s*)mam_id=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    let body: unknown;
    try { body = rawBody ? JSON.parse(rawBody) : undefined; } catch { body = rawBody; }
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), cookie, body });

    const dlMatch = /^\/tor\/download\.php\/([0-9a-f]+)$/.exec(url.pathname);
    if (dlMatch) return sendTorrent(res, dlTokens.get(dlMatch[1]));
    if (fault && (!fault.path || url.pathname.startsWith(fault.path)) && fault.left > 0) {
      fault.left--;
      return sendFault(res, fault);
    }
    if (account.handle(url.pathname, cookie === mamId, res)) return;
    if (cookie !== mamId) return loginPage(res);
    if (opts.rotate) {
      mamId = `sim-mam-cookie-${++rotations}-${randomBytes(6).toString('hex')}`;
      res.setHeader('set-cookie', `mam_id=${mamId}; expires=Wed, 01-Jan-2031 00:00:00 GMT; path=/; domain=127.0.0.1; secure; HttpOnly`);
    }
    if (url.pathname === '/tor/js/loadSearchJSONbasic.php') return json(res, search(body as SearchBody));
    if (url.pathname === '/tor/download.php') return sendTorrent(res, Number(url.searchParams.get('tid')));
    if (url.pathname === '/jsonLoad.php') return json(res, url.searchParams.has('snatch_summary') ? user : { ...user, unsat: undefined });
    if (url.pathname.startsWith('/json/bonusBuy.php')) return json(res, wedge(Number(url.searchParams.get('torrentid'))));
    res.statusCode = 404;
    res.end('<html><body>Not found</body></html>');
  }

  interface SearchBody { tor?: { text?: string; srchIn?: Record<string, unknown> | string[]; searchType?: string; main_cat?: (number | string)[]; browse_lang?: (number | string)[]; startNumber?: string }; perpage?: number; dlLink?: unknown }

  function search(b: SearchBody | undefined) {
    const tor = b?.tor ?? {};
    const fields = Array.isArray(tor.srchIn) ? tor.srchIn : Object.keys(tor.srchIn ?? { title: 1 });
    const words = norm(tor.text ?? '').split(' ').filter(Boolean);
    const cats = (tor.main_cat ?? []).map(Number);
    const langs = (tor.browse_lang ?? []).map(Number);
    const hits = [...rows.values()].filter((r) => {
      if (cats.length && !cats.includes(Number(r.main_cat))) return false;
      if (langs.length && !langs.includes(Number(r.language))) return false;
      if (tor.searchType === 'active' && Number(r.seeders) < 1) return false;
      if (tor.searchType === 'fl' && !Number(r.free) && !Number(r.personal_freeleech)) return false;
      if (tor.searchType === 'fl-VIP' && !Number(r.free) && !Number(r.vip) && !Number(r.personal_freeleech)) return false;
      const hay = norm(fields.map((f) => (f === 'title' ? r.title : f === 'series' ? seriesNames(r.series_info) : String((r as unknown as Record<string, unknown>)[`${f}_info`] ?? ''))).join(' '));
      return words.every((w) => hay.split(' ').includes(w));
    });
    if (!hits.length) return { error: 'Nothing returned, out of 0' };
    // MAM's default order for a text search (equal relevance here): newest upload first.
    hits.sort((a, b) => Number(b.id) - Number(a.id));
    const start = Math.max(0, Number(tor.startNumber ?? 0) || 0);
    const perpage = Math.min(1000, Math.max(5, Number(b?.perpage ?? 25) || 25));
    if (start >= hits.length) return { error: `Nothing returned, out of ${hits.length}` };
    const data = hits.slice(start, start + perpage).map((r) => {
      if (b?.dlLink === undefined) return r;
      const dl = randomBytes(16).toString('hex');
      dlTokens.set(dl, Number(r.id));
      return { ...r, dl };
    });
    return { perpage, start, data, total: hits.length, found: hits.length };
  }

  function wedge(id: number) {
    const r = rows.get(id);
    if (!r) return { success: false, error: 'Invalid torrent' };
    if (Number(r.vip)) return { success: false, error: 'This Torrent is VIP' };
    if (Number(r.free)) return { success: false, error: 'Cannot spend FL Wedges on Freeleech Picks' };
    if (Number(r.personal_freeleech)) return { success: false, error: 'This is already a personal freeleech' };
    if (user.wedges < 1) return { success: false, error: 'Not enough FL Wedges' };
    user.wedges--;
    r.personal_freeleech = 1;
    wedgesSpent.push(id);
    return { success: true };
  }

  function sendTorrent(res: ServerResponse, id: number | undefined): void {
    if (id !== undefined && gone.has(id)) {
      res.setHeader('content-type', 'text/html; charset=UTF-8');
      res.end('<!DOCTYPE html><html><head><title>My Anonamouse</title></head><body><div class="error">Torrent not found. It may have been deleted.</div></body></html>');
      return;
    }
    const file = id === undefined ? undefined : files.get(id);
    if (!file) {
      res.statusCode = 404;
      res.end('<html><body>No such torrent</body></html>');
      return;
    }
    res.setHeader('content-type', 'application/x-bittorrent');
    res.end(file);
  }

  function sendFault(res: ServerResponse, f: SimFault): void {
    if (f.type === 'login-page') return loginPage(res);
    if (f.type === 'forbidden') { res.statusCode = 403; res.end('Session ASN mismatch'); return; }
    if (f.type === 'redirect') { res.statusCode = 302; res.setHeader('location', '/login.php'); res.end(); return; }
    if (f.type === 'server-error') { res.statusCode = 500; res.end('<html>500</html>'); return; }
    if (f.type === 'not-json') { res.end('{"data": [ oops'); return; }
    if (f.type === 'rate-limit') {
      res.statusCode = 429;
      if (f.retryAfter !== undefined) res.setHeader('retry-after', String(f.retryAfter));
      res.end('Too Many Requests');
      return;
    }
    if (f.type === 'error-field') json(res, { error: f.message });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    user,
    wedgesSpent,
    /** Dynamic seedbox endpoint and IP/ASN refusals (test/sim/mam-account-sim.ts). */
    account,
    get currentMamId() { return mamId; },
    /** The most requests MAM saw at once (politeness: must stay 1 per account). */
    get maxInFlight() { return maxInFlight; },
    /** Makes a cookie the valid one (e.g. the user pasted a new session). */
    setMamId(value: string) { mamId = value; },
    addRow(row: RawMamRow) { rows.set(Number(row.id), row); },
    addTorrent(id: number, torrentFile: Buffer, row?: Partial<RawMamRow>) {
      files.set(id, torrentFile);
      rows.set(id, { ...mamRow({ id, title: `Torrent ${id}`, authors: ['Sim Author'] }), ...row, id: String(id) });
    },
    /** The torrent was deleted on MAM: its download now answers an HTML notice (not the login page). */
    removeTorrent(id: number) { gone.add(id); },
    /** A fault for the next `count` requests (default: until cleared with null). */
    setFault(f: SimFault | null) { fault = f ? { ...f, left: f.count ?? Number.POSITIVE_INFINITY } : null; },
    searches() { return requests.filter((r) => r.path === '/tor/js/loadSearchJSONbasic.php'); },
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export type MamSim = Awaited<ReturnType<typeof startMamSim>>;

function loginPage(res: ServerResponse): void {
  res.setHeader('content-type', 'text/html; charset=UTF-8');
  res.end('<!DOCTYPE html><html><head><title>Login | My Anonamouse</title></head><body><form action="/takelogin.php" method="post"><input name="email"><input type="password" name="password"></form></body></html>');
}

function json(res: ServerResponse, value: unknown): void {
  res.setHeader('content-type', 'application/json; charset=UTF-8');
  res.end(JSON.stringify(value));
}

/** The series field matches series names, not positions: "Discworld 15" finds titles that say 15. */
function seriesNames(info: string): string {
  try {
    return Object.values(JSON.parse(info) as Record<string, unknown[]>).map((v) => String(v[0] ?? '')).join(' ');
  } catch {
    return info;
  }
}

function norm(s: string): string {
  return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/['’]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}
