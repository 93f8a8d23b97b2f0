// A small stand-in for the qBittorrent WebUI API, for what CI's qbittorrent-nox 4.5 cannot
// show: the 5.x behaviours (add field `stopped`, states stoppedDL/stoppedUP), 5.2's login
// (cookie QBT_SID_<port>, 401 on a bad password, JSON reply from torrents/add), the IP ban,
// and how many TCP connections a client keeps open. Behaviour follows API-REFERENCE §3.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readTorrentFile } from '../../lib/qbit/torrent-file';

export interface StubTorrent {
  hash: string;
  name: string;
  state: string;
  progress: number;
  save_path: string;
  content_path: string;
  category: string;
  tags: string;
  completion_on: number;
}

export interface QbitStub {
  url: string;
  /** Every torrents/add: its form fields (the file part left out). */
  adds: Record<string, string>[];
  torrents: Map<string, StubTorrent>;
  /** Login attempts answered so far. */
  logins: number;
  /** When true, logins answer 403 "banned" like qBittorrent after too many failures. */
  banned: boolean;
  openConnections(): number;
  close(): Promise<void>;
}

/** version like "v5.2.0" or "v4.6.7"; 5.x reads `stopped`, earlier versions `paused`. */
export async function startQbitStub(opts: { version: string; username?: string; password?: string }): Promise<QbitStub> {
  const [major, minor] = opts.version.replace(/^v/, '').split('.').map(Number);
  const v5 = major >= 5;
  const v52 = v5 && (major > 5 || minor >= 2);
  const username = opts.username ?? 'admin';
  const password = opts.password ?? 'stub-password-1';
  const sid = 'stub-session-id-0001';
  const sockets = new Set<Socket>();
  let cookieName = 'SID';

  const stub: QbitStub = {
    url: '', adds: [], torrents: new Map(), logins: 0, banned: false,
    openConnections: () => sockets.size,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const reply = (res: ServerResponse, status: number, body: string | object, headers: Record<string, string> = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=UTF-8' : 'application/json', ...headers });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://stub');
    const path = url.pathname.replace(/^\/api\/v2/, '');
    if (path === '/auth/login') {
      stub.logins++;
      if (stub.banned) return reply(res, 403, 'Your IP address has been banned after too many failed authentication attempts.');
      const form = new URLSearchParams(body.toString('utf8'));
      if (form.get('username') !== username || form.get('password') !== password) return v52 ? reply(res, 401, '') : reply(res, 200, 'Fails.');
      return reply(res, 200, v52 ? '' : 'Ok.', { 'set-cookie': `${cookieName}=${sid}; HttpOnly; SameSite=Strict; path=/` });
    }
    const cookie = req.headers.cookie ?? '';
    if (!cookie.split(/;\s*/).includes(`${cookieName}=${sid}`)) return reply(res, 403, 'Forbidden');
    if (path === '/app/version') return reply(res, 200, opts.version);
    if (path === '/torrents/categories') return reply(res, 200, {});
    if (path === '/torrents/createCategory') return reply(res, 200, '');
    if (path === '/torrents/info') {
      const wanted = url.searchParams.get('hashes')?.split('|');
      return reply(res, 200, [...stub.torrents.values()].filter((t) => !wanted || wanted.includes(t.hash)));
    }
    if (path === '/torrents/add') {
      // Node's own multipart parser reads the form the client built.
      const form = await new Request('http://stub/add', { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body }).formData();
      const fields: Record<string, string> = {};
      let file: Uint8Array | undefined;
      for (const [key, value] of form as unknown as Iterable<[string, string | Blob]>) {
        if (typeof value === 'string') fields[key] = value;
        else file = new Uint8Array(await value.arrayBuffer());
      }
      stub.adds.push(fields);
      const facts = file ? readTorrentFile(file) : undefined;
      if (!facts || stub.torrents.has(facts.hash)) return v52 ? reply(res, 409, { success_count: 0, failure_count: 1, pending_count: 0, added_torrent_ids: [] }) : reply(res, 200, 'Fails.');
      const notStarted = (v5 ? fields.stopped : fields.paused) === 'true';
      const savePath = fields.savepath || '/downloads';
      stub.torrents.set(facts.hash, {
        hash: facts.hash, name: facts.name, state: notStarted ? (v5 ? 'stoppedDL' : 'pausedDL') : 'downloading', progress: 0,
        save_path: savePath, content_path: `${savePath}/${facts.name}`, category: fields.category ?? '', tags: (fields.tags ?? '').split(',').join(', '), completion_on: -1,
      });
      return v52 ? reply(res, 200, { success_count: 1, failure_count: 0, pending_count: 0, added_torrent_ids: [facts.hash] }) : reply(res, 200, 'Ok.');
    }
    return reply(res, 404, 'Not Found');
  };

  const server = createServer((req, res) => { handle(req, res).catch((err: Error) => reply(res, 500, err.message)); });
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  if (v52) cookieName = `QBT_SID_${port}`;
  stub.url = `http://127.0.0.1:${port}`;
  return stub;
}

/** Waits up to `ms` for a condition that settles asynchronously (sockets closing). */
export async function eventually(check: () => boolean, ms = 1000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 10))) if (check()) return true;
  return check();
}
