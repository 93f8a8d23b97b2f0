// Audiobookshelf simulator: a local HTTP server (127.0.0.1, ephemeral port) whose answers
// follow the responses recorded from ABS 2.36.0 (test/fixtures/abs/).
//
//   const sim = await startAbsSim({ prefix: '/audiobookshelf', generate: { books: 10000, series: 2000 } });
//   new AbsClient({ baseUrl: sim.url, token: sim.token })   // sim.url includes the prefix
//   … sim.requests  → [{ method, path, query }] (path without prefix), sim.state, await sim.close()
//
// Libraries (sim.libraryIds): `audiobooks` = the 12 recorded books ("Audiobooks"),
// `generated` = opts.generate books ("Generated", book), `podcasts` ("Podcasts", podcast, empty).
// Routes: GET /status /ping /healthcheck (no auth); with `Authorization: Bearer <token>` (or
// ?token=): GET /api/libraries, /api/libraries/:id, /api/libraries/:id/items?limit&page&sort
// &desc&filter=series.<b64> (no sort → a different order per page, like ABS without ORDER BY),
// /api/libraries/:id/series?limit&page, /api/libraries/:id/search?q, /api/items/:id,
// POST /api/items/batch/get {libraryItemIds}, POST /api/libraries/:id/scan, GET /api/tasks,
// GET /api/me (legacy token = sim.legacyToken). Bad/missing key → 401 text "Unauthorized".
//
// addItem(spec | rawItem, { libraryId?, onScan? }): adds a book now, or (onScan) only when a
//   scan of its library runs: the scan task shows in /api/tasks for opts.scanDelayMs, then the
//   item appears. Returns the raw expanded item (mutate it to inject bad data).
// setFault(fault | null): see AbsFault. earthseaItem() (sim-data) is the recorded scan's book.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { attachAbsSocket } from './abs-sim-socket';
import type { AbsSim, AbsSimOptions, AbsSimState } from './abs-sim-types';
import { fixture, fixtureLibrary, generateItems, makeItem, minify, simId, type RawItem, type RawLibrary, type SimBookSpec } from './abs-sim-data';

export { earthseaItem, fakeJwt, type SimBookSpec, type RawItem } from './abs-sim-data';

export type { AbsFault, AbsSim, AbsSimOptions, AbsSimState } from './abs-sim-types';

type Reply = { status: number; body: unknown; type?: string };

export async function startAbsSim(opts: AbsSimOptions = {}): Promise<AbsSim> {
  const token = opts.token ?? 'sim-api-key-0123456789';
  const legacyToken = 'sim-legacy-user-token-abcdef';
  const prefix = (opts.prefix ?? '').replace(/\/+$/, '');
  const { library, items } = fixtureLibrary();
  const generated = { ...library, id: simId('lib:generated'), name: 'Generated', displayOrder: 2, folders: [{ id: simId('folder:gen'), fullPath: '/generated', libraryId: simId('lib:generated'), addedAt: 0 }] };
  const podcasts = { ...library, id: simId('lib:podcasts'), name: 'Podcasts', mediaType: 'podcast', icon: 'podcast', displayOrder: 3, folders: [] };
  const state: AbsSimState = {
    version: opts.version ?? '2.36.0',
    libraries: [library, generated, podcasts],
    items: [...items, ...(opts.generate ? generateItems(generated.id, opts.generate.books, opts.generate.series) : [])],
    pending: [],
    tasks: [],
    fault: null,
  };
  const requests: AbsSim['requests'] = [];
  const shifted = new Set<number>();
  const timers = new Set<NodeJS.Timeout>();

  const route = (method: string, path: string, q: URLSearchParams, body: unknown): Reply => {
    if (method === 'GET' && path === '/status') return { status: 200, body: { ...fixture<RawItem>('status.json'), serverVersion: state.version } };
    if (method === 'GET' && path === '/ping') return { status: 200, body: { success: true } };
    if (method === 'GET' && path === '/healthcheck') return { status: 200, body: 'OK', type: 'text/plain; charset=utf-8' };
    if (!path.startsWith('/api/')) return { status: 404, body: `Cannot ${method} ${path}`, type: 'text/html; charset=utf-8' };
    if (method === 'GET' && path === '/api/libraries') return { status: 200, body: { libraries: state.libraries } };
    if (method === 'GET' && path === '/api/tasks') return { status: 200, body: { tasks: state.tasks } };
    if (method === 'GET' && path === '/api/me') return { status: 200, body: { ...fixture<RawItem>('me.json'), token: legacyToken } };
    if (method === 'POST' && path === '/api/items/batch/get') {
      const ids = (body as { libraryItemIds?: unknown })?.libraryItemIds;
      if (!Array.isArray(ids) || ids.length === 0) return { status: 403, body: 'Invalid payload', type: 'text/plain; charset=utf-8' };
      const wanted = new Set(ids);
      return { status: 200, body: { libraryItems: state.items.filter((i) => wanted.has(i.id)) } };
    }
    let m = /^\/api\/items\/([^/]+)$/.exec(path);
    if (m && method === 'GET') {
      const item = state.items.find((i) => i.id === m![1]);
      return item ? { status: 200, body: item } : { status: 404, body: 'Not Found', type: 'text/plain; charset=utf-8' };
    }
    m = /^\/api\/libraries\/([^/]+)(\/[a-z]+)?$/.exec(path);
    const lib = m && state.libraries.find((l) => l.id === m![1]);
    if (!m) return { status: 404, body: 'Not Found', type: 'text/plain; charset=utf-8' };
    if (!lib) return { status: 404, body: 'Library not found', type: 'text/html; charset=utf-8' };
    const sub = `${method} ${m[2] ?? ''}`;
    if (sub === 'GET ') return { status: 200, body: lib };
    if (sub === 'GET /items') return { status: 200, body: itemsPage(lib.id, q) };
    if (sub === 'GET /series') return { status: 200, body: seriesPage(lib.id, q) };
    if (sub === 'GET /search') return { status: 200, body: search(lib.id, q) };
    if (sub === 'POST /scan') { scan(lib); return { status: 200, body: 'OK', type: 'text/plain; charset=utf-8' }; }
    return { status: 404, body: 'Not Found', type: 'text/plain; charset=utf-8' };
  };

  const itemsPage = (libraryId: string, q: URLSearchParams) => {
    const limit = Number(q.get('limit') ?? 0);
    const page = Number(q.get('page') ?? 0);
    const fault = state.fault;
    if (fault?.kind === 'page-shift' && fault.page === page && !shifted.has(page)) {
      shifted.add(page);
      const sorted = sortItems(state.items.filter((i) => i.libraryId === libraryId), q.get('sort'), false, page);
      if (fault.mode === 'delete') state.items = state.items.filter((i) => i !== sorted[0]);
      else state.items.push(makeItem({ title: '!Inserted Early', authors: ['Nobody'], addedAt: 1 }, libraryId));
    }
    let list = state.items.filter((i) => i.libraryId === libraryId);
    const filter = q.get('filter');
    let seriesId: string | undefined;
    if (filter?.startsWith('series.')) {
      seriesId = Buffer.from(decodeURIComponent(filter.slice(7)), 'base64').toString('utf8');
      list = list.filter((i) => i.media?.metadata?.series?.some((s: { id: string }) => s.id === seriesId));
    }
    const sorted = sortItems(list, q.get('sort'), q.get('desc') === '1', page, seriesId);
    let start = page * limit;
    if (fault?.kind === 'unstable-order' && fault.page === page && page > 0 && !shifted.has(page)) {
      shifted.add(page);
      start -= 1;
    }
    const results = (limit > 0 ? sorted.slice(start, start + limit) : sorted).map((item) => {
      const min = minify(item);
      // Under a series filter ABS adds that one series (with its sequence) to each item.
      if (seriesId && min.media) min.media.metadata.series = item.media.metadata.series.find((s: { id: string }) => s.id === seriesId);
      return min;
    });
    return { results, total: list.length, limit, page, sortBy: q.get('sort') ?? undefined, sortDesc: q.get('desc') === '1', filterBy: filter ?? undefined, mediaType: 'book', minified: false, collapseseries: false, include: '', offset: page * limit };
  };

  const seriesPage = (libraryId: string, q: URLSearchParams) => {
    const byId = new Map<string, { id: string; name: string; books: RawItem[] }>();
    for (const item of state.items.filter((i) => i.libraryId === libraryId)) {
      for (const s of item.media?.metadata?.series ?? []) {
        const entry = byId.get(s.id) ?? { id: s.id, name: s.name, books: [] as RawItem[] };
        entry.books.push(minify(item));
        byId.set(s.id, entry);
      }
    }
    const all = [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
    const limit = Number(q.get('limit') ?? 0);
    const page = Number(q.get('page') ?? 0);
    // Recorded quirk: without limit ABS returns no results but the right total.
    const results = limit > 0 ? all.slice(page * limit, (page + 1) * limit) : [];
    return { results: results.map((s) => ({ ...s, nameIgnorePrefix: s.name, libraryId })), total: all.length, limit, page, sortBy: 'name', sortDesc: false, minified: false, include: '' };
  };

  const search = (libraryId: string, q: URLSearchParams) => {
    const text = (q.get('q') ?? '').toLowerCase();
    const hits = state.items.filter((i) => {
      const m = i.libraryId === libraryId ? i.media?.metadata : undefined;
      return m && [m.title, m.subtitle, m.asin, m.isbn].some((v) => typeof v === 'string' && v.toLowerCase().includes(text));
    }).slice(0, Number(q.get('limit') ?? 12));
    return { book: hits.map((libraryItem) => ({ libraryItem, matchKey: 'title', matchText: libraryItem.media.metadata.title })), podcast: [], narrators: [], tags: [], genres: [], series: [], authors: [] };
  };

  const scan = (lib: RawLibrary) => {
    if (state.tasks.some((t) => t.data?.libraryId === lib.id)) return; // ABS drops a second scan
    const task = { ...fixture<RawItem>('task.library-scan.started.json'), id: simId(`task:${Date.now()}:${Math.random()}`), data: { libraryId: lib.id, libraryName: lib.name, libraryMediaType: lib.mediaType }, title: `Scanning "${lib.name}" library`, startedAt: Date.now() };
    state.tasks.push(task);
    const timer = setTimeout(() => {
      timers.delete(timer);
      const now = Date.now();
      const arriving = state.pending.filter((i) => i.libraryId === lib.id);
      state.pending = state.pending.filter((i) => i.libraryId !== lib.id);
      const added = arriving.map((item) => ({ ...item, addedAt: now, updatedAt: now }));
      state.items.push(...added);
      state.tasks = state.tasks.filter((t) => t !== task);
      // A full scan announces new items in chunks of 10, then the finished task (as recorded).
      for (let i = 0; i < added.length; i += 10) feed?.emit('items_added', added.slice(i, i + 10));
      feed?.emit('task_finished', { ...task, isFinished: true, finishedAt: now });
    }, opts.scanDelayMs ?? 50);
    timers.add(timer);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => { res.statusCode = 500; res.end(String(err.message)); });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://sim');
    const method = req.method ?? 'GET';
    const fault = state.fault;
    if (fault?.kind === 'not-abs') return send(res, { status: 200, body: '<!doctype html><title>Router login</title>', type: 'text/html' });
    if (prefix && !url.pathname.startsWith(`${prefix}/`)) return send(res, { status: 404, body: `Cannot ${method} ${url.pathname}`, type: 'text/html; charset=utf-8' });
    const path = url.pathname.slice(prefix.length);
    const query = Object.fromEntries(url.searchParams);
    requests.push({ method, path, query });
    const matches = (f: { page?: number; path?: string }) => (f.page !== undefined ? /\/items$/.test(path) && Number(query.page) === f.page : f.path !== undefined ? path.includes(f.path) : path.startsWith('/api/'));
    if (fault?.kind === 'slow' && matches(fault)) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (path.startsWith('/api/')) {
      const auth = req.headers.authorization;
      const given = auth?.startsWith('Bearer ') ? auth.slice(7) : url.searchParams.get('token');
      if (fault?.kind === 'unauthorized' || (given !== token && given !== legacyToken)) return send(res, { status: 401, body: 'Unauthorized', type: '' });
    }
    if (fault?.kind === 'server-error' && matches(fault)) return send(res, { status: 500, body: 'Internal Server Error', type: 'text/plain; charset=utf-8' });
    let body: unknown;
    try { body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined; } catch { body = undefined; }
    const reply = route(method, path, url.searchParams, body);
    if (fault?.kind === 'malformed' && matches(fault) && reply.type === undefined) return send(res, { status: 200, body: JSON.stringify(reply.body).slice(0, 40), type: 'application/json; charset=utf-8' });
    send(res, reply);
  };

  const connections = new Set<import('node:net').Socket>();
  server.on('connection', (c) => { connections.add(c); c.on('close', () => connections.delete(c)); });

  const me = fixture<RawItem>('me.json');
  const feed = opts.socket ? attachAbsSocket(server, { prefix, userToken: legacyToken, userId: me.id, username: me.username }) : undefined;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    token,
    legacyToken,
    libraryIds: { audiobooks: library.id, generated: generated.id, podcasts: podcasts.id },
    state,
    requests,
    addItem(item, o = {}) {
      const libraryId = o.libraryId ?? (item as RawItem).libraryId ?? library.id;
      const raw = 'media' in item ? { ...(item as RawItem), libraryId } : makeItem(item as SimBookSpec, libraryId);
      (o.onScan ? state.pending : state.items).push(raw);
      // The folder watcher announces one item at a time.
      if (!o.onScan) feed?.emit('item_added', raw);
      return raw;
    },
    setFault(fault) { state.fault = fault; },
    socket: feed,
    openConnections: () => connections.size,
    async close() {
      for (const t of timers) clearTimeout(t);
      await feed?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, reply: Reply): void {
  res.statusCode = reply.status;
  // Plain-text / HTML bodies go out as-is; 401 carries no content type at all (as recorded).
  if (reply.type === undefined) res.setHeader('content-type', 'application/json; charset=utf-8');
  else if (reply.type) res.setHeader('content-type', reply.type);
  res.end(typeof reply.body === 'string' && reply.type !== undefined ? reply.body : JSON.stringify(reply.body));
}

/** ABS sorts with a tie on id; without a sort the order is unspecified (here: differs per page). */
function sortItems(items: RawItem[], sort: string | null, desc: boolean, page: number, seriesId?: string): RawItem[] {
  const key = (i: RawItem): string | number => {
    const m = i.media?.metadata ?? {};
    switch (sort) {
      case 'addedAt': return i.addedAt ?? 0;
      case 'media.metadata.title': return String(m.title ?? '').toLowerCase();
      case 'media.metadata.authorName': return String(m.authors?.[0]?.name ?? '').toLowerCase();
      case 'media.metadata.publishedYear': return Number(m.publishedYear ?? 0);
      case 'sequence': return Number(m.series?.find((s: { id: string }) => s.id === seriesId)?.sequence ?? Infinity);
      default: return simId(`${i.id}:${page}`);
    }
  };
  const keyed = items.map((i) => ({ i, k: key(i) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.i.id < b.i.id ? -1 : 1) * (desc ? -1 : 1));
  return keyed.map((x) => x.i);
}
