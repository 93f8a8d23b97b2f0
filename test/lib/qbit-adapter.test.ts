// QbitAdapter against qBittorrent 4.x/5.x behaviour that CI's 4.5 cannot show (the stub in
// qbit-webui-stub.ts), plus the exact torrents/add form the library builds from our options.
import assert from 'node:assert/strict';
import { addFormFields, QbitAdapter } from '../../lib/qbit/adapter';
import { readTorrentFile } from '../../lib/qbit/torrent-file';
import { fakeTorrent } from '../helpers/qbittorrent';
import { eventually, startQbitStub, type QbitStub } from './qbit-webui-stub';

describe('lib/qbit QbitAdapter (4.x / 5.x WebUI behaviour)', () => {
  let stub: QbitStub | undefined;
  let qbit: QbitAdapter | undefined;
  const open = async (version: string, password = 'stub-password-1') => {
    stub = await startQbitStub({ version });
    qbit = new QbitAdapter({ baseUrl: stub.url, username: 'admin', password, timeoutMs: 3000 });
    return { stub, qbit };
  };
  afterEach(async () => { await qbit?.close(); await stub?.close(); qbit = undefined; stub = undefined; });

  it('builds the add fields: both "not started" names, autoTMM=false only with a save path', () => {
    assert.deepEqual(addFormFields({ category: 'audiobooks', tags: ['audiobook-gaps', 'Dune'], savePath: '/data/books', paused: true }), {
      category: 'audiobooks', tags: 'audiobook-gaps,Dune', savepath: '/data/books', autoTMM: 'false', paused: 'true', stopped: 'true',
    });
    assert.deepEqual(addFormFields({ category: 'audiobooks', paused: false }), { category: 'audiobooks' }, 'no save path: the category decides');
  });

  it('the form @ctrl/qbittorrent sends carries stopped on 5.x, paused on 4.x, and our autoTMM', async () => {
    const { buildAddTorrentForm } = await import('@ctrl/qbittorrent/dist/src/addTorrentForm.js');
    const options = addFormFields({ category: 'audiobooks', savePath: '/data/books', paused: true });
    const form = (v5: boolean) => Object.fromEntries([...(buildAddTorrentForm({ source: { type: 'torrent', torrent: new Uint8Array(fakeTorrent('x')) }, options, isVersion5OrHigher: v5 }) as unknown as Iterable<[string, unknown]>)]
      .filter(([k]) => k !== 'file').map(([k, v]) => [k, String(v)]));
    const five = form(true);
    assert.equal(five.stopped, 'true');
    assert.equal(five.paused, undefined);
    assert.deepEqual([five.autoTMM, five.savepath], ['false', '/data/books'], 'savepath kept, manual mode explicit');
    const four = form(false);
    assert.equal(four.paused, 'true');
    assert.equal(four.autoTMM, 'false');
  });

  it('qBittorrent 5.2: QBT_SID_<port> cookie, add stopped, hash from the file equals the JSON reply, stoppedDL/stoppedUP mapped', async () => {
    const { stub, qbit } = await open('v5.2.0');
    assert.equal(await qbit.describe(), 'qBittorrent v5.2.0, 0 torrents');
    const file = fakeTorrent('Dune (Unabridged)');
    const added = await qbit.addTorrent(file, { category: 'audiobooks', tags: ['audiobook-gaps'], savePath: '/data/books', paused: true });
    assert.equal(added.hash, readTorrentFile(file).hash);
    assert.deepEqual([...stub.torrents.keys()], [added.hash], 'qBittorrent lists the hash we computed');
    assert.equal(stub.adds[0].stopped, 'true');
    assert.equal(stub.adds[0].autoTMM, 'false');
    let [t] = await qbit.getTorrents([added.hash.toUpperCase()]);
    assert.deepEqual([t.state, t.phase, t.savePath, t.tags], ['stoppedDL', 'downloading', '/data/books', ['audiobook-gaps']]);
    Object.assign(stub.torrents.get(added.hash)!, { state: 'stoppedUP', progress: 1 });
    [t] = await qbit.getTorrents([added.hash]);
    assert.equal(t.phase, 'completed');
  });

  it('qBittorrent 4.x: add paused lands as pausedDL', async () => {
    const { stub, qbit } = await open('v4.6.7');
    const added = await qbit.addTorrent(fakeTorrent('Old Book'), { category: 'audiobooks', paused: true });
    assert.equal(stub.adds[0].paused, 'true');
    assert.equal(stub.torrents.get(added.hash)?.state, 'pausedDL');
  });

  for (const version of ['v5.2.0', 'v4.6.7']) {
    it(`${version}: a wrong password is "login refused" (401 on 5.2, "Fails." before), never the password`, async () => {
      const { qbit } = await open(version, 'wrong-pass-never-shown-9');
      await assert.rejects(qbit.version(), (e: Error) => {
        assert.equal(e.message, 'qBittorrent: login refused (check user and password)');
        assert.ok(!String(e.stack).includes('wrong-pass-never-shown-9'));
        return true;
      });
    });
  }

  it('says the IP is banned when qBittorrent answers 403 to the login', async () => {
    const { stub, qbit } = await open('v5.2.0');
    stub.banned = true;
    await assert.rejects(qbit.version(), /^qBittorrent: banned this IP after too many failed logins/);
  });

  it('close() closes its sockets at once and refuses further calls', async () => {
    const { stub, qbit } = await open('v5.2.0');
    await qbit.describe();
    assert.ok(stub.openConnections() > 0, 'keep-alive connection open while in use');
    await qbit.close();
    assert.ok(await eventually(() => stub.openConnections() === 0, 500), `still ${stub.openConnections()} open after close()`);
    await assert.rejects(qbit.version(), /client is closed/);
  });
});
