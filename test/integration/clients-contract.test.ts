// The download-client contract, run unchanged against REAL qbittorrent-nox, transmission-daemon
// and deluged + deluge-web (test/helpers): what lib/queue and lib/watch rely on holds for every
// client — add with category and save path, adoption of a hash the client already has,
// normalised states, paused adds, remove with and without data, a refused login, and the
// queue's exactly-once across a client restart between "recorded" and "added".
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DelugeAdapter } from '../../lib/clients/deluge';
import { TransmissionAdapter } from '../../lib/clients/transmission';
import type { ClientTorrent, DownloadClient } from '../../lib/clients/types';
import { QbitAdapter } from '../../lib/qbit/adapter';
import { readTorrentFile } from '../../lib/qbit/torrent-file';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue, type QueueSettings } from '../../lib/queue/queue';
import { forgetStores } from '../../lib/store/store';
import { pollOnce, type WatchSettings } from '../../lib/watch/watcher';
import type { DaemonInstance } from '../helpers/daemon';
import { startDeluge } from '../helpers/deluge';
import { candidate, startQbittorrent } from '../helpers/qbittorrent';
import { makeTorrent } from '../helpers/torrents';
import { startTransmission } from '../helpers/transmission';

interface ClientUnderTest {
  name: string;
  start(): Promise<DaemonInstance>;
  connect(d: DaemonInstance, password?: string): DownloadClient;
  /** Tags survive in qBittorrent and Transmission (labels); Deluge has none. */
  keepsTags: boolean;
  refused: string;
}

const clients: ClientUnderTest[] = [
  { name: 'qBittorrent', start: startQbittorrent, keepsTags: true, refused: 'check user and password', connect: (d, pw) => new QbitAdapter({ baseUrl: d.url, username: d.username, password: pw ?? d.password }) },
  { name: 'Transmission', start: startTransmission, keepsTags: true, refused: 'check user and password', connect: (d, pw) => new TransmissionAdapter({ baseUrl: d.url, username: d.username, password: pw ?? d.password }) },
  { name: 'Deluge', start: startDeluge, keepsTags: false, refused: 'check the web UI password', connect: (d, pw) => new DelugeAdapter({ baseUrl: d.url, password: pw ?? d.password }) },
];

/** RFC 4648 base32 (the other way public magnets write a v1 info-hash). */
function base32Of(bytes: Buffer): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) { out += abc[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  return bits > 0 ? out + abc[(value << (5 - bits)) & 31] : out;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

for (const client of clients) {
  describe(`download client contract: ${client.name}`, function () {
    this.timeout(60_000);
    let d: DaemonInstance;
    let c: DownloadClient;
    let n = 0;
    const book = (dir?: string) => makeTorrent(dir ?? d.downloads, `${client.name} Book ${++n}`);
    const one = async (hash: string, phase?: (t: ClientTorrent) => boolean): Promise<ClientTorrent> =>
      until(`${hash} ${phase ? 'in the expected state' : 'listed'}`, async () => { const [t] = await c.getTorrents([hash]); return t && (!phase || phase(t)) ? t : undefined; });

    before(async function () {
      const t0 = Date.now();
      d = await client.start();
      console.log(`      (${client.name} started in ${Date.now() - t0} ms)`);
      c = client.connect(d);
    });
    after(async () => { await c?.close(); await d?.close(); });

    it('describes itself with its name, version and torrent count', async () => {
      assert.match(await c.describe(), new RegExp(`^${client.name} v?\\d+\\.\\d+.*, \\d+ torrents?$`));
    });

    it('adds a real .torrent with category and save path; files already there complete it', async () => {
      const made = book();
      const added = await c.addTorrent(made.torrent, { category: 'audiobooks', tags: ['audiobook-gaps'], savePath: made.dir });
      assert.deepEqual(added, readTorrentFile(made.torrent));
      const t = await one(added.hash, (x) => x.phase === 'completed');
      assert.deepEqual([t.name, t.category, t.savePath, t.contentPath, t.progress, t.held], [made.name, 'audiobooks', made.dir, made.contentPath, 1, false]);
      assert.deepEqual(t.tags, client.keepsTags ? ['audiobook-gaps'] : []);
    });

    it('adding a hash it already has keeps one torrent, and the queue adopts it instead of adding', async () => {
      const made = book();
      const { hash } = await c.addTorrent(made.torrent, { category: 'audiobooks', savePath: made.dir });
      await one(hash);
      assert.deepEqual(await c.addTorrent(made.torrent, { category: 'other', savePath: join(d.downloads, 'elsewhere') }), readTorrentFile(made.torrent), 'a second add is not an error');
      const [t, ...more] = await c.getTorrents([hash]);
      assert.deepEqual([more.length, t.savePath, t.category], [0, made.dir, 'audiobooks'], 'the existing torrent is left as it was');
      const dir = mkdtempSync(join(tmpdir(), 'abg-contract-'));
      const cand = candidate(100 + n);
      const settings: QueueSettings = { category: 'audiobooks', tags: [], savePath: made.dir, paused: false, maxPerRun: 5, dryRun: false, requireApproval: false };
      const downloads = await DownloadStore.open(dir);
      const report = await runQueue({ qbit: c, source: { downloadTorrent: async () => made.torrent }, downloads, lockKey: dir }, [cand], settings);
      assert.deepEqual(report.downloads.map((x) => x.hash), [hash]);
      assert.equal((await downloads.get(cand.gap.key))?.adopted, true);
    });

    it('a torrent with no data and no peers is downloading or stalled, never completed', async () => {
      const made = book();
      const empty = join(d.downloads, `empty-${n}`);
      mkdirSync(empty, { recursive: true });
      const { hash } = await c.addTorrent(made.torrent, { savePath: empty });
      const t = await one(hash, (x) => !x.held);
      assert.ok(['downloading', 'stalled'].includes(t.phase), `${t.phase} (${t.state})`);
      assert.equal(t.progress, 0);
    });

    it('a paused add is held and does not run', async () => {
      const made = book();
      const empty = join(d.downloads, `paused-${n}`);
      mkdirSync(empty, { recursive: true });
      const { hash } = await c.addTorrent(made.torrent, { savePath: empty, paused: true });
      const t = await one(hash, (x) => x.state !== 'checking' && !/check/i.test(x.state));
      assert.deepEqual([t.phase, t.held], ['downloading', true], t.state);
    });

    it('adds a magnet link by its info-hash', async () => {
      const made = book();
      const { hash } = readTorrentFile(made.torrent);
      const added = await c.addMagnet(`magnet:?xt=urn:btih:${hash.toUpperCase()}&dn=${encodeURIComponent(made.name)}`, { savePath: made.dir });
      assert.equal(added.hash, hash);
      const t = await one(hash);
      assert.notEqual(t.phase, 'completed', 'no metadata without peers');
    });

    it('a magnet-only candidate is queued once across a client restart between "recorded" and "added", and its magnet leaves the ledger', async () => {
      const made = book();
      const { hash } = readTorrentFile(made.torrent);
      // A base32 urn:btih, as some public indexers write it; a tracker with a passkey in it.
      const base32 = base32Of(Buffer.from(hash, 'hex'));
      const magnet = `magnet:?xt=urn:btih:${base32}&dn=${encodeURIComponent(made.name)}&tr=${encodeURIComponent('http://127.0.0.1:9/announce?passkey=magnet-secret-42')}`;
      const dir = mkdtempSync(join(tmpdir(), 'abg-contract-'));
      const cand = candidate(500 + n);
      const settings: QueueSettings = { category: 'audiobooks', tags: [], savePath: made.dir, paused: false, maxPerRun: 5, dryRun: false, requireApproval: false };
      let fetched = 0;
      const source = { downloadTorrent: async () => { fetched++; return { magnet }; } };
      const deps = async (hooks?: { afterIntent?: () => void }) => ({ qbit: c, source, downloads: await DownloadStore.open(dir), lockKey: dir, ...(hooks ? { hooks } : {}) });
      await assert.rejects(runQueue(await deps({ afterIntent: () => { throw new Error('killed'); } }), [cand], settings), /killed/);
      assert.equal((await (await DownloadStore.open(dir)).get(cand.gap.key))?.magnet, magnet, 'the intent kept the magnet to heal with');
      await d.restart();
      forgetStores();
      await c.close();
      c = client.connect(d);
      const healed = await runQueue(await deps(), [cand], settings);
      assert.deepEqual([healed.healed, healed.downloads.map((x) => x.hash)], [[cand.gap.key], [hash]]);
      const again = await runQueue(await deps(), [cand], settings);
      assert.deepEqual(again.skipped.map((s) => s.reason), ['already queued']);
      assert.equal((await c.getTorrents([hash])).length, 1);
      assert.equal(fetched, 1, 'the magnet was fetched once; healing used the stored copy');
      const rec = await (await DownloadStore.open(dir)).get(cand.gap.key);
      assert.deepEqual([rec?.phase, rec?.hash, rec?.magnet], ['added', hash, undefined]);
      assert.doesNotMatch(readFileSync(join(dir, 'downloads.db'), 'utf8'), /magnet-secret-42/, 'the passkey is gone from the store file');
    });

    it('removes with and without the data; unknown hashes are ignored', async () => {
      const keep = book();
      const drop = book();
      const [a, b] = [await c.addTorrent(keep.torrent, { savePath: keep.dir }), await c.addTorrent(drop.torrent, { savePath: drop.dir })];
      await one(a.hash, (x) => x.phase === 'completed');
      await one(b.hash, (x) => x.phase === 'completed');
      await c.remove([a.hash, 'f'.repeat(40)]);
      await c.remove([b.hash], true);
      await until('both gone', async () => ((await c.getTorrents([a.hash, b.hash])).length === 0 ? true : undefined));
      assert.ok(existsSync(keep.contentPath), 'kept');
      await until('data deleted', async () => (existsSync(drop.contentPath) ? undefined : true));
    });

    it('a wrong password is a refused login naming the client', async () => {
      const bad = client.connect(d, 'wrong-password-123');
      try {
        await assert.rejects(bad.version(), (e: Error) => e.message === `${client.name}: login refused (${client.refused})`);
      } finally {
        await bad.close();
      }
    });

    it('the watcher follows a queued download to completed, and one removed before completing to failed', async () => {
      const done = book();
      const gone = book();
      const empty = join(d.downloads, `never-${n}`);
      mkdirSync(empty, { recursive: true });
      const dir = mkdtempSync(join(tmpdir(), 'abg-contract-'));
      const [a, b] = [candidate(300 + n), candidate(400 + n)];
      const files = new Map([[a.torrent.id, done.torrent], [b.torrent.id, gone.torrent]]);
      const source = { downloadTorrent: async (id: number) => files.get(id) as Buffer };
      const settings = (savePath: string): QueueSettings => ({ category: 'audiobooks', tags: [], savePath, paused: false, maxPerRun: 5, dryRun: false, requireApproval: false });
      const downloads = await DownloadStore.open(dir);
      await runQueue({ qbit: c, source, downloads, lockKey: dir }, [a], settings(done.dir));
      await runQueue({ qbit: c, source, downloads, lockKey: dir }, [b], settings(empty));
      const watch: WatchSettings = { libraryId: '', scanOnComplete: false, stalledMinutes: 30, notImportedMinutes: 30 };
      const deps = { qbit: c, downloads, lockKey: dir };
      await until('completed', async () => ((await pollOnce(deps, watch)).events.some((e) => e.event === 'completed') ? true : undefined));
      await c.remove([readTorrentFile(gone.torrent).hash]);
      await until('removed', async () => ((await c.getTorrents([readTorrentFile(gone.torrent).hash])).length ? undefined : true));
      const r = await pollOnce(deps, watch);
      assert.deepEqual(r.events.map((e) => `${e.event}:${e.download.key}`), [`failed:${b.gap.key}`]);
      assert.deepEqual((await downloads.get(a.gap.key))?.watch?.emitted, ['completed']);
    });

    it('exactly once across a client restart between "recorded" and "added"', async () => {
      const made = book();
      const dir = mkdtempSync(join(tmpdir(), 'abg-contract-'));
      const cand = candidate(200 + n);
      const settings: QueueSettings = { category: 'audiobooks', tags: [], savePath: made.dir, paused: false, maxPerRun: 5, dryRun: false, requireApproval: false };
      let fetched = 0;
      const source = { downloadTorrent: async () => { fetched++; return made.torrent; } };
      const deps = async (hooks?: { afterIntent?: () => void }) => ({ qbit: c, source, downloads: await DownloadStore.open(dir), lockKey: dir, ...(hooks ? { hooks } : {}) });
      await assert.rejects(runQueue(await deps({ afterIntent: () => { throw new Error('killed'); } }), [cand], settings), /killed/);
      await d.restart();
      forgetStores();
      await c.close();
      c = client.connect(d);
      const healed = await runQueue(await deps(), [cand], settings);
      assert.deepEqual(healed.healed, [cand.gap.key]);
      const again = await runQueue(await deps(), [cand], settings);
      assert.deepEqual(again.skipped.map((s) => s.reason), ['already queued']);
      assert.equal((await c.getTorrents([readTorrentFile(made.torrent).hash])).length, 1);
      assert.equal(fetched, 1, 'the .torrent was fetched once; healing used the stored copy');
    });
  });
}
