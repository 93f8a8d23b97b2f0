import assert from 'node:assert/strict';
import { helper } from '../helpers/node-red';
import type { AbsClient } from '../../lib/abs/client';
import absServerNode from '../../nodes/abs-server/abs-server';
import { fakeJwt, startAbsSim, type AbsSim } from '../sim/abs-sim';

type AdminAnswer = { ok: boolean; result?: unknown; error?: string };

describe('abs-server config node', () => {
  let sim: AbsSim;
  beforeEach(async () => { sim = await startAbsSim({ prefix: '/audiobookshelf' }); });
  afterEach(async () => { await helper.unload(); await sim.close(); });

  const flow = () => [{ id: 'srv', type: 'abs-server', url: sim.url, timeout: 5 }];

  async function admin(action: string, body: object): Promise<{ json: AdminAnswer; text: string }> {
    const res = await helper.request().post(`/audiobook-gaps/abs-server/${action}`).send(body).expect(200);
    return { json: res.body as AdminAnswer, text: res.text };
  }

  it('owns one client built from the URL and the credential, and closes it on redeploy', async () => {
    await helper.load(absServerNode, flow(), { srv: { token: sim.token } });
    const node = helper.getNode('srv') as unknown as { client: AbsClient; url: string };
    assert.equal(node.url, sim.url);
    assert.equal(await node.client.testConnection(), 'Audiobookshelf 2.36.0, 3 libraries');
    let closed = 0;
    const close = node.client.close.bind(node.client);
    node.client.close = () => { closed++; return close(); };
    await helper.unload();
    assert.equal(closed, 1);
  });

  it('redeploy closes the client\'s sockets, not only a flag', async () => {
    await helper.load(absServerNode, flow(), { srv: { token: sim.token } });
    await (helper.getNode('srv') as unknown as { client: AbsClient }).client.listLibraries();
    assert.ok(sim.openConnections() > 0, 'a keep-alive connection is open while deployed');
    await helper.unload();
    // The pool would keep an idle socket for 4 s; closed, it goes at once.
    for (let i = 0; i < 50 && sim.openConnections() > 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(sim.openConnections(), 0);
  });

  it('warns at deploy when the key is a 1-hour login access token, without showing it', async () => {
    const token = fakeJwt({ userId: 'u1', type: 'access', exp: Math.floor(Date.now() / 1000) + 3600 });
    await helper.load(absServerNode, flow(), { srv: { token } });
    const warn = (helper.getNode('srv') as unknown as { warn: { args: unknown[][] } }).warn;
    assert.match(String(warn.args[0]?.[0]), /^Audiobookshelf: the key is a login access token that expires at .* UTC; nightly runs will then fail — use an API key$/);
    assert.ok(!JSON.stringify(warn.args).includes(token));
  });

  it('Test connection works with unsaved form values and never echoes the key', async () => {
    await helper.load(absServerNode, [], {});
    const { json, text } = await admin('test', { url: sim.url, credentials: { token: sim.token } });
    assert.deepEqual(json, { ok: true, result: 'Audiobookshelf 2.36.0, 3 libraries' });
    assert.ok(!text.includes(sim.token));
  });

  it('Test connection falls back to the stored key when the password field is untouched', async () => {
    await helper.load(absServerNode, flow(), { srv: { token: sim.token } });
    const { json } = await admin('test', { id: 'srv', url: sim.url, credentials: { token: '__PWRD__' } });
    assert.deepEqual(json, { ok: true, result: 'Audiobookshelf 2.36.0, 3 libraries' });
    const byId = await admin('test', { id: 'srv' });
    assert.equal(byId.json.result, 'Audiobookshelf 2.36.0, 3 libraries');
  });

  it('Test connection reports the exact error: wrong key, not ABS, no URL', async () => {
    await helper.load(absServerNode, [], {});
    const wrong = await admin('test', { url: sim.url, credentials: { token: 'typed-wrong-key-999' } });
    assert.equal(wrong.json.ok, false);
    assert.match(String(wrong.json.error), /^Audiobookshelf: rejected the API key \(401\)/);
    assert.ok(!wrong.text.includes('typed-wrong-key-999'));
    const base = sim.url.replace(/\/audiobookshelf$/, '');
    const notAbs = await admin('test', { url: `${base}/other-app`, credentials: { token: sim.token } });
    assert.match(String(notAbs.json.error), /is not an Audiobookshelf server \(GET \/status answered HTTP 404/);
    assert.ok(!notAbs.text.includes(sim.token));
    const none = await admin('test', { credentials: { token: sim.token } });
    assert.deepEqual(none.json, { ok: false, error: 'Audiobookshelf: no server URL given' });
  });

  it('lists libraries for the abs-library editor: id, name and media type only', async () => {
    await helper.load(absServerNode, flow(), { srv: { token: sim.token } });
    const { json, text } = await admin('libraries', { id: 'srv' });
    assert.equal(json.ok, true);
    assert.deepEqual(json.result, [
      { id: sim.libraryIds.audiobooks, name: 'Audiobooks', mediaType: 'book' },
      { id: sim.libraryIds.generated, name: 'Generated', mediaType: 'book' },
      { id: sim.libraryIds.podcasts, name: 'Podcasts', mediaType: 'podcast' },
    ]);
    assert.ok(!text.includes(sim.token) && !text.includes('fullPath'));
  });
});
