// An indexer candidate is fetchable by the queue: the .torrent comes through the config node
// that found it (Prowlarr's download route, the Torznab link) with the API key put back from
// credentials; the key is in no candidate, record, report or error. MAM candidates go on
// through MAM unchanged.
import { strict as assert } from 'node:assert';
import { indexerHttp, ProwlarrServer, TorznabFeed } from '../../lib/indexer/client';
import { downloadIndexerTorrent } from '../../lib/indexer/download';
import { runIndexerSearch } from '../../lib/indexer/search-run';
import { readTorrentFile } from '../../lib/qbit/torrent-file';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue } from '../../lib/queue/queue';
import { withIndexers } from '../../lib/queue/source';
import { collection, forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Gap } from '../../lib/types';
import { FakeQbit, candidate, fakeTorrent } from '../helpers/qbittorrent';
import { tempStoreDir } from '../helpers/node-red';
import { AUDIO_BOOKS, simRelease, startTorznabSim, type TorznabSim } from '../sim/torznab-sim';
import { startProwlarrSim, type ProwlarrSim } from '../sim/prowlarr-sim';

const MiB = 1024 * 1024;
const fast = { minIntervalMs: 0, backoffMs: 5, retries: 1 };
const settings = { category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false };
const GAP: Gap = { key: 'series:mistborn|brandon sanderson#1', kind: 'series', status: 'wanted', title: 'The Final Empire', authors: ['Brandon Sanderson'], series: 'Mistborn', sequence: '1', source: 'library', reason: 'missing' };
const FILE = fakeTorrent('The Final Empire');

describe('indexer downloads through the queue', () => {
  let tz: TorznabSim;
  let pr: ProwlarrSim;
  before(async () => {
    const releases = [simRelease('e1', 'Brandon Sanderson - Mistborn 01 - The Final Empire (2006) [m4b]', { sizeBytes: 900 * MiB, file: FILE })];
    tz = await startTorznabSim({ indexers: [{ id: 1, name: 'AudioBookBay', categories: [AUDIO_BOOKS], bookSearch: true, releases }] });
    pr = await startProwlarrSim({ indexers: [{ id: 3, name: 'AudioBookBay', categories: [AUDIO_BOOKS], bookSearch: true, releases }] });
  });
  after(async () => { await tz.close(); await pr.close(); });

  for (const via of ['Torznab', 'Prowlarr'] as const) {
    it(`${via}: the candidate's .torrent is fetched through its config node, added once, and no API key is stored or sent on`, async () => {
      forgetStores();
      const dir = tempStoreDir('abg-indexer-dl-');
      const feed = via === 'Torznab' ? new TorznabFeed(indexerHttp('Torznab', fast), tz.feedUrl('AudioBookBay'), tz.apiKey, 'AudioBookBay') : undefined;
      const prowlarr = via === 'Prowlarr' ? new ProwlarrServer(indexerHttp('Prowlarr', fast), pr.url, pr.apiKey) : undefined;
      const apiKey = via === 'Torznab' ? tz.apiKey : pr.apiKey;
      const endpoints = feed ? [feed] : await prowlarr!.endpoints();
      const node = `cfg-${via}`;
      const search = await runIndexerSearch([GAP], { node, endpoints, cache: await collection(dir, 'cache') }, { cacheTtlMs: 0 });
      assert.equal(search.candidates.length, 1, JSON.stringify(search.notFound));
      const holder = { http: (feed ?? prowlarr)!.http, apiKey, privateLinks: (feed ?? prowlarr)!.privateLinks };
      const source = withIndexers(undefined, (id) => (id === node ? { downloadTorrent: (o) => downloadIndexerTorrent(holder, o) } : undefined));
      const qbit = new FakeQbit();
      const wanted = await WantedStore.open(dir);
      await wanted.syncGaps([GAP]);
      const downloads = await DownloadStore.open(dir);
      const report = await runQueue({ qbit, source, downloads, wanted, lockKey: dir }, search.candidates, settings);
      assert.deepEqual(report.failed, []);
      assert.equal(report.downloads[0].hash, readTorrentFile(FILE).hash);
      assert.equal(qbit.adds, 1);
      const fetches = (via === 'Torznab' ? tz : pr).requests.filter((r) => /\/(dl|\d+)\/|download/.test(r.path));
      assert.equal(fetches.length, 1);
      assert.equal(fetches[0].query.apikey, apiKey, 'the key went back into the link');
      const stored = JSON.stringify([await downloads.list(), await wanted.get(GAP.key), report, search]);
      assert.doesNotMatch(stored, new RegExp(apiKey));
      assert.match(stored, /"kind":"indexer"/, 'the origin is kept for the heal\'s next attempt');
    });
  }

  it('a fetch refused (wrong key) or an indexer node that is gone is a clear error without the key; MAM torrents still go to MAM', async () => {
    const http = indexerHttp('Torznab', fast);
    const origin = { kind: 'indexer' as const, node: 'n', indexer: 'AudioBookBay', guid: 'e1', link: `${tz.origin}/dl/audiobookbay/e1?file=x`, keyParam: 'apikey' };
    await assert.rejects(downloadIndexerTorrent({ http, apiKey: 'wrong-key-123', privateLinks: new Map() }, origin), (e: Error) => /^Torznab: rejected the API key for the \.torrent of "e1" from AudioBookBay \(HTTP 401\)$/.test(e.message) && !e.message.includes('wrong-key-123'));
    await assert.rejects(downloadIndexerTorrent({ http, apiKey: tz.apiKey, privateLinks: new Map() }, { ...origin, link: undefined }), /only kept in memory .* search again/);
    const mamFetched: number[] = [];
    const source = withIndexers({ downloadTorrent: async (id) => { mamFetched.push(id); return FILE; } }, () => undefined);
    await assert.rejects(source.downloadTorrent(-5, origin), /^Error: AudioBookBay: torrent -5: the indexer server node that found it is gone/);
    assert.equal(await source.downloadTorrent(candidate(1).torrent.id), FILE);
    assert.deepEqual(mamFetched, [candidate(1).torrent.id]);
  });
});
