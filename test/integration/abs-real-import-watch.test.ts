// abs-import-watch against a REAL Audiobookshelf 2.36.0 (test/helpers/audiobookshelf.ts) and a
// REAL qbittorrent-nox: the book's files are already on disk inside the library folder, so
// qBittorrent checks them to 100 % at once; ABS only learns of them from the scan the watcher
// asks for. Node-level: poll and live socket modes. Watcher-level: the path-match rules, a
// multi-file torrent saved without a subfolder into the library root, an item whose files were
// deleted. The simulator tests (test/nodes/abs-import-watch.test.ts) keep the faults.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AbsClient } from '../../lib/abs/client';
import { QbitAdapter } from '../../lib/qbit/adapter';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue } from '../../lib/queue/queue';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Candidate, ImportEvent } from '../../lib/types';
import { pollOnce, type WatchSettings } from '../../lib/watch/watcher';
import absServerNode from '../../nodes/abs-server/abs-server';
import watchNode from '../../nodes/abs-import-watch/abs-import-watch';
import { absServer, bookTags, type AbsServer } from '../helpers/audiobookshelf';
import { helper, tempStoreDir, withStore } from '../helpers/node-red';
import { candidate, startQbittorrent, type QbitInstance } from '../helpers/qbittorrent';
import qbitServerNode from '../../nodes/qbit-server/qbit-server';

/** A private .torrent of files already on disk (nobody answers the loopback tracker). */
function torrentOf(path: string): Buffer {
  const out = join(mkdtempSync(join(tmpdir(), 'abg-tor-')), 'x.torrent');
  execFileSync('mktorrent', ['-p', '-a', 'http://127.0.0.1:9/announce', '-l', '15', '-n', basename(path), '-o', out, path], { stdio: 'ignore' });
  return readFileSync(out);
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let torrentId = 7000;
/** A wanted book of the Moon series and its candidate torrent. */
function wantedBook(title: string, sequence: string, author = 'Jane Doe'): Candidate {
  const c = candidate(Number(sequence));
  c.gap = { ...c.gap, key: `series:moon|${author.toLowerCase()}#${sequence}-${torrentId}`, title, authors: [author], series: 'Moon', sequence };
  c.torrent = { ...c.torrent, id: ++torrentId, title, authors: [author] };
  return c;
}

describe('integration: abs-import-watch with a real Audiobookshelf and qBittorrent', function () {
  this.timeout(240_000); // a cold run installs the ABS server first (~2.5 min); warm runs take seconds
  let abs: AbsServer;
  let q: QbitInstance;
  let qbit: QbitAdapter;
  let client: AbsClient;
  let dir: string;

  before(async () => {
    [abs, q] = await Promise.all([absServer(), startQbittorrent()]);
    qbit = new QbitAdapter({ baseUrl: q.url, username: q.username, password: q.password });
    client = new AbsClient({ baseUrl: abs.url, token: abs.apiKey });
  });
  after(async () => { await qbit?.close(); await client?.close(); await q?.close(); });
  beforeEach(() => { dir = tempStoreDir('abg-real-watch-'); });
  afterEach(() => forgetStores());

  /** Queues the torrent of files already on disk and waits until qBittorrent has checked them. */
  async function queue(c: Candidate, files: string, savePath: string): Promise<string> {
    const torrent = torrentOf(files);
    const deps = { qbit, source: { downloadTorrent: async () => torrent }, downloads: await DownloadStore.open(dir), wanted: await WantedStore.open(dir), lockKey: dir };
    await deps.wanted.syncGaps([c.gap]);
    const report = await runQueue(deps, [c], { category: 'audiobooks', tags: [], savePath, paused: false, maxPerRun: 10, dryRun: false, requireApproval: false });
    const hash = report.downloads[0].hash;
    await until('qBittorrent to finish checking', async () => ((await qbit.getTorrents([hash]))[0]?.phase === 'completed' ? true : undefined));
    return hash;
  }
  const watchDeps = async () => ({ qbit, abs: client, downloads: await DownloadStore.open(dir), wanted: await WantedStore.open(dir), lockKey: dir });

  describe('the node', () => {
    let lib: { id: string; folder: string };
    before(async () => {
      lib = await abs.createLibrary('Watch nodes', [{ dir: 'Jane Doe/Moon/Book 1 - Moon Rise', tags: bookTags({ title: 'Moon Rise', author: 'Jane Doe', series: 'Moon', part: '1' }) }]);
    });
    afterEach(async () => { await helper.unload(); });

    type Out = { origin?: string; payload: ImportEvent };
    async function load(live: boolean, scanOnComplete = true): Promise<Out[]> {
      withStore(dir);
      const flow = [
        { id: 'qs', type: 'qbit-server', url: q.url, timeout: 10 },
        { id: 'abs', type: 'abs-server', url: abs.url, timeout: 10 },
        { id: 'w', type: 'abs-import-watch', server: 'qs', abs: 'abs', library: lib.id, scanOnComplete, mapFrom: '', mapTo: '', stalledMinutes: 60, notImportedMinutes: 60, live, wires: [['out']] },
        { id: 'out', type: 'helper' },
      ];
      await helper.load([qbitServerNode, absServerNode, watchNode], flow, { qs: { username: q.username, password: q.password }, abs: { token: abs.apiKey } });
      const got: Out[] = [];
      (helper.getNode('out') as unknown as NodeJS.EventEmitter).on('input', (m: Out) => got.push(m));
      return got;
    }
    const trigger = () => (helper.getNode('w') as unknown as { receive(m: object): void }).receive({ origin: 'tick', payload: Date.now() });

    it('poll: completed, then imported by path once ABS has scanned, each sent once', async () => {
      const c = wantedBook('Moon Set', '2');
      const bookDir = join(lib.folder, 'Jane Doe', 'Moon', 'Book 2 - Moon Set');
      abs.writeBooks(lib.folder, [{ dir: 'Jane Doe/Moon/Book 2 - Moon Set', format: 'mp3', tags: { ...bookTags({ title: 'Moon Set', author: 'Jane Doe' }), grouping: 'Moon #2' } }]);
      await queue(c, bookDir, join(lib.folder, 'Jane Doe', 'Moon'));
      const got = await load(false);
      await until('imported', async () => {
        trigger();
        await new Promise((r) => setTimeout(r, 400));
        return got.some((m) => m.payload.event === 'imported') ? true : undefined;
      });
      assert.deepEqual(got.map((m) => m.payload.event), ['completed', 'imported']);
      const imported = got[1].payload;
      assert.equal(imported.match, 'path');
      assert.equal(imported.item?.path, bookDir);
      assert.equal(imported.item?.title, 'Moon Set');
      assert.equal((await (await WantedStore.open(dir)).get(c.gap.key))?.state, 'imported');
      trigger();
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(got.length, 2, 'nothing is sent twice');
    });

    it('live: after one tick (completed), a scan ABS runs on its own announces the item on the socket, and the import follows with no further tick', async () => {
      const c = wantedBook('Moon Dark', '3');
      const bookDir = join(lib.folder, 'Jane Doe', 'Moon', 'Book 3 - Moon Dark');
      abs.writeBooks(lib.folder, [{ dir: 'Jane Doe/Moon/Book 3 - Moon Dark', tags: bookTags({ title: 'Moon Dark', author: 'Jane Doe', series: 'Moon', part: '3' }) }]);
      await queue(c, bookDir, join(lib.folder, 'Jane Doe', 'Moon'));
      // No scan from the node: the item cannot exist before the test's own scan (as ABS's folder
      // watcher or its scheduled scan would run it), so the import can only come from the socket.
      const got = await load(true, false);
      const w = helper.getNode('w') as unknown as { log: { args: unknown[][] } };
      await until('the live socket', async () => (w.log.args.some((a) => String(a[0]).includes('live socket connected')) ? true : undefined));
      trigger();
      await until('completed', async () => (got.length ? true : undefined));
      await abs.scan(lib.id);
      await until('imported', async () => (got.some((m) => m.payload.event === 'imported') ? true : undefined));
      assert.deepEqual(got.map((m) => [m.payload.event, m.origin]), [['completed', 'tick'], ['imported', undefined]], 'the import came from the socket, not a tick');
      assert.equal(got[1].payload.match, 'path');
      assert.equal(got[1].payload.item?.path, bookDir);
    });
  });

  describe('the watcher: what proves an import', () => {
    const settings = (libraryId: string, scanOnComplete = true): WatchSettings => ({ libraryId, scanOnComplete, stalledMinutes: 60, notImportedMinutes: 60 });

    it('a multi-file torrent saved without a subfolder into the library root: the newest item is not it; its own files match by title + author', async () => {
      const lib = await abs.createLibrary('Root saves', [{ dir: 'Jane Doe/Moon/Book 1 - Moon Rise', tags: bookTags({ title: 'Moon Rise', author: 'Jane Doe', series: 'Moon', part: '1' }) }]);
      // The torrent: a folder of two parts; qBittorrent is set to drop the top folder.
      const staging = mkdtempSync(join(tmpdir(), 'abg-pack-'));
      abs.writeBooks(staging, [{ dir: 'Moon Set', files: ['Moon Set - 01.m4b', 'Moon Set - 02.m4b'], tags: bookTags({ title: 'Moon Set', author: 'Jane Doe' }) }]);
      await setContentLayout('NoSubfolder');
      try {
        const c = wantedBook('Moon Set', '2');
        // After queueing, another book by the same author arrives and is scanned: the newest item.
        const t = torrentOf(join(staging, 'Moon Set'));
        const deps = { qbit, source: { downloadTorrent: async () => t }, downloads: await DownloadStore.open(dir), wanted: await WantedStore.open(dir), lockKey: dir };
        await deps.wanted.syncGaps([c.gap]);
        const report = await runQueue(deps, [c], { category: 'audiobooks', tags: [], savePath: lib.folder, paused: true, maxPerRun: 10, dryRun: false, requireApproval: false });
        abs.writeBooks(lib.folder, [{ dir: 'Jane Doe/Moon/Book 3 - Moon Dark', tags: bookTags({ title: 'Moon Dark', author: 'Jane Doe', series: 'Moon', part: '3' }) }]);
        await abs.scan(lib.id);
        // The parts land in the root itself; a recheck finds them complete.
        for (const f of readdirSync(join(staging, 'Moon Set'))) copyFileSync(join(staging, 'Moon Set', f), join(lib.folder, f));
        const hash = report.downloads[0].hash;
        await qbitCall('torrents/recheck', { hashes: hash });
        await qbitCall('torrents/start', { hashes: hash });
        await qbitCall('torrents/resume', { hashes: hash });
        const done = await until('the recheck', async () => { const [tt] = await qbit.getTorrents([hash]); return tt?.phase === 'completed' ? tt : undefined; });
        assert.equal(done.contentPath.replace(/\/$/, ''), lib.folder, 'qBittorrent: content path = save path = library root');

        const first = await pollOnce(await watchDeps(), settings(lib.id, false));
        assert.deepEqual(first.events.map((e) => e.event), ['completed'], 'the newest item (Moon Dark, same author, added after queueing) is not claimed');
        await abs.scan(lib.id);
        const second = await pollOnce(await watchDeps(), settings(lib.id, false));
        assert.deepEqual(second.events.map((e) => [e.event, e.match]), [['imported', 'title-author']]);
        assert.match(second.events[0].item?.path ?? '', /\/Moon Set - 0[12]\.m4b$/);
      } finally {
        await setContentLayout('Original');
        rmSync(staging, { recursive: true, force: true });
      }
    });

    it('an item that was already at the content path before the download was queued is not proof', async () => {
      // A re-download into an existing folder: same title, another author, scanned long before.
      const lib = await abs.createLibrary('Old folder', [{ dir: 'Shelf/Moon Set', tags: bookTags({ title: 'Moon Set', author: 'Somebody Else' }) }]);
      const c = wantedBook('Moon Set', '2');
      await queue(c, join(lib.folder, 'Shelf', 'Moon Set'), join(lib.folder, 'Shelf'));
      const r = await pollOnce(await watchDeps(), settings(lib.id));
      await abs.scan(lib.id);
      const again = await pollOnce(await watchDeps(), settings(lib.id));
      assert.deepEqual([...r.events, ...again.events].map((e) => e.event), ['completed'], 'no import: the item predates the download and its author differs');
    });

    it('an item whose files were deleted (ABS: isMissing) is not the import of a new download', async () => {
      const lib = await abs.createLibrary('Deleted', [{ dir: 'Jane Doe/Moon/Book 5 - Moon Gone', tags: bookTags({ title: 'Moon Gone', author: 'Jane Doe', series: 'Moon', part: '5' }) }]);
      rmSync(join(lib.folder, 'Jane Doe', 'Moon', 'Book 5 - Moon Gone'), { recursive: true });
      await abs.scan(lib.id);
      assert.equal((await abs.items(lib.id))[0].isMissing, true, 'ABS flags the item missing');
      // The new copy is still in the download folder (not in the library yet).
      abs.writeBooks(q.downloads, [{ dir: 'Moon Gone', tags: bookTags({ title: 'Moon Gone', author: 'Jane Doe' }) }]);
      await queue(wantedBook('Moon Gone', '5'), join(q.downloads, 'Moon Gone'), q.downloads);
      const r = await pollOnce(await watchDeps(), settings(lib.id, false));
      assert.deepEqual(r.events.map((e) => e.event), ['completed'], 'same title and author, but its files are gone: not imported');
    });
  });

  describe('verify after import: what Audiobookshelf measured', () => {
    const settings = (libraryId: string): WatchSettings => ({ libraryId, scanOnComplete: true, stalledMinutes: 60, notImportedMinutes: 60 });
    it('files half the metadata runtime long become imported_suspect with the evidence; the right length becomes imported', async () => {
      const lib = await abs.createLibrary('Verify', [{ dir: 'Jane Doe/Moon/Book 1 - Moon Rise', tags: bookTags({ title: 'Moon Rise', author: 'Jane Doe', series: 'Moon', part: '1' }) }]);
      const RUNTIME = 120; // the metadata runtime of both books, seconds
      const books = [{ title: 'Moon Half', seq: '6', sec: RUNTIME / 2 }, { title: 'Moon Whole', seq: '7', sec: RUNTIME - 4 }].map((b) => {
        const c = wantedBook(b.title, b.seq);
        c.gap = { ...c.gap, expectedDurationSec: RUNTIME, expectedDurationFrom: 'metadata' };
        const rel = `Jane Doe/Moon/Book ${b.seq} - ${b.title}`;
        abs.writeBooks(lib.folder, [{ dir: rel, durationSec: b.sec, tags: bookTags({ title: b.title, author: 'Jane Doe', series: 'Moon', part: b.seq }) }]);
        return { c, dir: join(lib.folder, rel) };
      });
      for (const b of books) await queue(b.c, b.dir, join(lib.folder, 'Jane Doe', 'Moon'));
      const events: ImportEvent[] = [];
      await until('both imports', async () => {
        events.push(...(await pollOnce(await watchDeps(), settings(lib.id))).events);
        return events.filter((e) => e.event.startsWith('imported')).length === 2 ? true : undefined;
      }, 60_000);
      const of = (c: Candidate) => events.find((e) => e.download.key === c.gap.key && e.event.startsWith('imported'));
      const half = of(books[0].c);
      const whole = of(books[1].c);
      assert.equal(half?.event, 'imported_suspect');
      assert.equal(half?.item?.path, books[0].dir);
      assert.ok(Math.abs((half?.verify?.evidence.durationSec ?? 0) - RUNTIME / 2) <= 2, `ABS measured ${half?.verify?.evidence.durationSec} s`);
      assert.equal(half?.verify?.evidence.audioFiles, 1);
      assert.equal(half?.verify?.evidence.seriesName, 'Moon #6');
      assert.match(half?.verify?.reasons[0] ?? '', /^1 min of audio, the book runs 2 min \(metadata runtime\): 5\d %, an abridgement or a part$/);
      assert.equal(whole?.event, 'imported');
      assert.deepEqual(whole?.verify?.reasons, []);
      const wanted = await WantedStore.open(dir);
      assert.deepEqual([(await wanted.get(books[0].c.gap.key))?.state, (await wanted.get(books[1].c.gap.key))?.state], ['imported_suspect', 'imported']);
    });
  });

  /** qBittorrent WebUI calls the adapter does not need (the tests set layout and recheck). */
  async function qbitCall(path: string, form: Record<string, string>): Promise<void> {
    const login = await fetch(`${q.url}/api/v2/auth/login`, { method: 'POST', body: new URLSearchParams({ username: q.username, password: q.password }) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    await fetch(`${q.url}/api/v2/${path}`, { method: 'POST', headers: { cookie }, body: new URLSearchParams(form) });
  }
  const setContentLayout = (layout: 'NoSubfolder' | 'Original') => qbitCall('app/setPreferences', { json: JSON.stringify({ torrent_content_layout: layout }) });
});
