import assert from 'node:assert/strict';
import { AbsClient, seriesFilter } from '../../lib/abs/client';
import { ServiceError } from '../../lib/errors';
import { redact } from '../../lib/secrets';
import { earthseaItem, fakeJwt, startAbsSim, type AbsSim } from '../sim/abs-sim';

describe('lib/abs AbsClient', () => {
  let sim: AbsSim;
  let client: AbsClient;
  const open = async (opts: Parameters<typeof startAbsSim>[0] = {}, token?: string, extra: Partial<ConstructorParameters<typeof AbsClient>[0]> = {}) => {
    sim = await startAbsSim(opts);
    client = new AbsClient({ baseUrl: sim.url, token: token ?? sim.token, retries: 0, ...extra });
  };
  afterEach(async () => { await client?.close(); await sim?.close(); });

  it('reports version and library count, keeping a path prefix in every URL', async () => {
    await open({ prefix: '/audiobookshelf' });
    assert.match(sim.url, /\/audiobookshelf$/);
    assert.equal(await client.testConnection(), 'Audiobookshelf 2.36.0, 3 libraries');
    // The sim answers 404 to anything outside the prefix, so these paths prove it was kept.
    assert.deepEqual(sim.requests.map((r) => `${r.method} ${r.path}`), ['GET /status', 'GET /api/libraries']);
    assert.equal(client.requestCount, 2);
  });

  it('tolerates a trailing slash on the base URL', async () => {
    sim = await startAbsSim({ prefix: '/abs' });
    client = new AbsClient({ baseUrl: `${sim.url}/`, token: sim.token });
    assert.equal((await client.serverInfo()).version, '2.36.0');
  });

  it('turns the plain-text 401 into "rejected the API key (401)" without leaking the key', async () => {
    await open({}, 'wrong-key-123456');
    await assert.rejects(client.listLibraries(), (e: unknown) => {
      assert.ok(e instanceof ServiceError);
      assert.match(e.message, /^Audiobookshelf: rejected the API key \(401\)/);
      assert.equal(e.status, 401);
      assert.ok(!e.message.includes('wrong-key-123456'));
      return true;
    });
  });

  it('on a 401 says which token mistake it is: expired access token, refresh token, expired or inactive API key', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [object, RegExp][] = [
      [{ userId: 'u1', username: 'root', type: 'access', iat: now - 3700, exp: now - 100 }, /^Audiobookshelf: rejected the API key \(401\): this is a login access token and it expired at \d{4}-\d\d-\d\d \d\d:\d\d UTC \(they last one hour\) — create an API key/],
      [{ userId: 'u1', type: 'refresh', iat: now, exp: now + 3600 }, /rejected the API key \(401\): this is a refresh token, which ABS never accepts for requests/],
      [{ keyId: 'k1', name: 'nightly', type: 'api', iat: now - 7200, exp: now - 3600 }, /rejected the API key \(401\): the API key expired at .* UTC/],
      [{ keyId: 'k1', name: 'nightly', type: 'api', iat: now }, /rejected the API key \(401\) — check in Settings → API Keys that the key exists and is switched on \(new keys start inactive\)/],
    ];
    sim = await startAbsSim();
    for (const [claims, pattern] of cases) {
      const token = fakeJwt(claims);
      const c = new AbsClient({ baseUrl: sim.url, token, retries: 0 });
      await assert.rejects(c.listLibraries(), (e: Error) => { assert.match(e.message, pattern); assert.ok(!e.message.includes(token)); return true; });
      await c.close();
    }
  });

  it('Test connection with a still valid access token works but warns that it expires', async () => {
    const exp = Math.floor(Date.now() / 1000) + 1800;
    const token = fakeJwt({ userId: 'u1', type: 'access', exp });
    await open({ token }, token);
    assert.match(await client.testConnection(), /^Audiobookshelf 2\.36\.0, 3 libraries \(warning: the key is a login access token that expires at .* UTC; nightly runs will then fail — use an API key\)$/);
  });

  it('says so when the URL is not an Audiobookshelf server', async () => {
    await open();
    sim.setFault({ kind: 'not-abs' });
    await assert.rejects(client.testConnection(), (e: unknown) => e instanceof ServiceError && e.code === 'not-abs' && /is not an Audiobookshelf server \(GET \/status answered HTTP 200, text\/html\)/.test(e.message));
  });

  it('reports malformed JSON naming the service', async () => {
    await open();
    sim.setFault({ kind: 'malformed', path: '/api/libraries' });
    await assert.rejects(client.listLibraries(), /Audiobookshelf: answered with something that is not JSON \(HTTP 200: "{"libraries"/);
  });

  it('reports a schema mismatch with the field name', async () => {
    await open();
    sim.state.libraries[0].name = 42;
    await assert.rejects(client.listLibraries(), /Audiobookshelf: unexpected answer to the library list: field "libraries.0.name"/);
  });

  it('times out with the service name', async () => {
    await open({}, undefined, { timeoutMs: 100 });
    sim.setFault({ kind: 'slow', delayMs: 400 });
    await assert.rejects(client.listLibraries(), /Audiobookshelf: no answer from http:\/\/127\.0\.0\.1:\d+ within 0\.1 s \(timeout\)/);
  });

  it('reports an unreachable server and a bad URL', async () => {
    await open();
    const url = sim.url;
    await sim.close();
    const gone = new AbsClient({ baseUrl: url, token: 'x-token', retries: 0 });
    await assert.rejects(gone.serverInfo(), /Audiobookshelf: cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    await gone.close();
    const bad = new AbsClient({ baseUrl: 'nas:13378', token: 'x-token' });
    await assert.rejects(bad.listLibraries(), /must start with http:\/\/ or https:\/\//);
    await bad.close();
    sim = await startAbsSim(); // afterEach closes it
  });

  it('names the page on a 500', async () => {
    await open();
    sim.setFault({ kind: 'server-error', page: 1 });
    const lib = sim.libraryIds.audiobooks;
    assert.equal((await client.listItems(lib, { limit: 5, page: 0, sort: 'addedAt' })).results.length, 5);
    await assert.rejects(client.listItems(lib, { limit: 5, page: 1, sort: 'addedAt' }), /Audiobookshelf: server error on page 1 of library .* \(HTTP 500\)/);
  });

  it('lists a page with limit, page and sort, and filters by series id', async () => {
    await open();
    const lib = sim.libraryIds.audiobooks;
    const page = await client.listItems(lib, { limit: 5, page: 2, sort: 'media.metadata.title' });
    assert.deepEqual([page.results.length, page.total], [2, 12]);
    assert.deepEqual(sim.requests.at(-1)?.query, { limit: '5', page: '2', sort: 'media.metadata.title' });
    const mistborn = await client.listItems(lib, { limit: 10, page: 0, sort: 'sequence', filter: seriesFilter('eed16519-c76e-474b-9926-c8b57928d94f') });
    assert.deepEqual(mistborn.results.map((i) => (i.media?.metadata as { series?: { sequence: string } })?.series?.sequence), ['1', '2', '4', '7']);
  });

  it('batch-gets expanded items with exact series arrays, and skips the request for no ids', async () => {
    await open();
    const items = await client.batchGetItems(['a50bb88b-80a1-4ab4-936e-cad09de96a0a', 'ab5800bc-f33c-45b2-8fd9-a4ab42622708']);
    const series = items.map((i) => (i.media as { metadata: { series: unknown } }).metadata.series);
    assert.deepEqual((series[0] as { name: string; sequence: string }[]).map((s) => `${s.name} #${s.sequence}`), ['Discworld #8', 'Discworld - City Watch #1']);
    assert.equal(sim.requests.length, 1);
    assert.deepEqual(await client.batchGetItems([]), []);
    assert.equal(sim.requests.length, 1);
  });

  it('gets one item and says which one was not found', async () => {
    await open();
    assert.equal((await client.getItem('ab5800bc-f33c-45b2-8fd9-a4ab42622708')).id, 'ab5800bc-f33c-45b2-8fd9-a4ab42622708');
    await assert.rejects(client.getItem('nope'), /Audiobookshelf: item nope not found \(404: Not Found\)/);
  });

  it('registers the legacy user token from /api/me as a secret', async () => {
    await open();
    const me = await client.me();
    assert.equal(me.username, 'root');
    assert.equal(redact(`token=${me.token}`), 'token=***');
  });

  it('starts a scan that adds pending items after a while, visible in /api/tasks', async () => {
    await open({ scanDelayMs: 80 });
    const lib = sim.libraryIds.audiobooks;
    sim.addItem(earthseaItem(), { onScan: true });
    assert.equal((await client.searchBooks(lib, 'Earthsea')).length, 0);
    await client.scanLibrary(lib);
    const tasks = await client.getTasks();
    assert.deepEqual(tasks.map((t) => [t.action, t.data?.libraryId]), [['library-scan', lib]]);
    await new Promise((r) => setTimeout(r, 150));
    assert.deepEqual(await client.getTasks(), []);
    assert.deepEqual((await client.searchBooks(lib, 'Earthsea')).map((i) => i.id), ['d4f33ee9-a9ae-4e12-abd1-bbdeb0440c71']);
  });

  it('refuses to send a request without a key', async () => {
    await open({}, '');
    await assert.rejects(client.listLibraries(), /Audiobookshelf: no API key configured/);
    assert.equal(sim.requests.length, 0);
  });
});
