// The queue with a picked client and with indexer results: which client a record names, which
// half-done adds a run heals (only its own client's), where a .torrent is fetched from and
// what a failed fetch says (the indexer's name, not MAM's).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue, type QueueDeps } from '../../lib/queue/queue';
import { withIndexers, type TorrentSource } from '../../lib/queue/source';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Candidate, TorrentOrigin } from '../../lib/types';
import { FakeQbit, candidate, fakeTorrent } from '../helpers/qbittorrent';

const settings = { category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false };
const origin = (node = 'prowlarr-1'): TorrentOrigin => ({ kind: 'indexer', node, indexer: 'PublicBooks', guid: 'g-1' });

describe('lib/queue: picked clients and indexer sources', () => {
  let dir: string;
  let qbit: FakeQbit;
  let downloads: DownloadStore;
  let wanted: WantedStore;
  const mam: TorrentSource = { downloadTorrent: async (id: number) => fakeTorrent(`book-${id}`) };
  const deps = (extra: Partial<QueueDeps> = {}): QueueDeps => ({ qbit, source: mam, downloads, wanted, lockKey: dir, ...extra });

  beforeEach(async () => {
    forgetStores();
    dir = mkdtempSync(join(tmpdir(), 'abg-queue-src-'));
    qbit = new FakeQbit();
    downloads = await DownloadStore.open(dir);
    wanted = await WantedStore.open(dir);
  });
  afterEach(() => forgetStores());

  it('a download queued through a picked client names that client in the ledger and in msg.payload', async () => {
    const ref = { type: 'transmission' as const, node: 'tr-1' };
    const r = await runQueue(deps({ scope: { ref } }), [candidate(1)], settings);
    assert.deepEqual(r.downloads[0].client, ref);
    assert.deepEqual((await downloads.get(candidate(1).gap.key))?.client, ref);
  });

  it('a run heals only its own client\'s half-done adds: another client\'s intent is left to it', async () => {
    const gap = candidate(2).gap;
    await downloads.recordIntent({ key: gap.key, gap, torrentId: 1002, category: 'c', tags: [], savePath: '', paused: false, intentAt: '2030-01-01T00:00:00.000Z', client: { type: 'deluge', node: 'dl-1' } });
    await downloads.update(gap.key, { hash: 'a'.repeat(40), torrentFile: fakeTorrent('book-1002').toString('base64') });
    const r = await runQueue(deps({ scope: { ref: { type: 'qbittorrent', node: 'qb-1' } } }), [], settings);
    assert.deepEqual(r.healed, []);
    assert.equal(qbit.torrents.size, 0, 'qBittorrent was not given Deluge\'s torrent');
    assert.equal((await downloads.get(gap.key))?.phase, 'intent');
  });

  it('an indexer result is fetched through the config node that found it, a MAM torrent through MAM', async () => {
    const asked: string[] = [];
    const source = withIndexers({ ...mam, downloadTorrent: async (id) => { asked.push(`mam:${id}`); return fakeTorrent(`book-${id}`); } },
      (node) => (node === 'prowlarr-1' ? { downloadTorrent: async (o: TorrentOrigin) => { asked.push(`${o.node}:${o.guid}`); return fakeTorrent('indexer-book'); } } : undefined));
    const fromIndexer: Candidate = { ...candidate(3), torrent: { ...candidate(3).torrent, id: -77, source: origin() } };
    const r = await runQueue(deps({ source }), [candidate(1), fromIndexer], settings);
    assert.equal(r.downloads.length, 2);
    assert.deepEqual(asked.sort(), ['mam:1001', 'prowlarr-1:g-1']);
  });

  it('without a MAM account a MAM torrent fails with that reason, an indexer one still queues', async () => {
    const source = withIndexers(undefined, () => ({ downloadTorrent: async () => fakeTorrent('indexer-book') }));
    const fromIndexer: Candidate = { ...candidate(3), torrent: { ...candidate(3).torrent, id: -77, source: origin() } };
    const r = await runQueue(deps({ source }), [candidate(1), fromIndexer], settings);
    assert.equal(r.downloads.length, 1);
    assert.match(r.failed.find((f) => f.key === candidate(1).gap.key)?.reason ?? '', /^MyAnonamouse: torrent 1001: no MAM account to fetch it from/);
    assert.equal(source.buyWedge, undefined, 'no wedge to buy without MAM');
    assert.equal(typeof withIndexers(mam && { ...mam, buyWedge: async () => 'bought' as const }, () => undefined).buyWedge, 'function');
  });

  it('a failed indexer fetch names the indexer, and a gone config node says what to do', async () => {
    const failing = withIndexers(mam, (node) => (node === 'prowlarr-1' ? { downloadTorrent: async () => { throw new Error('HTTP 502 from the download link'); } } : undefined));
    const c: Candidate = { ...candidate(3), torrent: { ...candidate(3).torrent, id: -77, source: origin() } };
    const r1 = await runQueue(deps({ source: failing }), [c], settings);
    assert.match(r1.failed[0]?.reason ?? '', /^PublicBooks: torrent -77: HTTP 502/);
    const gone: Candidate = { ...candidate(4), torrent: { ...candidate(4).torrent, id: -78, source: origin('deleted-node') } };
    const r2 = await runQueue(deps({ source: failing }), [gone], settings);
    assert.match(r2.failed[0]?.reason ?? '', /PublicBooks: torrent -78: the indexer server node that found it is gone/);
  });
});
