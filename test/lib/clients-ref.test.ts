// Which ledger records a queue / watcher node follows (lib/clients/ref.ts), and the watcher
// asking only its own client about them: a record from before clients could be picked is
// qBittorrent's; a record of a deleted config node is followed by a node of the same type.
import assert from 'node:assert/strict';
import { follows, parseClientType, serviceName } from '../../lib/clients/ref';
import { DownloadStore } from '../../lib/queue/downloads';
import { forgetStores } from '../../lib/store/store';
import { pollOnce } from '../../lib/watch/watcher';
import { candidate, FakeQbit } from '../helpers/qbittorrent';
import { tempStoreDir } from '../helpers/node-red';

describe('download client of a record', () => {
  afterEach(() => forgetStores());

  it('follows: same type and config node; old records are qBittorrent\'s; a deleted config node\'s records go to its type', () => {
    const tr = { ref: { type: 'transmission' as const, node: 'tr1' }, deployed: (id: string) => id === 'tr1' || id === 'tr2' || id === 'qb1' };
    assert.equal(follows(tr, { client: { type: 'transmission', node: 'tr1' } }), true);
    assert.equal(follows(tr, { client: { type: 'transmission', node: 'tr2' } }), false, 'another deployed Transmission');
    assert.equal(follows(tr, { client: { type: 'transmission', node: 'gone' } }), true, 'its config node was deleted');
    assert.equal(follows(tr, { client: { type: 'deluge', node: 'gone' } }), false, 'never another type');
    assert.equal(follows(tr, {}), false, 'a record from before is qBittorrent\'s');
    assert.equal(follows({ ref: { type: 'qbittorrent', node: 'qb1' } }, {}), true);
    assert.equal(follows(undefined, {}), true, 'no scope: a qBittorrent node of old');
    assert.equal(follows(undefined, { client: { type: 'deluge' } }), false);
    assert.equal(follows({ ref: { type: 'transmission', node: 'tr1' } }, { client: { type: 'transmission', node: 'tr2' } }), false, 'without knowing what is deployed, another node\'s record is not taken');
    assert.deepEqual(['transmission', 'deluge', undefined, 'utorrent'].map(parseClientType), ['transmission', 'deluge', 'qbittorrent', 'qbittorrent']);
    assert.deepEqual(['qbittorrent', 'transmission', 'deluge'].map((t) => serviceName(t as 'deluge')), ['qBittorrent', 'Transmission', 'Deluge']);
  });

  it('a Transmission watcher asks Transmission about its own records only and counts only them', async () => {
    const dir = tempStoreDir();
    const downloads = await DownloadStore.open(dir);
    const add = async (n: number, client?: { type: 'transmission' | 'qbittorrent'; node: string }) => {
      const c = candidate(n);
      await downloads.recordIntent({ key: c.gap.key, gap: c.gap, torrentId: n, hash: `${n}`.padStart(40, '0'), category: '', tags: [], savePath: '', paused: false, intentAt: new Date().toISOString(), ...(client ? { client } : {}) });
      await downloads.confirm(c.gap.key, {});
    };
    await add(1);
    await add(2, { type: 'transmission', node: 'tr1' });
    await add(3, { type: 'qbittorrent', node: 'qb1' });
    const asked: string[][] = [];
    const fake = new FakeQbit();
    const tr = { service: 'Transmission' as const, getTorrents: async (h: string[]) => { asked.push(h); return fake.getTorrents(h); } };
    const r = await pollOnce({ qbit: tr, scope: { ref: { type: 'transmission', node: 'tr1' } }, downloads, lockKey: dir }, { libraryId: '', scanOnComplete: false, stalledMinutes: 60, notImportedMinutes: 60 });
    assert.deepEqual(asked, [['2'.padStart(40, '0')]]);
    assert.deepEqual(r.events.map((e) => [e.event, e.reason, e.download.client]), [['failed', 'removed from Transmission', { type: 'transmission', node: 'tr1' }]]);
    assert.equal(r.counts.failed, 1);
    assert.equal(r.counts.downloading, 0, 'the two qBittorrent records are not counted');
  });
});
