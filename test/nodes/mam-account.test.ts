import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { helper, tempStoreDir } from '../helpers/node-red';
import { forgetStores } from '../../lib/store/store';
import type { MamClient } from '../../lib/mam/client';
import mamAccountNode from '../../nodes/mam-account/mam-account';
import { startMamSim, type MamSim } from '../sim/mam-sim';

type AdminAnswer = { ok: boolean; result?: unknown; error?: string };
const ORIGINAL = 'pasted-session-cookie-0001';

describe('mam-account config node', () => {
  let sim: MamSim;
  let dir: string;
  beforeEach(async () => {
    forgetStores();
    dir = tempStoreDir('abg-mam-acct-');
    helper.settings({ audiobookGaps: { storeDir: dir, mamMinIntervalMs: 1 } } as Parameters<typeof helper.settings>[0]);
    sim = await startMamSim({ mamId: ORIGINAL, rotate: true });
  });
  afterEach(async () => {
    await helper.unload();
    await sim.close();
    helper.settings({});
  });

  const flow = (over: object = {}) => [{ id: 'acct', type: 'mam-account', url: sim.url, languages: 'ENG, GER', category: 'audiobooks', freeleech: 'prefer', ...over }];
  const load = (mamId = ORIGINAL) => helper.load(mamAccountNode, flow(), { acct: { mamId } });
  const client = () => (helper.getNode('acct') as unknown as { client: MamClient }).client;

  async function admin(body: object): Promise<{ json: AdminAnswer; text: string }> {
    const res = await helper.request().post('/audiobook-gaps/mam-account/test').send(body).expect(200);
    return { json: res.body as AdminAnswer, text: res.text };
  }

  it('exposes typed search defaults from the form', async () => {
    await load();
    const settings = (helper.getNode('acct') as unknown as { settings: { mainCats: number[]; langIds: number[]; languages: string[]; freeleechPolicy: string; minIntervalMs: number } }).settings;
    assert.deepEqual(settings.mainCats, [13]);
    assert.deepEqual(settings.languages, ['ENG', 'GER']);
    assert.deepEqual(settings.langIds, [1, 37]);
    assert.equal(settings.freeleechPolicy, 'prefer');
    assert.equal(settings.minIntervalMs, 3000);
  });

  it('keeps the rotated cookie across a restart, encrypted on disk', async () => {
    await load();
    await client().userStatus();
    await client().userStatus();
    const newest = sim.currentMamId;
    assert.notEqual(newest, ORIGINAL);
    await helper.unload();
    forgetStores();
    const onDisk = readFileSync(join(dir, 'state.db'), 'utf8');
    assert.ok(onDisk.includes('mam-cookie'));
    assert.ok(!onDisk.includes(newest) && !onDisk.includes(ORIGINAL), 'no plaintext cookie in the store');
    await load();
    await client().userStatus();
    assert.equal(sim.requests.at(-1)?.cookie, newest, 'after the restart the rotated cookie is the one sent');
  });

  it('a newly pasted mam_id makes the saved rotated cookie unreadable and starts cleanly', async () => {
    await load();
    await client().userStatus();
    await helper.unload();
    forgetStores();
    sim.setMamId('brand-new-session-0002');
    await load('brand-new-session-0002');
    const status = await client().userStatus();
    assert.equal(status.username, 'simreader');
    assert.equal(sim.requests.at(-1)?.cookie, 'brand-new-session-0002');
  });

  it('Test connection reports the account through the deployed client (its rotation chain), never the cookie', async () => {
    await load();
    const first = await admin({ id: 'acct', credentials: { mamId: '__PWRD__' } });
    assert.deepEqual(first.json, { ok: true, result: 'MAM: user simreader (Power User), ratio 3.20, 12 of 100 unsatisfied, 3 wedges' });
    // A second test must still work: a throwaway client with the original cookie would be dead now.
    const second = await admin({ id: 'acct', credentials: { mamId: '__PWRD__' } });
    assert.equal(second.json.ok, true);
    assert.ok(![ORIGINAL, sim.currentMamId].some((c) => first.text.includes(c) || second.text.includes(c)));
  });

  it('Test connection shows the exact error for an expired session without echoing the typed cookie', async () => {
    await helper.load(mamAccountNode, [], {});
    const { json, text } = await admin({ id: 'new-acct', url: sim.url, credentials: { mamId: 'typed-but-dead-cookie-77' } });
    assert.equal(json.ok, false);
    assert.match(String(json.error), /^MyAnonamouse: MAM session expired: create a new session and paste its mam_id/);
    assert.ok(!text.includes('typed-but-dead-cookie-77'));
    const none = await admin({ url: sim.url });
    assert.match(String(none.json.error), /no mam_id given/);
  });

  it('closes its client on redeploy', async () => {
    await load();
    let closed = 0;
    const c = client();
    const close = c.close.bind(c);
    c.close = () => { closed++; return close(); };
    await helper.unload();
    assert.equal(closed, 1);
  });
});
