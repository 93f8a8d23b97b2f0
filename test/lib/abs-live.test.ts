import assert from 'node:assert/strict';
import { AbsClient } from '../../lib/abs/client';
import { AbsLiveFeed, type LiveState } from '../../lib/abs/live';
import { startAbsSim, type AbsSim } from '../sim/abs-sim';

function waitFor<T>(check: () => T | undefined, what: string, ms = 3000): Promise<T> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      const v = check();
      if (v !== undefined) return resolve(v);
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

describe('lib/abs AbsLiveFeed (socket.io)', () => {
  let sim: AbsSim;
  let feed: AbsLiveFeed | undefined;
  afterEach(async () => { feed?.stop(); await sim.close(); });

  it('authenticates with the user token from /api/me behind a path prefix and reports scan and watcher additions', async () => {
    sim = await startAbsSim({ socket: true, prefix: '/audiobookshelf', scanDelayMs: 20 });
    const client = new AbsClient({ baseUrl: sim.url, token: sim.token });
    const states: LiveState[] = [];
    const added: string[][] = [];
    feed = new AbsLiveFeed({ baseUrl: sim.url, userToken: async () => (await client.me()).token ?? '', onItemsAdded: (items) => added.push(items.map((i) => i.id)), onState: (s) => states.push(s) });
    feed.start();
    await waitFor(() => (states.includes('live') ? true : undefined), 'live');
    const scanned = sim.addItem({ title: 'Tehanu', authors: ['Ursula K. Le Guin'] }, { onScan: true });
    await client.scanLibrary(sim.libraryIds.audiobooks);
    await waitFor(() => (added.length ? true : undefined), 'items_added');
    const watched = sim.addItem({ title: 'The Other Wind', authors: ['Ursula K. Le Guin'] });
    await waitFor(() => (added.length > 1 ? true : undefined), 'item_added');
    assert.deepEqual(added, [[scanned.id], [watched.id]]);
    await client.close();
  });

  it('an API key is refused on the socket: the state says auth_failed and nothing is delivered', async () => {
    sim = await startAbsSim({ socket: true });
    const states: string[] = [];
    const added: unknown[] = [];
    feed = new AbsLiveFeed({ baseUrl: sim.url, userToken: async () => sim.token, onItemsAdded: (i) => added.push(i), onState: (s, d) => states.push(`${s}${d ? `:${d}` : ''}`) });
    feed.start();
    await waitFor(() => (states.some((s) => s.startsWith('auth_failed')) ? true : undefined), 'auth_failed');
    sim.addItem({ title: 'Unheard', authors: ['Nobody'] });
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(added, []);
    assert.ok(states.includes('auth_failed:Invalid token'), states.join());
  });

  it('re-authenticates after the server drops the connection', async () => {
    sim = await startAbsSim({ socket: true });
    let tokenAsks = 0;
    const states: LiveState[] = [];
    feed = new AbsLiveFeed({ baseUrl: sim.url, userToken: async () => { tokenAsks++; return sim.legacyToken; }, onItemsAdded: () => undefined, onState: (s) => states.push(s), reconnectDelayMs: 50 });
    feed.start();
    await waitFor(() => (sim.socket!.authenticated() === 1 ? true : undefined), 'first auth');
    sim.socket!.disconnectAll();
    await waitFor(() => (tokenAsks === 2 && sim.socket!.authenticated() === 1 ? true : undefined), 'second auth');
    assert.deepEqual(states.filter((s) => s === 'live').length, 2);
  });
});
