import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, parseJson } from '../../lib/http/client';
import { ServiceError } from '../../lib/errors';
import { HostLane } from '../../lib/http/rate-limit';

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

  // Measured where the lane starts a request, not where the server sees it arrive: arrival times
  // carry connection jitter (a new socket vs a reused one) that has nothing to do with the rule.
  it('keeps a minimum interval between requests to one host, one request at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const s = await serve((_req, res) => {
      most = Math.max(most, ++inFlight);
      setTimeout(() => { inFlight--; res.end('ok'); }, 20);
    });
    server = s.server;
    const client = new HttpClient({ service: 'MyAnonamouse', minIntervalMs: 80 });
    const t0 = Date.now();
    await Promise.all([client.request({ url: s.url }), client.request({ url: s.url }), client.request({ url: s.url })]);
    const elapsed = Date.now() - t0;
    assert.equal(most, 1, 'requests to one host never overlap');
    // The third start is at least two intervals after the first (timers may fire 1 ms early).
    assert.ok(elapsed >= 158, `three requests took ${elapsed} ms`);
    await client.close();
  });

  it('HostLane spaces the starts of its tasks by the interval, whatever the tasks take', async () => {
    const lane = new HostLane(50);
    const starts: number[] = [];
    const task = (ms: number) => () => { starts.push(Date.now()); return new Promise<void>((r) => setTimeout(r, ms)); };
    await Promise.all([lane.run(task(0)), lane.run(task(70)), lane.run(task(0)), lane.run(async () => { throw new Error('x'); }).catch(() => undefined), lane.run(task(0))]);
    assert.equal(starts.length, 4);
    for (let i = 1; i < starts.length; i++) assert.ok(starts[i] - starts[i - 1] >= 48, `start gaps ${starts.map((t, j) => (j ? t - starts[j - 1] : 0)).join(', ')}`);
    // A task that runs longer than the interval delays the next one (one at a time).
    assert.ok(starts[2] - starts[1] >= 68);
  });

  it('reports malformed JSON with the service name and a snippet', () => {
    const body = Buffer.from('<html>login</html>');
    const res = { status: 200, headers: {}, body, url: 'x', text: () => body.toString(), setCookies: () => [] };
    assert.throws(() => parseJson('MyAnonamouse', res), /MyAnonamouse: answered with something that is not JSON \(HTTP 200: "<html>login<\/html>"\)/);
  });
});
