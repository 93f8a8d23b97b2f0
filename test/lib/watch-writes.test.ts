// The downloads file grows only when something a user sees changes (issue 12): a poll that
// finds every torrent as it was appends nothing to downloads.db.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue, type QueueSettings } from '../../lib/queue/queue';
import { WantedStore } from '../../lib/store/wanted';
import { pollOnce, progressStep, type WatchDeps, type WatchSettings } from '../../lib/watch/watcher';
import { FakeQbit, candidate, fakeTorrent } from '../helpers/qbittorrent';

const settings: QueueSettings = { category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false };
const watch: WatchSettings = { libraryId: 'lib1', scanOnComplete: false, stalledMinutes: 30, notImportedMinutes: 60 };

describe('lib/watch writes a download record only on a visible change', () => {
  let dir: string;
  let qbit: FakeQbit;
  let deps: WatchDeps;
  const t0 = Date.parse('2025-01-01T00:00:00Z');
  const at = (min: number) => new Date(t0 + min * 60_000);
  const lines = () => readFileSync(join(dir, 'downloads.db'), 'utf8').split('\n').filter((l) => l.trim()).length;
  const torrent = (n: number) => [...qbit.torrents.values()].find((t) => t.name === `book-${1000 + n}`)!;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'abg-watch-writes-'));
    qbit = new FakeQbit();
    const wanted = await WantedStore.open(dir);
    await wanted.syncGaps([1, 2, 3].map((n) => candidate(n).gap));
    const downloads = await DownloadStore.open(dir);
    await runQueue({ qbit, source: { downloadTorrent: async (id) => fakeTorrent(`book-${id}`) }, downloads, wanted, lockKey: dir }, [1, 2, 3].map((n) => candidate(n)), settings, undefined, () => at(0));
    deps = { qbit, downloads, wanted, lockKey: dir };
  });

  it('N polls with no change (or moves under one percent, or a paused torrent) write 0 lines', async () => {
    Object.assign(torrent(3), { state: 'pausedDL' });
    await pollOnce(deps, watch, at(0.1));
    const before = lines();
    for (let i = 1; i <= 20; i++) {
      Object.assign(torrent(1), { progress: 0.004 * i }); // 0.4 % … 8 %: crosses whole percents
      Object.assign(torrent(2), { progress: 0.5 + 0.0004 * i }); // 50.04 % … 50.8 %: never does
      if (i === 1) Object.assign(torrent(2), { progress: 0.5 });
      await pollOnce(deps, watch, at(0.1 + i / 6)); // every 10 s
    }
    // Book 1 crossed 1 %, 2 % … 8 % (8 writes); book 2 reached 50 % once (1 write); book 3 none.
    assert.equal(lines() - before, 9);
    const mid = lines();
    for (let i = 21; i <= 40; i++) await pollOnce(deps, watch, at(0.1 + i / 6));
    assert.equal(lines() - mid, 0, 'no change, no line');
    assert.equal((await deps.downloads.get('series:expanse#2'))?.watch?.progress, 0.5);
  });

  it('a stall is still seen when progress creeps below one percent, and it is written once', async () => {
    Object.assign(torrent(1), { progress: 0.3 });
    await pollOnce(deps, watch, at(1));
    Object.assign(torrent(1), { progress: 0.305 });
    const before = lines();
    const r = await pollOnce(deps, watch, at(32));
    assert.deepEqual(r.events.map((e) => e.event), ['stalled', 'stalled', 'stalled']);
    assert.equal(lines() - before, 3, 'one line per download that changed (its stalled event)');
    await pollOnce(deps, watch, at(33));
    assert.equal(lines() - before, 3);
  });

  it('progress is kept in whole percent', () => {
    assert.equal(progressStep(0.299999), 0.29);
    assert.equal(progressStep(0.29), 0.29);
    assert.equal(progressStep(1), 1);
  });
});
