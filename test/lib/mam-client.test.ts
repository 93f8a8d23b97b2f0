import assert from 'node:assert/strict';
import { MamClient, SESSION_EXPIRED } from '../../lib/mam/client';
import { looksLikeLogin } from '../../lib/mam/login-page';
import { ServiceError } from '../../lib/errors';
import { redact } from '../../lib/secrets';
import { mamRow, startMamSim, type MamSim } from '../sim/mam-sim';

const TORRENT = Buffer.from('d8:announce22:http://127.0.0.1/ann4:infod4:name4:testee');

describe('lib/mam MamClient against the simulator', () => {
  let sim: MamSim;
  let client: MamClient | undefined;
  afterEach(async () => {
    await client?.close();
    client = undefined;
    await sim.close();
  });

  function make(extra: Partial<ConstructorParameters<typeof MamClient>[0]> = {}): MamClient {
    client = new MamClient({ baseUrl: sim.url, mamId: 'sim-mam-cookie-0', minIntervalMs: 1, backoffMs: 5, ...extra });
    return client;
  }

  it('searches with MAM\'s JSON body and parses rows with JSON inside strings', async () => {
    sim = await startMamSim();
    sim.addRow(mamRow({ id: 11, title: 'The Way of Kings', authors: ['Brandon Sanderson'], narrators: ['Michael Kramer', 'Kate Reading'], series: [['The Stormlight Archive', '1']], size: '1.2 GiB', durationSec: 45 * 3600 }));
    const c = make();
    const res = await c.search({ text: 'way of kings sanderson', srchIn: ['title', 'author'], langs: [1] });
    assert.equal(res.torrents.length, 1);
    const t = res.torrents[0];
    assert.equal(t.id, 11);
    assert.deepEqual(t.authors, ['Brandon Sanderson']);
    assert.deepEqual(t.narrators, ['Michael Kramer', 'Kate Reading']);
    assert.deepEqual(t.series, [{ name: 'The Stormlight Archive', position: '1' }]);
    assert.equal(t.sizeBytes, Math.round(1.2 * 1024 ** 3));
    assert.equal(t.seeders, 12);
    assert.equal(t.added, '2023-04-05T06:07:08.000Z');
    assert.equal(t.durationSec, 45 * 3600);
    const body = sim.searches()[0].body as { tor: { srchIn: Record<string, string>; main_cat: number[]; browse_lang: number[] }; perpage: number };
    assert.deepEqual(body.tor.srchIn, { title: 'true', author: 'true' });
    assert.deepEqual(body.tor.main_cat, [13]);
    assert.deepEqual(body.tor.browse_lang, [1]);
    assert.equal(sim.searches()[0].cookie, 'sim-mam-cookie-0');
  });

  it('treats "Nothing returned, out of 0" as an empty result, not an error', async () => {
    sim = await startMamSim();
    const res = await make().search({ text: 'nothing here', srchIn: ['title'] });
    assert.deepEqual(res, { torrents: [], rejected: [], found: 0 });
  });

  it('rejects one row with malformed author_info and keeps the others', async () => {
    sim = await startMamSim();
    sim.addRow(mamRow({ id: 1, title: 'Mort', authors: ['Terry Pratchett'] }));
    sim.addRow({ ...mamRow({ id: 2, title: 'Mort', authors: ['Terry Pratchett'] }), author_info: '{"12": "Terry Pra' });
    const res = await make().search({ text: 'mort', srchIn: ['title'] });
    assert.deepEqual(res.torrents.map((t) => t.id), [1]);
    assert.equal(res.rejected.length, 1);
    assert.equal(res.rejected[0].id, 2);
    assert.match(res.rejected[0].reason, /author_info/);
  });

  it('adopts a rotated mam_id at once, reports it and registers it as a secret', async () => {
    sim = await startMamSim({ rotate: true });
    sim.addRow(mamRow({ id: 3, title: 'Guards! Guards!', authors: ['Terry Pratchett'] }));
    const rotated: string[] = [];
    const c = make({ onCookieRotated: (v) => { rotated.push(v); } });
    await c.search({ text: 'guards', srchIn: ['title'] });
    await c.search({ text: 'guards', srchIn: ['title'] });
    const status = await c.userStatus();
    assert.equal(status.username, 'simreader');
    assert.equal(rotated.length, 3);
    assert.equal(rotated[2], sim.currentMamId);
    // Each request carried the cookie the previous answer set (the old one is dead at once).
    assert.deepEqual(sim.requests.map((r) => r.cookie), ['sim-mam-cookie-0', rotated[0], rotated[1]]);
    assert.equal(redact(`cookie ${rotated[2]}`), 'cookie ***', 'the current one is redacted');
  });

  for (const [fault, label] of [[{ type: 'login-page' }, 'the login page'], [{ type: 'redirect' }, 'a redirect'], [{ type: 'error-field', message: 'Error, you are not signed in' }, 'an error field']] as const) {
    it(`reports an expired session on ${label}`, async () => {
      sim = await startMamSim();
      sim.setFault(fault);
      await assert.rejects(make().search({ text: 'x', srchIn: ['title'] }), (e: unknown) => e instanceof ServiceError && e.code === 'session_expired' && e.message.includes(SESSION_EXPIRED) && e.message.startsWith('MyAnonamouse: '));
    });
  }

  it('treats an unknown cookie as expired (login page)', async () => {
    sim = await startMamSim({ mamId: 'the-real-one' });
    await assert.rejects(make().userStatus(), /MAM session expired/);
  });

  it('retries a 429 and then succeeds, giving up with a clear error when it persists', async () => {
    sim = await startMamSim();
    sim.setFault({ type: 'rate-limit', count: 2, retryAfter: 0 });
    const status = await make({ retries: 2 }).userStatus();
    assert.equal(status.unsatisfied?.count, 12);
    assert.equal(sim.requests.length, 3);
    sim.setFault({ type: 'rate-limit' });
    await assert.rejects(client!.search({ text: 'x', srchIn: ['title'] }), (e: unknown) => e instanceof ServiceError && e.code === 'rate_limited' && e.transient && /429/.test(e.message));
  });

  it('does not retry early when Retry-After asks for more than a minute', async () => {
    sim = await startMamSim();
    sim.setFault({ type: 'rate-limit', retryAfter: 600 });
    const started = Date.now();
    await assert.rejects(make({ retries: 2 }).userStatus(), (e: unknown) => e instanceof ServiceError && e.code === 'rate_limited');
    assert.equal(sim.requests.length, 1, 'no second request before MAM\'s 10 minutes are over');
    assert.ok(Date.now() - started < 5000);
  });

  it('keeps one request at a time with the minimum interval', async () => {
    sim = await startMamSim();
    const c = make({ minIntervalMs: 60 });
    const started = Date.now();
    await Promise.all([c.userStatus(), c.userStatus(), c.userStatus()]);
    assert.ok(Date.now() - started >= 115, 'three requests need two intervals');
    assert.equal(sim.requests.length, 3);
  });

  it('downloads a .torrent with the cookie, and explains a 404 and a non-torrent body', async () => {
    sim = await startMamSim();
    sim.addTorrent(77, TORRENT);
    const c = make();
    assert.deepEqual(await c.downloadTorrent(77), TORRENT);
    assert.equal(sim.requests[0].query.tid, '77');
    await assert.rejects(c.downloadTorrent(78), (e: unknown) => e instanceof ServiceError && e.code === 'not_found' && /torrent 78 not found \(404\)/.test(e.message));
    // The login page is the session (qbit-queue stops on code session_expired), not the torrent.
    sim.setFault({ type: 'login-page', count: 1 });
    await assert.rejects(c.downloadTorrent(77), (e: unknown) => e instanceof ServiceError && e.code === 'session_expired' && e.message === `MyAnonamouse: ${SESSION_EXPIRED} (the download of torrent 77 answered with the login page)`);
    sim.setFault({ type: 'not-json', count: 1 });
    await assert.rejects(c.downloadTorrent(77), (e: unknown) => e instanceof ServiceError && e.code === 'not_torrent' && /torrent 77 is gone or unavailable: the download answered "\{"data": \[ oops" instead of a \.torrent/.test(e.message));
  });

  it('a torrent that is gone (an HTML notice, not the login page) is that torrent\'s failure, not an expired session', async () => {
    sim = await startMamSim();
    sim.addTorrent(77, TORRENT);
    sim.removeTorrent(77);
    const c = make();
    await assert.rejects(c.downloadTorrent(77), (e: unknown) => e instanceof ServiceError && e.code === 'not_torrent' && /torrent 77 is gone or unavailable: the download answered "My Anonamouse Torrent not found\. It may have been deleted\."/.test(e.message) && !e.message.includes(SESSION_EXPIRED));
    // The session still works: the next request is answered normally.
    assert.equal((await c.userStatus()).username, 'simreader');
  });

  it('never retries a wedge purchase (a 500 may have spent it): one request, a clear error', async () => {
    sim = await startMamSim();
    sim.addRow(mamRow({ id: 5, title: 'Paid' }));
    sim.setFault({ type: 'server-error', count: 1, path: '/json/bonusBuy.php' });
    const c = make({ retries: 3 });
    await assert.rejects(c.buyWedge(5), /^MyAnonamouse: answered HTTP 500/);
    assert.equal(sim.requests.filter((r) => r.path.startsWith('/json/bonusBuy.php')).length, 1);
  });

  it('knows MAM\'s login page by its form, not by a leading "<"', () => {
    const page = (html: string) => looksLikeLogin({ body: Buffer.from(html) });
    assert.equal(page('<!DOCTYPE html><html><head><title>Login | My Anonamouse</title></head><body></body></html>'), true);
    assert.equal(page('<html><body><form method="post" action="/takelogin.php"><input name="email"></form></body></html>'), true);
    assert.equal(page('<html><body><form action="/x"><input name="u"><input type="password" name="p"></form></body></html>'), true);
    assert.equal(page('Error, you are not signed in <br />'), true);
    assert.equal(page('<html><head><title>My Anonamouse</title></head><body>Torrent not found</body></html>'), false);
    assert.equal(page('<html><body>Torrent deleted: see the log in</body></html>'), false);
    assert.equal(page('d8:announce'), false);
  });

  it('spends a wedge, and tells "already free/VIP" apart from failures', async () => {
    sim = await startMamSim();
    sim.addRow(mamRow({ id: 5, title: 'Paid' }));
    sim.addRow(mamRow({ id: 6, title: 'Free', free: true }));
    sim.addRow(mamRow({ id: 7, title: 'VIP', vip: true }));
    const c = make();
    assert.equal(await c.buyWedge(5), 'bought');
    assert.equal(await c.buyWedge(5), 'already_personal');
    assert.equal(await c.buyWedge(6), 'global_freeleech');
    assert.equal(await c.buyWedge(7), 'vip');
    assert.deepEqual(sim.wedgesSpent, [5]);
    assert.equal(sim.user.wedges, 2);
  });
});
