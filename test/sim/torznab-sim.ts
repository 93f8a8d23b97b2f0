// A local Torznab endpoint shaped like Jackett: one feed per indexer at
// /api/v2.0/indexers/<slug>/results/torznab/api, answering t=caps (the caps document),
// t=search and t=book (RSS 2.0 with torznab:attr), paging with offset/limit, <error/> XML
// for a wrong API key or an unsupported function, HTTP 400 to a category an indexer does not
// list (when it is set to), and injectable faults (a status with Retry-After, malformed XML,
// an <error/>). Downloads at /dl/<slug>/<guid>?apikey=... (or ?passkey=..., a tracker's
// private link) serve the release's .torrent.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { capsXml, errorXml, listedCategories, matches, placeholderTorrent, queryWords, rssXml, type SimIndexer } from './indexer-data';

export { AUDIO_BOOKS, BOOKS, simRelease, type SimIndexer, type SimRelease } from './indexer-data';

/** `skip`: that many requests pass before the fault starts (e.g. the indexer list or t=caps). */
export type IndexerSimFault = { skip?: number } & (
  | { type: 'status'; status: number; retryAfter?: number; body?: string; count?: number }
  | { type: 'malformed'; count?: number }
  | { type: 'error'; code: number; description: string; count?: number });

export interface IndexerSimRequest { path: string; query: Record<string, string>; apiKeyHeader?: string }

export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** Shared by both simulators: the fault countdown, the request log and in-flight counting. */
export function simCore() {
  let fault: (IndexerSimFault & { left: number; pass: number }) | null = null;
  const requests: IndexerSimRequest[] = [];
  const inFlight = new Map<string, number>();
  let maxInFlight = 0;
  return {
    requests,
    get maxInFlight() { return maxInFlight; },
    enter(key: string) { const n = (inFlight.get(key) ?? 0) + 1; inFlight.set(key, n); maxInFlight = Math.max(maxInFlight, n); },
    leave(key: string) { inFlight.set(key, (inFlight.get(key) ?? 1) - 1); },
    setFault(f: IndexerSimFault | null) { fault = f ? { ...f, left: f.count ?? Number.POSITIVE_INFINITY, pass: f.skip ?? 0 } : null; },
    /** Sends the pending fault, if any; `malformed` is the service's own broken body. */
    sendFault(res: ServerResponse, malformed: string): boolean {
      if (!fault || fault.left <= 0) return false;
      if (fault.pass > 0) { fault.pass--; return false; }
      fault.left--;
      const f = fault;
      if (f.type === 'status') {
        res.statusCode = f.status;
        if (f.retryAfter !== undefined) res.setHeader('retry-after', String(f.retryAfter));
        res.end(f.body ?? `HTTP ${f.status}`);
      } else if (f.type === 'malformed') res.end(malformed);
      else { res.setHeader('content-type', 'application/xml'); res.end(errorXml(f.code, f.description)); }
      return true;
    },
  };
}

export async function startTorznabSim(opts: { apiKey?: string; indexers: SimIndexer[]; delayMs?: number }) {
  const apiKey = opts.apiKey ?? 'torznab-sim-key';
  const core = simCore();
  const bySlug = new Map(opts.indexers.map((ix) => [slug(ix.name), ix]));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const key = url.pathname.split('/')[4] ?? url.pathname;
    core.enter(key);
    res.on('close', () => core.leave(key));
    setTimeout(() => handle(req, res, url), opts.delayMs ?? 0);
  });

  function handle(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const query = Object.fromEntries(url.searchParams);
    core.requests.push({ path: url.pathname, query });
    const parts = url.pathname.split('/').filter(Boolean);
    const xml = (status: number, body: string) => { res.statusCode = status; res.setHeader('content-type', 'application/rss+xml; charset=utf-8'); res.end(body); };
    if (parts[0] === 'dl') return download(res, parts[1], decodeURIComponent(parts[2] ?? ''), query.apikey, query.passkey);
    const ix = parts[0] === 'api' && parts[1] === 'v2.0' && parts[2] === 'indexers' ? bySlug.get(parts[3]) : undefined;
    if (!ix || parts.slice(4).join('/') !== 'results/torznab/api') return xml(404, errorXml(203, 'Function Not Available: no such indexer'));
    if (query.apikey !== apiKey) return xml(401, errorXml(100, 'Invalid API Key'));
    if (core.sendFault(res, '<?xml version="1.0"?><rss><channel><item><title>Broken')) return;
    if (query.t === 'caps') return xml(200, capsXml(ix));
    if (query.t !== 'search' && query.t !== 'book') return xml(400, errorXml(203, `Function Not Available: ${query.t ?? '(none)'}`));
    if (query.t === 'book' && !ix.bookSearch) return xml(400, errorXml(203, 'Function Not Available: book-search'));
    const cats = (query.cat ?? '').split(',').filter(Boolean).map(Number);
    const listed = listedCategories(ix);
    const unknown = cats.filter((c) => !listed.includes(c));
    const refused = cats.filter((c) => ix.rejectCategories?.includes(c));
    if (refused.length) return xml(400, errorXml(201, `Incorrect parameter: category ${refused.join(',')} is not supported`));
    if (unknown.length && ix.rejectUnknownCategory) return xml(400, errorXml(201, `Incorrect parameter: category ${unknown.join(',')} is not supported`));
    const words = query.t === 'book' ? queryWords(query.q, query.author, query.title) : queryWords(query.q);
    const hits = ix.releases.filter((r) => matches(r, words) && (!cats.length || r.categories.some((c) => cats.includes(c) || cats.includes(Math.floor(c / 1000) * 1000))));
    const max = ix.maxLimit ?? 100;
    const limit = Math.min(Number(query.limit) || max, max);
    const offset = Number(query.offset) || 0;
    const base = `http://${req.headers.host}/dl/${slug(ix.name)}`;
    xml(200, rssXml(ix, hits.slice(offset, offset + limit), offset, hits.length, (r) => `${base}/${encodeURIComponent(r.guid)}?${r.passkey ? `passkey=${r.passkey}` : `apikey=${apiKey}`}&file=${encodeURIComponent(r.title)}`));
  }

  function download(res: ServerResponse, ixSlug: string | undefined, guid: string, key: string | undefined, passkey: string | undefined): void {
    const r = ixSlug ? bySlug.get(ixSlug)?.releases.find((x) => x.guid === guid) : undefined;
    // A tracker's own link authorises by the user's passkey instead of the API key.
    if (key !== apiKey && !(r?.passkey && passkey === r.passkey)) { res.statusCode = 401; res.end('Unauthorized'); return; }
    if (!r) { res.statusCode = 404; res.end('Not found'); return; }
    res.setHeader('content-type', 'application/x-bittorrent');
    res.end(r.file ?? placeholderTorrent(r));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    apiKey,
    /** The feed URL a user pastes for one indexer (Jackett's "Copy Torznab Feed"). */
    feedUrl: (name: string) => `${origin}/api/v2.0/indexers/${slug(name)}/results/torznab/`,
    indexers: opts.indexers,
    requests: core.requests,
    /** Most requests one indexer saw at once (must stay 1). */
    get maxInFlight() { return core.maxInFlight; },
    setFault: core.setFault,
    searches: () => core.requests.filter((r) => r.query.t === 'search' || r.query.t === 'book'),
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export type TorznabSim = Awaited<ReturnType<typeof startTorznabSim>>;
