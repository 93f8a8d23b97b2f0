// A magnet-only release moves real bytes: a public indexer (the Prowlarr simulator, whose
// magnetUrl is its own route that redirects to the magnet) lists a book that a REAL qBittorrent
// seeds on loopback; the magnet's tracker (test/sim/tracker-sim.ts) hands out that seeder, the
// queue adds the magnet to each REAL client by the hash in it, the client fetches the metadata
// and the files from the seeder, and the watcher sees the download complete with the same bytes.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { DelugeAdapter } from '../../lib/clients/deluge';
import type { DownloadClient } from '../../lib/clients/types';
import { indexerHttp, ProwlarrServer } from '../../lib/indexer/client';
import { downloadIndexerTorrent } from '../../lib/indexer/download';
import { runIndexerSearch } from '../../lib/indexer/search-run';
import { QbitAdapter } from '../../lib/qbit/adapter';
import { readTorrentFile } from '../../lib/qbit/torrent-file';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue } from '../../lib/queue/queue';
import { withIndexers } from '../../lib/queue/source';
import { collection, forgetStores } from '../../lib/store/store';
import { pollOnce } from '../../lib/watch/watcher';
import type { Gap } from '../../lib/types';
import type { DaemonInstance } from '../helpers/daemon';
import { startDeluge } from '../helpers/deluge';
import { tempStoreDir } from '../helpers/node-red';
import { startQbittorrent, type QbitInstance } from '../helpers/qbittorrent';
import { makeTorrent, type MadeTorrent } from '../helpers/torrents';
import { AUDIO_BOOKS, simRelease, startProwlarrSim, type ProwlarrSim } from '../sim/prowlarr-sim';
import { startTrackerSim, type TrackerSim } from '../sim/tracker-sim';

const GAP: Gap = { key: 'series:mistborn|brandon sanderson#2', kind: 'series', status: 'wanted', title: 'The Well of Ascension', authors: ['Brandon Sanderson'], series: 'Mistborn', sequence: '2', source: 'library', reason: 'missing' };
const NAME = 'Brandon Sanderson - Mistborn 02 - The Well of Ascension (2007) [mp3]';
const settings = { category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 5, dryRun: false, requireApproval: false };

// Transmission is not among them: 3.00 treats 127.0.0.0/8 peers as martian addresses and never
// connects to one (it announces, gets the seeder, stays at "no peers"), and tests may not leave
// loopback. Its magnet add, adoption and healing are in clients-contract.test.ts.
/** Something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

const downloaders: { name: string; start: () => Promise<DaemonInstance>; connect: (d: DaemonInstance) => DownloadClient }[] = [
  { name: 'qBittorrent', start: startQbittorrent, connect: (d) => new QbitAdapter({ baseUrl: d.url, username: d.username, password: d.password }) },
  { name: 'Deluge', start: startDeluge, connect: (d) => new DelugeAdapter({ baseUrl: d.url, password: d.password }) },
];

describe('a magnet-only release downloads real bytes from a peer', function () {
  this.timeout(150_000);
  let seeder: QbitInstance;
  let seed: DownloadClient;
  let made: MadeTorrent;
  let hash: string;
  let pr: ProwlarrSim;
  let tracker: TrackerSim;

  before(async () => {
    seeder = await startQbittorrent();
    seed = new QbitAdapter({ baseUrl: seeder.url, username: seeder.username, password: seeder.password });
    made = makeTorrent(join(seeder.downloads, 'seed'), NAME, [300_000, 200_000], { public: true });
    ({ hash } = readTorrentFile(made.torrent));
    await seed.addTorrent(made.torrent, { savePath: made.dir });
    // Seeding only once its files are checked: a peer that connects earlier is turned away.
    for (let i = 0; i < 100 && (await seed.getTorrents([hash]))[0]?.phase !== 'completed'; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await seed.getTorrents([hash]))[0]?.phase, 'completed', 'the seeder has the whole book');
    assert.ok(await listening(seeder.peerPort), `the seeder listens for peers on 127.0.0.1:${seeder.peerPort}`);
    tracker = await startTrackerSim([{ ip: '127.0.0.1', port: seeder.peerPort }]);
    // Two ways to the seeder, as a public magnet has (a tracker, and DHT/PEX in real life: here x.pe).
    const magnet = `magnet:?xt=urn:btih:${hash}&dn=${encodeURIComponent(NAME)}&tr=${encodeURIComponent(tracker.announceUrl)}&x.pe=127.0.0.1:${seeder.peerPort}`;
    const releases = [simRelease('pb-2', NAME, { sizeBytes: 700 * 1024 * 1024, seeders: 1, peers: 1, magnetOnly: true, infohash: hash, magnet })];
    pr = await startProwlarrSim({ indexers: [{ id: 9, name: 'PublicBay', privacy: 'public', categories: [AUDIO_BOOKS], bookSearch: true, releases }] });
  });
  after(async () => { await seed?.close(); await seeder?.close(); await pr?.close(); await tracker?.close(); });

  for (const c of downloaders) {
    it(`${c.name}: queued once by the magnet's hash, fetched from the seeder, completed with the seeder's bytes`, async () => {
      forgetStores();
      const d = await c.start();
      const client = c.connect(d);
      const prowlarr = new ProwlarrServer(indexerHttp('Prowlarr', { minIntervalMs: 0, retries: 1 }), pr.url, pr.apiKey);
      try {
        const dir = tempStoreDir('abg-magnet-peer-');
        const search = await runIndexerSearch([GAP], { node: 'cfg', endpoints: await prowlarr.endpoints(), cache: await collection(dir, 'cache') }, { cacheTtlMs: 0 });
        assert.equal(search.candidates.length, 1, JSON.stringify(search.notFound));
        assert.ok(search.candidates[0].reasons.some((r) => /^magnet link only/.test(r)), 'Prowlarr gave only its magnet route');
        const holder = { http: prowlarr.http, apiKey: pr.apiKey, privateLinks: prowlarr.privateLinks };
        const source = withIndexers(undefined, () => ({ downloadTorrent: (o) => downloadIndexerTorrent(holder, o) }));
        const savePath = join(d.downloads, 'books');
        mkdirSync(savePath, { recursive: true });
        const downloads = await DownloadStore.open(dir);
        const report = await runQueue({ qbit: client, source, downloads, lockKey: dir }, search.candidates, { ...settings, savePath });
        assert.deepEqual([report.failed, report.downloads.map((x) => x.hash)], [[], [hash]]);
        const watch = { libraryId: '', scanOnComplete: false, stalledMinutes: 30, notImportedMinutes: 30 };
        let completed = false;
        // Usually 2–4 s. Under load qBittorrent's first connection to the seeder sometimes fails and
        // libtorrent tries that peer again a minute later (seen at ~62 s): wait up to 100 s.
        for (const until = Date.now() + 100_000; Date.now() < until && !completed;) {
          completed = (await pollOnce({ qbit: client, downloads, lockKey: dir }, watch)).events.some((e) => e.event === 'completed');
          if (!completed) await new Promise((r) => setTimeout(r, 250));
        }
        assert.ok(completed, `${c.name} completed the download: ${JSON.stringify(await client.getTorrents([hash]))}; seeder: ${JSON.stringify(await seed.getTorrents([hash]))}; announces: ${tracker.announces.length}`);
        const [t] = await client.getTorrents([hash]);
        assert.equal(t.name, NAME, 'the name came with the metadata');
        for (const f of readdirSync(made.contentPath)) assert.ok(readFileSync(join(savePath, NAME, f)).equals(readFileSync(join(made.contentPath, f))), f);
        const again = await runQueue({ qbit: client, source, downloads, lockKey: dir }, search.candidates, { ...settings, savePath });
        assert.deepEqual(again.skipped.map((s) => s.reason), ['already queued']);
        assert.ok(tracker.announces.includes(hash), 'the client announced to the magnet\'s tracker');
      } finally {
        await prowlarr.http.close();
        await client.close();
        await d.close();
      }
    });
  }
});
