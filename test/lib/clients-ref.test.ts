// Which ledger records a queue / watcher node follows (lib/clients/ref.ts), and the watcher
// asking only its own client about them: a record from before clients could be picked is
// qBittorrent's; a record of a deleted config node is followed by a node of the same type.
import assert from 'node:assert/strict';
import { follows, parseClientType, serviceName } from '../../lib/clients/ref';
import { DownloadStore } from '../../lib/queue/downloads';
import { forgetStores } from '../../lib/store/store';
import { pollOnce } from '../../lib/watch/watcher';
import { candidate, FakeQbit, fakeTorrent } from '../helpers/qbittorrent';
import { WantedStore } from '../../lib/store/wanted';
import { DEFAULT_HEAL, emptyHealReport, replaceFailed } from '../../lib/heal/heal';
import { readTorrentFile } from '../../lib/qbit/torrent-file';
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

describe('self-healing stays with the client a download went to', () => {
  afterEach(() => forgetStores());

  it('a failed Transmission download is refused and replaced in Transmission; a qBittorrent watcher touches neither', async () => {
    const dir = tempStoreDir();
    const downloads = await DownloadStore.open(dir);
    const wanted = await WantedStore.open(dir);
    const [first, second] = [candidate(1), { ...candidate(1), torrent: { ...candidate(1).torrent, id: 2001 } }];
    await wanted.syncGaps([first.gap]);
    await wanted.keepCandidates(first.gap.key, [first, second].map(({ gap: _gap, ...c }) => c));
    const file = fakeTorrent('first upload');
    const { hash } = readTorrentFile(file);
    await downloads.recordIntent({ key: first.gap.key, gap: first.gap, torrentId: first.torrent.id, hash, category: 'audiobooks', tags: [], savePath: '/dl', paused: false, intentAt: new Date().toISOString(), client: { type: 'transmission', node: 'tr1' } });
    await downloads.confirm(first.gap.key, {});
    await downloads.setWatch(first.gap.key, { emitted: ['failed'], done: true, phase: 'failed', reason: 'Transmission reports "error: disk full"' });
    const source = { downloadTorrent: async (id: number) => fakeTorrent(`upload ${id}`) };
    const qbit = new FakeQbit();
    const tr = Object.assign(new FakeQbit(), { service: 'Transmission' as const });
    const settings = { ...DEFAULT_HEAL };

    const byQbit = emptyHealReport();
    await replaceFailed({ client: qbit, scope: { ref: { type: 'qbittorrent', node: 'qb1' } }, source, downloads, wanted, lockKey: dir }, settings, byQbit);
    assert.deepEqual([byQbit.refused, byQbit.next, qbit.adds], [[], [], 0], 'not its download');

    const byTr = emptyHealReport();
    await replaceFailed({ client: tr, scope: { ref: { type: 'transmission', node: 'tr1' } }, source, downloads, wanted, lockKey: dir }, settings, byTr);
    assert.deepEqual(byTr.refused.map((r) => r.reason), ['Transmission reports "error: disk full"']);
    assert.deepEqual(byTr.next.map((n) => n.action), ['queued']);
    assert.equal(tr.adds, 1);
    const next = await downloads.get(first.gap.key);
    assert.deepEqual([next?.torrentId, next?.client], [2001, { type: 'transmission', node: 'tr1' }], 'the next candidate went to Transmission');
    assert.match((await wanted.get(first.gap.key))?.history.at(-1)?.note ?? '', /^added to Transmission \([0-9a-f]{40}\)$/);
  });

  it('a book refused in Transmission waits for Transmission\'s watcher: a qBittorrent watcher does not queue its next candidate', async () => {
    const dir = tempStoreDir();
    const downloads = await DownloadStore.open(dir);
    const wanted = await WantedStore.open(dir);
    const c = candidate(3);
    await wanted.syncGaps([c.gap]);
    await wanted.keepCandidates(c.gap.key, [{ ...c, torrent: { ...c.torrent, id: 3002 } }].map(({ gap: _gap, ...o }) => o));
    await downloads.recordIntent({ key: c.gap.key, gap: c.gap, torrentId: c.torrent.id, hash: 'f'.repeat(40), category: 'audiobooks', tags: [], savePath: '', paused: false, intentAt: new Date().toISOString(), client: { type: 'transmission', node: 'tr1' } });
    await downloads.confirm(c.gap.key, {});
    await downloads.retire(c.gap.key);
    await wanted.refuse(c.gap.key, { torrentId: c.torrent.id, reason: 'stalled', at: new Date().toISOString() });
    const qbit = new FakeQbit();
    const report = emptyHealReport();
    await replaceFailed({ client: qbit, scope: { ref: { type: 'qbittorrent', node: 'qb1' } }, source: { downloadTorrent: async (id: number) => fakeTorrent(`u${id}`) }, downloads, wanted, lockKey: dir }, DEFAULT_HEAL, report);
    assert.deepEqual([report.next.map((n) => n.action), qbit.adds, (await wanted.get(c.gap.key))?.healPending], [['waiting'], 0, true]);
  });
});
