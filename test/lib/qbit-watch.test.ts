import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue, type QueueSettings } from '../../lib/queue/queue';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import { mapPath } from '../../lib/watch/match';
import { pollOnce, type AbsForWatch, type WatchDeps, type WatchSettings } from '../../lib/watch/watcher';
import { FakeQbit, candidate, fakeTorrent } from '../helpers/qbittorrent';

const settings: QueueSettings = { category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false };
const watch: WatchSettings = { libraryId: 'lib1', scanOnComplete: true, mapping: { from: '/dl', to: '/audiobooks' }, stalledMinutes: 30, notImportedMinutes: 60 };
const item = (id: string, path: string, title = 'Other', authorName = 'Someone', asin: string | null = null, addedAt?: number) => ({ id, path, addedAt, media: { metadata: { title, authorName, asin } } });

class FakeAbs implements AbsForWatch {
  items: unknown[] = [];
  onScan: unknown[] = [];
  scans = 0;
  async listLibraries() { return [{ id: 'lib1', mediaType: 'book' }]; }
  async listItems() { return { results: this.items }; }
  async scanLibrary() { this.scans++; this.items.push(...this.onScan); this.onScan = []; }
}

describe('lib/watch', () => {
  it('maps paths from the qBittorrent view to the Audiobookshelf view', () => {
    assert.equal(mapPath('/dl/Book 1/', { from: '/dl', to: '/audiobooks' }), '/audiobooks/Book 1');
    assert.equal(mapPath('/dlx/Book 1', { from: '/dl', to: '/audiobooks' }), '/dlx/Book 1');
    // Docker users type the prefixes with or without trailing slashes, doubled slashes too.
    assert.equal(mapPath('/downloads/complete//Book 1', { from: '/downloads/complete/', to: '/audiobooks/' }), '/audiobooks/Book 1');
    assert.equal(mapPath('/downloads/complete', { from: '/downloads/complete/', to: '/audiobooks' }), '/audiobooks');
    assert.equal(mapPath('/data/Book 1', { from: '/', to: '/mnt/nas' }), '/mnt/nas/data/Book 1');
    assert.equal(mapPath('/mnt/nas/Book 1', { from: '/mnt/nas', to: '/' }), '/Book 1');
  });

  describe('pollOnce', () => {
    let dir: string;
    let qbit: FakeQbit;
    let abs: FakeAbs;
    let deps: WatchDeps;
    const t0 = Date.parse('2025-01-01T00:00:00Z');
    const at = (min: number) => new Date(t0 + min * 60_000);

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'abg-watch-'));
      qbit = new FakeQbit();
      abs = new FakeAbs();
      const wanted = await WantedStore.open(dir);
      await wanted.syncGaps([1, 2, 3].map((n) => candidate(n).gap));
      const downloads = await DownloadStore.open(dir);
      await runQueue({ qbit, source: { downloadTorrent: async (id) => fakeTorrent(`book-${id}`) }, downloads, wanted, lockKey: dir }, [1, 2, 3].map((n) => candidate(n)), settings, undefined, () => at(0));
      deps = { qbit, abs, downloads, wanted, lockKey: dir };
    });
    const torrent = (n: number) => [...qbit.torrents.values()].find((t) => t.name === `book-${1000 + n}`)!;
    const names = (r: { events: { event: string; download: { key: string } }[] }) => r.events.map((e) => `${e.event}:${e.download.key.slice(-1)}`);

    it('emits each transition once, across restarts, and imports after a scan that finishes later', async () => {
      let r = await pollOnce(deps, watch, at(1));
      assert.deepEqual(names(r), []);
      assert.deepEqual(r.counts, { downloading: 3, completed: 0, stalled: 0, imported: 0, failed: 0, suspect: 0 });
      Object.assign(torrent(1), { phase: 'completed', state: 'stalledUP', progress: 1 });
      Object.assign(torrent(2), { progress: 0.5 });
      qbit.torrents.delete(torrent(3).hash);
      r = await pollOnce(deps, watch, at(2));
      assert.deepEqual(names(r), ['completed:1', 'failed:3']);
      assert.equal(abs.scans, 1);
      assert.equal((await deps.wanted?.get('series:expanse#1'))?.state, 'completed');
      assert.equal((await deps.wanted?.get('series:expanse#3'))?.state, 'failed');

      forgetStores(); // restart: nothing is emitted twice
      deps = { ...deps, downloads: await DownloadStore.open(dir), wanted: await WantedStore.open(dir) };
      r = await pollOnce(deps, watch, at(3));
      assert.deepEqual(names(r), []);
      assert.equal(abs.scans, 1, 'one scan per completion');

      abs.items.push(item('li_1', '/audiobooks/book-1001', 'Book 1: Leviathan Wakes', 'Someone', null, at(3).getTime()));
      r = await pollOnce(deps, watch, at(4));
      assert.deepEqual(names(r), ['imported:1']);
      assert.deepEqual(r.events[0].item, { id: 'li_1', title: 'Book 1: Leviathan Wakes', path: '/audiobooks/book-1001' });
      assert.equal(r.events[0].match, 'path');
      assert.equal((await deps.wanted?.get('series:expanse#1'))?.state, 'imported');
      assert.deepEqual(r.counts, { downloading: 1, completed: 0, stalled: 0, imported: 1, failed: 1, suspect: 0 });
    });

    it('stalled after N minutes without progress (again after progress), not_imported after N minutes', async () => {
      await pollOnce(deps, watch, at(1));
      assert.deepEqual(names(await pollOnce(deps, watch, at(20))), []);
      assert.deepEqual(names(await pollOnce(deps, watch, at(32))), ['stalled:1', 'stalled:2', 'stalled:3']);
      assert.deepEqual(names(await pollOnce(deps, watch, at(40))), []);
      Object.assign(torrent(1), { progress: 0.2 });
      Object.assign(torrent(2), { phase: 'completed', progress: 1 });
      Object.assign(torrent(3), { phase: 'failed', state: 'missingFiles' });
      const r = await pollOnce(deps, watch, at(41));
      assert.deepEqual(names(r), ['completed:2', 'failed:3']);
      assert.match(r.events[1].reason ?? '', /missingFiles/);
      assert.deepEqual(names(await pollOnce(deps, watch, at(80))), ['stalled:1']);
      assert.deepEqual(names(await pollOnce(deps, watch, at(102))), ['not_imported:2']);
      assert.deepEqual(names(await pollOnce(deps, watch, at(200))), []);
    });

    it('stalled and not_imported are each sent once, also across a restart', async () => {
      await pollOnce(deps, watch, at(1));
      Object.assign(torrent(2), { phase: 'completed', state: 'stalledUP', progress: 1 });
      qbit.torrents.delete(torrent(3).hash);
      assert.deepEqual(names(await pollOnce(deps, watch, at(2))), ['completed:2', 'failed:3']);
      assert.deepEqual(names(await pollOnce(deps, watch, at(62))), ['stalled:1', 'not_imported:2']);
      forgetStores(); // Node-RED restarted: fresh handles read the files
      deps = { ...deps, downloads: await DownloadStore.open(dir), wanted: await WantedStore.open(dir) };
      assert.deepEqual(names(await pollOnce(deps, watch, at(63))), []);
      assert.deepEqual(names(await pollOnce(deps, watch, at(500))), []);
      assert.equal(abs.scans, 1);
    });

    it('a torrent added paused is waiting, not stalled; the stall clock starts once it runs', async () => {
      for (const n of [1, 2]) Object.assign(torrent(n), { state: n === 1 ? 'pausedDL' : 'stoppedDL', held: true });
      await pollOnce(deps, watch, at(1));
      assert.deepEqual(names(await pollOnce(deps, watch, at(90))), ['stalled:3'], 'only the running one stalls');
      Object.assign(torrent(1), { state: 'stalledDL', phase: 'stalled', held: false });
      assert.deepEqual(names(await pollOnce(deps, watch, at(100))), []);
      assert.deepEqual(names(await pollOnce(deps, watch, at(131))), ['stalled:1']);
    });

    it('a completed torrent that is rechecked or moved sends nothing more and is not stalled', async () => {
      Object.assign(torrent(1), { phase: 'completed', state: 'stalledUP', progress: 1 });
      assert.deepEqual(names(await pollOnce(deps, watch, at(1))), ['completed:1']);
      Object.assign(torrent(1), { phase: 'downloading', state: 'checkingUP', held: true, progress: 0.4 });
      assert.deepEqual(names(await pollOnce(deps, watch, at(2))), []);
      Object.assign(torrent(1), { phase: 'stalled', state: 'stalledDL', held: false, progress: 0.4 });
      assert.deepEqual(names(await pollOnce(deps, watch, at(3))).filter((e) => e.endsWith(':1')), []);
      assert.deepEqual(names(await pollOnce(deps, watch, at(40))).filter((e) => e.endsWith(':1')), []);
      Object.assign(torrent(1), { phase: 'completed', state: 'uploading', progress: 1 });
      assert.deepEqual(names(await pollOnce(deps, watch, at(41))).filter((e) => e.endsWith(':1')), [], 'completed is not sent twice');
    });
  });
});
