// The editor's Test connection endpoints of the four config nodes, against loopback listeners
// that record everything they receive: a stored secret goes only to the deployed node's own
// origin, an emptied field is empty, form-encoded requests are refused, a dead typed URL fails,
// answers are capped and never echoed, and a Test never overwrites the deployed MAM session.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { helper, tempStoreDir } from '../helpers/node-red';
import { collection, forgetStores } from '../../lib/store/store';
import { RotatedCookieStore } from '../../lib/mam/cookie-store';
import { freePort } from '../helpers/qbittorrent';
import { QbitAdapter } from '../../lib/qbit/adapter';
import absServer from '../../nodes/abs-server/abs-server';
import qbitServer from '../../nodes/qbit-server/qbit-server';
import hardcoverAccount from '../../nodes/hardcover-account/hardcover-account';
import mamAccount from '../../nodes/mam-account/mam-account';
import prowlarrServer from '../../nodes/prowlarr-server/prowlarr-server';
import torznabServer from '../../nodes/torznab-server/torznab-server';

const SECRET = { abs: 'stored-abs-key-XY12', qb: 'stored-qbit-pass-XY34', hc: 'stored-hc-token-XY56', mam: 'stored-mam-id-XY78', pr: 'stored-prowlarr-key-XY90', tz: 'stored-torznab-key-XY91' };
const MARKER = 'PAGE-CONTENT-MARKER-4711';

interface Seen { path: string; text: string }
interface Recorder { url: string; seen: Seen[]; close(): Promise<void> }

/** Records method, path, headers and body of every request; `answer` decides the reply. */
async function recorder(answer: (req: IncomingMessage, res: ServerResponse, n: number) => void): Promise<Recorder> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      seen.push({ path: req.url ?? '', text: `${req.method} ${req.url} ${JSON.stringify(req.headers)} ${body}` });
      answer(req, res, seen.length);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** Looks enough like each service that the client sends its secret on the first request or two. */
function homeAnswer(req: IncomingMessage, res: ServerResponse, n: number): void {
  const json = (v: unknown, headers: Record<string, string> = {}) => { res.writeHead(200, { 'content-type': 'application/json', ...headers }); res.end(JSON.stringify(v)); };
  if (req.url === '/status') return json({ app: 'audiobookshelf', serverVersion: '2.36.0', isInit: true });
  if (req.url?.startsWith('/api/libraries')) return json({ libraries: [] });
  if (req.url?.startsWith('/jsonLoad.php')) return json({}, { 'set-cookie': `mam_id=home-rotated-${n}; path=/` });
  json({});
}

type Answer = { ok: boolean; result?: unknown; error?: string };

describe('secrets: Test connection is safe and honest', function () {
  this.timeout(20_000);
  let home: Recorder;
  let other: Recorder;
  let dir: string;

  before(async () => {
    forgetStores();
    dir = tempStoreDir('abg-test-conn-');
    home = await recorder(homeAnswer);
    other = await recorder((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}'); });
    helper.settings({ audiobookGaps: { storeDir: dir, mamMinIntervalMs: 1 } } as Parameters<typeof helper.settings>[0]);
    await helper.load([absServer, qbitServer, hardcoverAccount, mamAccount, prowlarrServer, torznabServer], [
      { id: 'abs', type: 'abs-server', url: home.url, timeout: 5 },
      { id: 'qb', type: 'qbit-server', url: home.url, timeout: 5 },
      { id: 'hc', type: 'hardcover-account', url: `${home.url}/graphql`, minInterval: 0 },
      { id: 'mam', type: 'mam-account', url: home.url },
      { id: 'pr', type: 'prowlarr-server', url: home.url, indexers: '' },
      { id: 'tz', type: 'torznab-server', url: home.url },
    ] as never, { abs: { token: SECRET.abs }, qb: { username: 'admin', password: SECRET.qb }, hc: { token: SECRET.hc }, mam: { mamId: SECRET.mam }, pr: { apiKey: SECRET.pr }, tz: { apiKey: SECRET.tz } });
  });
  after(async () => {
    await helper.unload();
    helper.settings({});
    await home.close();
    await other.close();
  });
  beforeEach(() => { home.seen.length = 0; other.seen.length = 0; });

  const post = async (type: string, body: object): Promise<Answer> => (await helper.request().post(`/audiobook-gaps/${type}/test`).send(body).expect(200)).body as Answer;
  const received = (r: Recorder, secret: string) => r.seen.some((s) => s.text.includes(secret) || s.text.includes(encodeURIComponent(secret)));

  const cases = [
    { type: 'abs-server', id: 'abs', field: 'token', secret: SECRET.abs, url: () => home.url, otherUrl: () => other.url },
    { type: 'qbit-server', id: 'qb', field: 'password', secret: SECRET.qb, url: () => home.url, otherUrl: () => other.url, extra: { username: 'admin' } },
    { type: 'hardcover-account', id: 'hc', field: 'token', secret: SECRET.hc, url: () => `${home.url}/graphql`, otherUrl: () => `${other.url}/graphql` },
    { type: 'mam-account', id: 'mam', field: 'mamId', secret: SECRET.mam, url: () => home.url, otherUrl: () => other.url },
    { type: 'prowlarr-server', id: 'pr', field: 'apiKey', secret: SECRET.pr, url: () => home.url, otherUrl: () => other.url },
    { type: 'torznab-server', id: 'tz', field: 'apiKey', secret: SECRET.tz, url: () => home.url, otherUrl: () => other.url },
  ];

  for (const c of cases) {
    describe(c.type, () => {
      it('sends the stored secret to the deployed origin only; another host gets nothing and the answer says to type it', async () => {
        await post(c.type, { id: c.id, url: c.url(), credentials: { ...c.extra, [c.field]: '__PWRD__' } });
        // Control: the deployed server does get it (mam-account tests through the deployed client, whose cookie may have rotated).
        assert.ok(c.id === 'mam' ? home.seen.some((s) => /mam_id=/.test(s.text)) : received(home, c.secret), 'the deployed server gets the stored secret');
        for (const credentials of [{ ...c.extra, [c.field]: '__PWRD__' }, { ...c.extra }]) {
          const answer = await post(c.type, { id: c.id, url: c.otherUrl(), credentials });
          assert.equal(answer.ok, false);
          assert.match(String(answer.error), /type the .* to test http:\/\/127\.0\.0\.1:\d+: the stored one is only sent to the deployed node's http:\/\/127\.0\.0\.1:\d+/);
        }
        assert.equal(received(other, c.secret), false, 'the other host never saw the secret');
        assert.equal(other.seen.length, 0, 'nor any request');
      });

      it('an emptied secret field is empty: the stored secret is not used', async () => {
        const answer = await post(c.type, { id: c.id, url: c.url(), credentials: { ...c.extra, [c.field]: '' } });
        assert.equal(answer.ok, false);
        assert.equal(received(home, c.secret), false);
      });

      it('refuses a form-encoded ("simple", cross-origin-able) request before doing anything', async () => {
        const res = await helper.request().post(`/audiobook-gaps/${c.type}/test`).type('form').send({ id: c.id, url: c.url() });
        assert.equal(res.status, 415);
        assert.match(String((res.body as Answer).error), /send the form as JSON/);
        const plain = await helper.request().post(`/audiobook-gaps/${c.type}/test`).set('content-type', 'text/plain').send(JSON.stringify({ id: c.id, url: c.url() }));
        assert.equal(plain.status, 415);
        assert.equal(home.seen.length, 0, 'no request was made');
      });

      it('a dead typed URL tests ✗, even with the secret typed', async () => {
        const dead = `http://127.0.0.1:${await freePort()}`;
        const answer = await post(c.type, { id: c.id, url: c.type === 'hardcover-account' ? `${dead}/graphql` : dead, credentials: { ...c.extra, [c.field]: c.secret } });
        assert.equal(answer.ok, false);
        assert.match(String(answer.error), /cannot reach http:\/\/127\.0\.0\.1:\d+/);
      });
    });
  }

  describe('answers are verdicts: capped and never echoed', () => {
    let page: Recorder;
    let mode: 'huge' | 'html' | 'graphql-error' | 'forbidden' = 'html';
    before(async () => {
      page = await recorder((req, res) => {
        if (req.url === '/status') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ app: 'audiobookshelf', serverVersion: '2.36.0', isInit: true })); return; }
        if (mode === 'huge') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(`{"pad":"${'x'.repeat(3 * 1024 * 1024)}"}`); return; }
        if (mode === 'graphql-error') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ errors: [{ message: `${MARKER} internal detail` }] })); return; }
        res.writeHead(mode === 'forbidden' ? 403 : 200, { 'content-type': 'text/html' });
        res.end(`<html><body>${MARKER} secret page</body></html>`);
      });
    });
    after(async () => { await page?.close(); });

    const typed = { abs: { token: 'typed-abs-key-0000' }, hc: { token: 'typed-hc-token-0000' }, mam: { mamId: 'typed-mam-id-0000' } };
    const all = () => [
      post('abs-server', { id: 'abs', url: page.url, credentials: typed.abs }),
      post('hardcover-account', { id: 'hc', url: `${page.url}/graphql`, credentials: typed.hc }),
      post('mam-account', { id: 'mam', url: page.url, credentials: typed.mam }),
    ];

    it('an answer larger than the limit is not read', async () => {
      mode = 'huge';
      for (const answer of await Promise.all(all())) {
        assert.equal(answer.ok, false);
        assert.match(String(answer.error), /answer from http:\/\/127\.0\.0\.1:\d+ is larger than 2048 KiB; not read/);
      }
    });

    it('qBittorrent (whose Test keeps the 64 MiB default for big torrent lists) stops reading at its limit too', async () => {
      mode = 'huge';
      const q = new QbitAdapter({ baseUrl: page.url, username: 'admin', password: 'typed-pass-0000', maxBodyBytes: 1024 * 1024 });
      try {
        await assert.rejects(q.version(), /^qBittorrent: the answer from http:\/\/127\.0\.0\.1:\d+ to \w+ is larger than 1024 KiB; not read/);
      } finally {
        await q.close();
      }
    });

    for (const m of ['html', 'forbidden', 'graphql-error'] as const) {
      it(`what the tested server said is not echoed (${m})`, async () => {
        mode = m;
        for (const answer of await Promise.all(all())) {
          assert.equal(answer.ok, false);
          assert.ok(!String(answer.error).includes(MARKER), `echoed: ${answer.error}`);
        }
      });
    }
  });

  it('mam-account: a Test with another mam_id never overwrites the deployed session saved in the store', async () => {
    const deployed = (helper.getNode('mam') as unknown as { client: { userStatus(): Promise<unknown> } }).client;
    await deployed.userStatus().catch(() => undefined); // the home listener rotates the cookie
    const store = new RotatedCookieStore(await collection(dir, 'state'), 'mam', SECRET.mam);
    const saved = await store.load();
    assert.match(String(saved), /^home-rotated-\d+$/, 'the deployed session rotated and was saved');
    await post('mam-account', { id: 'mam', url: home.url, credentials: { mamId: 'another-session-0042' } });
    assert.ok(home.seen.some((s) => s.text.includes('another-session-0042')), 'the test used the typed mam_id');
    assert.equal(await store.load(), saved, 'the deployed session is still the saved one');
    const tested = await new RotatedCookieStore(await collection(dir, 'state'), 'mam', 'another-session-0042').load();
    assert.match(String(tested), /^home-rotated-\d+$/, "the tested session's rotation is kept in its own record");
  });
});
