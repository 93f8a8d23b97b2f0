import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, parseJson } from '../../lib/http/client';
import { ServiceError } from '../../lib/errors';

function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe('lib/http HttpClient', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('retries 503 with backoff and then succeeds', async () => {
    let hits = 0;
    const s = await serve((_req, res) => { hits++; res.statusCode = hits < 3 ? 503 : 200; res.end('{"ok":true}'); });
    server = s.server;
    const client = new HttpClient({ service: 'Audiobookshelf', retries: 3, backoffMs: 5 });
    const res = await client.request({ url: `${s.url}/x` });
    assert.equal(res.status, 200);
    assert.equal(hits, 3);
    assert.deepEqual(parseJson('Audiobookshelf', res), { ok: true });
    await client.close();
  });

  it('honours Retry-After on 429 and gives up when it is too long', async () => {
    const s = await serve((_req, res) => { res.statusCode = 429; res.setHeader('retry-after', '3600'); res.end('slow down'); });
    server = s.server;
    const client = new HttpClient({ service: 'MyAnonamouse', retries: 3, backoffMs: 5, maxRetryAfterMs: 1000 });
    const res = await client.request({ url: s.url });
    assert.equal(res.status, 429);
    assert.equal(client.requestCount.get(new URL(s.url).host), 1);
    await client.close();
  });

  it('does not retry a POST unless it is marked idempotent', async () => {
    let hits = 0;
    const s = await serve((_req, res) => { hits++; res.statusCode = 502; res.end(); });
    server = s.server;
    const client = new HttpClient({ service: 'qBittorrent', retries: 2, backoffMs: 5 });
    await client.request({ method: 'POST', url: s.url, body: 'x' });
    assert.equal(hits, 1);
    await client.request({ method: 'POST', url: s.url, body: 'x', idempotent: true });
    assert.equal(hits, 4);
    await client.close();
  });

  it('names the service on a timeout and on a refused connection', async () => {
    const s = await serve(() => { /* never answers */ });
    server = s.server;
    const client = new HttpClient({ service: 'Audiobookshelf', retries: 0, timeoutMs: 100 });
    await assert.rejects(client.request({ url: s.url }), (e: unknown) => e instanceof ServiceError && /Audiobookshelf: no answer .* within 0.1 s/.test(e.message) && e.transient);
    server.closeAllConnections();
    await new Promise((r) => s.server.close(r));
    server = undefined;
    await assert.rejects(client.request({ url: s.url }), /Audiobookshelf: cannot reach http:\/\/127.0.0.1:\d+ \(ECONNREFUSED\)/);
    await client.close();
  });

  it('keeps a minimum interval between requests to one host', async () => {
    const starts: number[] = [];
    const s = await serve((_req, res) => { starts.push(Date.now()); res.end('ok'); });
    server = s.server;
    const client = new HttpClient({ service: 'MyAnonamouse', minIntervalMs: 80 });
    await Promise.all([client.request({ url: s.url }), client.request({ url: s.url }), client.request({ url: s.url })]);
    assert.equal(starts.length, 3);
    assert.ok(starts[1] - starts[0] >= 75 && starts[2] - starts[1] >= 75, `gaps ${starts[1] - starts[0]}, ${starts[2] - starts[1]}`);
    await client.close();
  });

  it('reports malformed JSON with the service name and a snippet', () => {
    const body = Buffer.from('<html>login</html>');
    const res = { status: 200, headers: {}, body, url: 'x', text: () => body.toString(), setCookies: () => [] };
    assert.throws(() => parseJson('MyAnonamouse', res), /MyAnonamouse: answered with something that is not JSON \(HTTP 200: "<html>login<\/html>"\)/);
  });
});
