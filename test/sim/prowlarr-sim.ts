// A local Prowlarr: GET /api/v1/indexer (IndexerResource list with capabilities and their
// category tree), GET /api/v1/indexerstatus (indexers with a failure on record), GET /api/v1/system/status, GET /api/v1/search (ReleaseResource JSON:
// guid, title, size, indexerId, indexer, publishDate, downloadUrl through Prowlarr's own
// /{id}/download?apikey=…&link=…, magnetUrl, infoHash, seeders, leechers = peers - seeders,
// categories, protocol, indexerFlags) and that download route. The API key goes in the
// X-Api-Key header or the apikey parameter; without it Prowlarr answers 401.
// An indexer that fails a search (here: HTTP 400 to a category in `rejectCategories`) is what
// Prowlarr's ReleaseSearchService / HttpIndexerBase do with it: the error is caught and logged,
// that indexer's results are left out and the search still answers 200; the failure disables
// the indexer for a while (escalating back-off, 1 min first), and a search naming only disabled
// indexers answers 400 {"message": "Search failed due to all selected indexers being unavailable"}.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listedCategories, magnetOf, matches, placeholderTorrent, queryWords, type SimIndexer, type SimRelease } from './indexer-data';
import { simCore } from './torznab-sim';

export { AUDIO_BOOKS, BOOKS, simRelease, type SimIndexer, type SimRelease } from './indexer-data';

export async function startProwlarrSim(opts: { apiKey?: string; indexers: SimIndexer[]; delayMs?: number; version?: string }) {
  const apiKey = opts.apiKey ?? 'prowlarr-sim-key';
  const core = simCore();
  /** Indexer id → when Prowlarr's back-off after its last failure ends (ms), and how many failed in a row. */
  const disabled = new Map<number, { till: number; failures: number; at: number }>();
  const BACKOFF_S = [60, 5 * 60, 15 * 60, 30 * 60, 60 * 60];
  const fail = (ix: SimIndexer) => {
    const failures = (disabled.get(ix.id)?.failures ?? 0) + 1;
    disabled.set(ix.id, { till: Date.now() + BACKOFF_S[Math.min(failures, BACKOFF_S.length) - 1] * 1000, failures, at: Date.now() });
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    const ids = url.searchParams.getAll('indexerIds').join(',') || url.pathname;
    core.enter(ids);
    res.on('close', () => core.leave(ids));
    setTimeout(() => handle(req, res, url), opts.delayMs ?? 0);
  });

  const json = (res: ServerResponse, status: number, body: unknown) => { res.statusCode = status; res.setHeader('content-type', 'application/json; charset=utf-8'); res.end(JSON.stringify(body)); };

  function handle(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const header = req.headers['x-api-key'];
    const given = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('apikey') ?? undefined;
    const query = Object.fromEntries(url.searchParams);
    core.requests.push({ path: url.pathname, query: { ...query, indexerIds: url.searchParams.getAll('indexerIds').join(','), categories: url.searchParams.getAll('categories').join(',') }, ...(typeof header === 'string' ? { apiKeyHeader: header } : {}) });
    const dl = /^\/(\d+)\/download$/.exec(url.pathname);
    if (dl) return download(res, Number(dl[1]), url.searchParams);
    if (given !== apiKey) { res.statusCode = 401; res.end(); return; }
    if (core.sendFault(res, '[{"guid": "broken", "title": ')) return;
    if (url.pathname === '/api/v1/system/status') return json(res, 200, { appName: 'Prowlarr', version: opts.version ?? '1.24.3.4754', isDocker: false });
    if (url.pathname === '/api/v1/indexer') return json(res, 200, opts.indexers.map(indexerResource));
    // IndexerStatusResource: only indexers with a failure on record are listed.
    if (url.pathname === '/api/v1/indexerstatus') {
      return json(res, 200, [...disabled].map(([id, d], i) => ({ id: i + 1, indexerId: id, disabledTill: new Date(d.till).toISOString(), mostRecentFailure: new Date(d.at).toISOString(), initialFailure: new Date(d.at).toISOString() })));
    }
    if (url.pathname !== '/api/v1/search') return json(res, 404, { message: 'NotFound' });
    const wanted = url.searchParams.getAll('indexerIds').map(Number);
    const cats = url.searchParams.getAll('categories').map(Number);
    // type=book: Prowlarr reads {Title:…}{Author:…} out of the query and searches only the
    // indexers with book search (an indexer without it gives nothing: HttpIndexerBase).
    const book = url.searchParams.get('type') === 'book';
    const tokens = [...(url.searchParams.get('query') ?? '').matchAll(/\{(title|author):([^{]+)\}/gi)].map((m) => m[2]);
    const words = book ? queryWords(...tokens) : queryWords(url.searchParams.get('query'));
    const limit = Number(url.searchParams.get('limit')) || 100;
    const offset = Number(url.searchParams.get('offset')) || 0;
    const rows: unknown[] = [];
    const selected = opts.indexers.filter((x) => (disabled.get(x.id)?.till ?? 0) <= Date.now() && (!wanted.length || wanted.includes(x.id)));
    if (wanted.length && !selected.length) return json(res, 400, { message: 'Search failed due to all selected indexers being unavailable' });
    for (const ix of selected) {
      // Prowlarr asks each indexer for the categories it has, never for one it does not list.
      const own = cats.filter((c) => listedCategories(ix).includes(c));
      if ((cats.length && !own.length) || (book && !ix.bookSearch)) continue;
      if (own.some((c) => ix.rejectCategories?.includes(c))) { fail(ix); continue; }
      const hits = ix.releases.filter((r) => matches(r, words) && (!own.length || r.categories.some((c) => own.includes(c) || own.includes(Math.floor(c / 1000) * 1000))));
      rows.push(...hits.slice(offset, offset + limit).map((r) => releaseResource(ix, r, `http://${req.headers.host}`)));
    }
    json(res, 200, rows);
  }

  function indexerResource(ix: SimIndexer) {
    return {
      id: ix.id, name: ix.name, implementation: 'Cardigann', definitionName: ix.name.toLowerCase(), enable: true, redirect: false,
      supportsRss: true, supportsSearch: true, supportsPagination: true, protocol: 'torrent', privacy: ix.privacy ?? 'private', priority: 25, appProfileId: 1,
      capabilities: {
        limitsMax: ix.maxLimit ?? 100, limitsDefault: ix.maxLimit ?? 100,
        categories: ix.categories.map((c) => ({ id: c.id, name: c.name, subCategories: (c.subcats ?? []).map((s) => ({ id: s.id, name: s.name, subCategories: [] })) })),
        supportsRawSearch: false, searchParams: ['q'], bookSearchParams: ix.bookSearch ? ['q', 'title', 'author'] : [],
      },
      fields: [{ name: 'baseUrl', value: 'https://tracker.example' }], tags: [], added: '2024-01-01T00:00:00Z',
    };
  }

  function releaseResource(ix: SimIndexer, r: SimRelease, origin: string) {
    // Prowlarr's `link` is protected (encrypted) data, not the tracker's passkey URL: an opaque token here.
    const link = Buffer.from(`${ix.id}:${r.guid}`).toString('base64url');
    // Prowlarr hands out its own route for the magnet too (SearchController: ConvertToProxyLink on
    // MagnetUrl); that route answers with a redirect to the magnet link.
    const magnetLink = Buffer.from(`magnet|${ix.id}:${r.guid}`).toString('base64url');
    const published = r.pubDate ?? '2024-01-01T00:00:00Z';
    return {
      guid: r.guid, age: 10, ageHours: 240, ageMinutes: 14400, size: r.sizeBytes, files: 12, grabs: 40, indexerId: ix.id, indexer: ix.name,
      title: r.title, sortTitle: r.title.toLowerCase(), imdbId: 0, publishDate: published,
      infoUrl: `https://tracker.example/t/${encodeURIComponent(r.guid)}`,
      ...(r.magnetOnly ? {} : { downloadUrl: `${origin}/${ix.id}/download?apikey=${apiKey}&link=${link}&file=${encodeURIComponent(r.title)}` }),
      ...(r.infohash || r.magnetOnly ? { magnetUrl: `${origin}/${ix.id}/download?apikey=${apiKey}&link=${magnetLink}&file=${encodeURIComponent(r.title)}`, infoHash: r.infohash } : {}),
      seeders: r.seeders, leechers: Math.max(0, r.peers - r.seeders), protocol: 'torrent',
      indexerFlags: r.freeleech ? ['freeleech'] : [],
      categories: r.categories.map((c) => ({ id: c, name: c === 3030 ? 'Audio/Audiobook' : c === 7020 ? 'Books/EBook' : `Category ${c}`, subCategories: [] })),
      ...(ix.privacy === 'public' ? {} : { approved: false }),
    };
  }

  function download(res: ServerResponse, indexerId: number, params: URLSearchParams): void {
    if (params.get('apikey') !== apiKey) { res.statusCode = 401; res.end(); return; }
    const token = Buffer.from(params.get('link') ?? '', 'base64url').toString();
    const magnet = token.startsWith('magnet|');
    const [ixId, ...rest] = token.replace(/^magnet\|/, '').split(':');
    const guid = Number(ixId) === indexerId ? rest.join(':') : undefined;
    const r = opts.indexers.find((x) => x.id === indexerId)?.releases.find((x) => x.guid === guid);
    if (!r) { res.statusCode = 404; res.end(); return; }
    if (magnet || r.magnetOnly) { res.writeHead(301, { location: r.magnet ?? magnetOf(r) }); res.end(); return; }
    res.setHeader('content-type', 'application/x-bittorrent');
    res.end(r.file ?? placeholderTorrent(r));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiKey,
    indexers: opts.indexers,
    requests: core.requests,
    get maxInFlight() { return core.maxInFlight; },
    setFault: core.setFault,
    /** Prowlarr forgets its indexers' failures (their back-off ended, or the user pressed Test). */
    clearFailures: () => disabled.clear(),
    searches: () => core.requests.filter((r) => r.path === '/api/v1/search'),
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export type ProwlarrSim = Awaited<ReturnType<typeof startProwlarrSim>>;
