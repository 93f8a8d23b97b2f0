// qbit-queue's promises around failure and the user's word: a torrent gone from MAM moves on
// to the gap's next candidate (a dead session stops everything), a failed or removed download
// comes back only after the user's Retry, and the rules that keep one book to one torrent.
import assert from 'node:assert/strict';
import { ServiceError } from '../../lib/errors';
import { MamClient, SESSION_EXPIRED } from '../../lib/mam/client';
import { readTorrentFile } from '../../lib/qbit/torrent-file';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue, type QueueDeps, type QueueSettings } from '../../lib/queue/queue';
import { pollOnce } from '../../lib/watch/watcher';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Candidate } from '../../lib/types';
import { tempStoreDir } from '../helpers/node-red';
import { FakeQbit, candidate, fakeTorrent } from '../helpers/qbittorrent';
import { startMamSim, type MamSim } from '../sim/mam-sim';

const settings: QueueSettings = { category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false };
const T0 = Date.parse('2030-05-01T00:00:00Z');
const at = (h: number) => () => new Date(T0 + h * 3600_000);
/** Candidate n offered with another torrent (a backup mam-search ranked lower). */
const withTorrent = (n: number, id: number): Candidate => { const c = candidate(n); c.torrent = { ...c.torrent, id }; return c; };

describe('lib/queue runQueue: gone torrents, Retry, one torrent per book', () => {
  let sim: MamSim;
  let mam: MamClient;
  let qbit: FakeQbit;
  let wanted: WantedStore;
  let deps: QueueDeps;

  beforeEach(async () => {
    forgetStores();
    const dir = tempStoreDir('abg-queue-retry-');
    sim = await startMamSim();
    for (const id of [1001, 1002, 1003, 2001]) sim.addTorrent(id, fakeTorrent(`book-${id}`));
    mam = new MamClient({ baseUrl: sim.url, mamId: 'sim-mam-cookie-0', minIntervalMs: 0 });
    qbit = new FakeQbit();
    wanted = await WantedStore.open(dir);
    await wanted.syncGaps([1, 2, 3].map((n) => candidate(n).gap), new Date(T0));
    deps = { qbit, source: mam, downloads: await DownloadStore.open(dir), wanted, lockKey: dir };
  });
  afterEach(async () => {
    await mam.close();
    await sim.close();
  });

  const downloads = () => sim.requests.filter((r) => r.path === '/tor/download.php').map((r) => Number(r.query.tid));

  it('a torrent gone from MAM fails that candidate; the gap\'s next one is queued in the same run', async () => {
    sim.removeTorrent(1001);
    const report = await runQueue(deps, [candidate(1), withTorrent(1, 2001), candidate(2)], settings, undefined, at(1));
    assert.deepEqual(report.downloads.map((d) => [d.key, d.hash]), [['series:expanse#1', readTorrentFile(fakeTorrent('book-2001')).hash], ['series:expanse#2', readTorrentFile(fakeTorrent('book-1002')).hash]]);
    assert.equal(report.failed.length, 1);
    assert.match(report.failed[0].reason, /^MyAnonamouse: torrent 1001 is gone or unavailable: .*Torrent not found.*; trying the next candidate \(torrent 2001\)$/);
    assert.ok(!JSON.stringify(report).includes(SESSION_EXPIRED));
    assert.deepEqual(downloads(), [1001, 2001, 1002]);
    assert.equal((await wanted.get('series:expanse#1'))?.state, 'queued');
    assert.equal((await deps.downloads.get('series:expanse#1'))?.torrentId, 2001);
  });

  it('when every candidate of a book is gone the book is failed, with the reason; a backup after a queued one is not fetched', async () => {
    sim.removeTorrent(1001);
    sim.removeTorrent(2001);
    const report = await runQueue(deps, [candidate(1), withTorrent(1, 2001), candidate(2), withTorrent(2, 1003)], settings, undefined, at(1));
    assert.deepEqual(report.failed.map((f) => /trying the next candidate/.test(f.reason)), [true, false]);
    const rec = await wanted.get('series:expanse#1');
    assert.equal(rec?.state, 'failed');
    assert.match(rec?.history.at(-1)?.note ?? '', /torrent 2001 is gone/);
    assert.deepEqual(report.skipped, [{ key: 'series:expanse#2', reason: 'backup candidate not needed: the book is queued' }]);
    assert.deepEqual(downloads(), [1001, 2001, 1002]);
  });

  it('a real expired session stops the run with one clear error and no further requests', async () => {
    sim.setFault({ type: 'login-page', path: '/tor/download.php' });
    await assert.rejects(runQueue(deps, [candidate(1), withTorrent(1, 2001), candidate(2)], settings, undefined, at(1)), (e: Error) => e.message === `MyAnonamouse: ${SESSION_EXPIRED} (the download of torrent 1001 answered with the login page)`);
    assert.equal(sim.requests.length, 1, 'neither the backup nor the next book is asked for');
    assert.deepEqual(await deps.downloads.list(), []);
    assert.equal((await wanted.get('series:expanse#1'))?.state, 'wanted');
  });

  async function queuedThenRemoved(): Promise<string> {
    const [d] = (await runQueue(deps, [candidate(1)], settings, undefined, at(1))).downloads;
    qbit.torrents.delete(d.hash);
    await deps.downloads.setWatch(d.key, { emitted: ['failed'], done: true, reason: 'removed from qBittorrent' });
    await wanted.setState(d.key, 'failed', {}, 'removed from qBittorrent', at(2)());
    return d.key;
  }

  it('a removed download is not re-added without the user\'s Retry, whatever the wanted state says', async () => {
    const key = await queuedThenRemoved();
    assert.deepEqual((await runQueue(deps, [candidate(1)], settings, undefined, at(3))).skipped.map((s) => s.reason), ['already queued']);
    // What an older mam-search did: it turned the failed book back to "found".
    await wanted.setState(key, 'found', {}, 'MAM torrent 1001', at(4)());
    assert.deepEqual((await runQueue(deps, [candidate(1)], settings, undefined, at(5))).skipped.map((s) => s.reason), ['already queued']);
    assert.equal(qbit.adds, 1);
    await wanted.retry(key, at(6)());
    const retried = await runQueue(deps, [candidate(1)], settings, undefined, at(7));
    assert.deepEqual([retried.downloads.map((d) => d.key), qbit.adds], [[key], 2]);
  });

  it('a Retry from before the download was queued does not count for it', async () => {
    await wanted.retry('series:expanse#1', at(0.5)());
    const key = await queuedThenRemoved();
    await wanted.setState(key, 'wanted', {}, 'reported again', at(3)());
    assert.deepEqual((await runQueue(deps, [candidate(1)], settings, undefined, at(4))).skipped.map((s) => s.reason), ['already queued']);
    assert.equal(qbit.adds, 1);
  });

  it('a failed book with no ledger entry (its torrents were gone) waits for Retry too', async () => {
    await wanted.setState('series:expanse#1', 'failed', {}, 'torrent 1001 gone', at(1)());
    const report = await runQueue(deps, [candidate(1)], settings, undefined, at(2));
    assert.deepEqual(report.skipped.map((s) => s.reason), ['failed before: queued again only after the user presses Retry']);
    assert.deepEqual(downloads(), []);
  });

  it('no retry while the failed torrent is still in qBittorrent', async () => {
    const [d] = (await runQueue(deps, [candidate(1)], settings, undefined, at(1))).downloads;
    // qBittorrent reports it failed (missing files) but still lists it.
    await deps.downloads.setWatch(d.key, { emitted: ['failed'], done: true, reason: 'qBittorrent reports "missingFiles"' });
    await wanted.setState(d.key, 'failed', {}, 'qBittorrent state missingFiles', at(2)());
    await wanted.retry(d.key, at(3)());
    const again = await runQueue(deps, [candidate(1)], settings, undefined, at(4));
    assert.deepEqual([again.skipped.map((s) => s.reason), qbit.adds, downloads()], [['already queued'], 1, [1001]]);
  });

  it('an ignored book is not queued, nor one whose wanted state is already in flight', async () => {
    await wanted.setIgnored('series:expanse#1', true);
    await wanted.setState('series:expanse#2', 'imported', {}, 'found in the library', at(1)());
    const report = await runQueue(deps, [candidate(1), candidate(2), candidate(3)], settings, undefined, at(2));
    assert.deepEqual(report.skipped, [{ key: 'series:expanse#1', reason: 'ignored' }, { key: 'series:expanse#2', reason: 'already imported' }]);
    assert.deepEqual([report.downloads.map((d) => d.key), downloads()], [['series:expanse#3'], [1003]]);
  });

  it('an add that timed out keeps its intent; the next run finds the torrent and adopts it, one add', async () => {
    const slow = Object.assign(new FakeQbit(), {
      // qBittorrent took the torrent but answered too late.
      addTorrent: async (file: Uint8Array) => { await FakeQbit.prototype.addTorrent.call(slow, file); throw new ServiceError('qBittorrent', 'no answer within 5 s (timeout)', { code: 'timeout', transient: true }); },
    });
    await assert.rejects(runQueue({ ...deps, qbit: slow }, [candidate(1)], settings, undefined, at(1)), /timeout/);
    const kept = await deps.downloads.get('series:expanse#1');
    assert.deepEqual([kept?.phase, !!kept?.torrentFile], ['intent', true]);
    const healed = await runQueue({ ...deps, qbit: slow }, [candidate(1)], settings, undefined, at(2));
    assert.deepEqual([healed.healed, slow.adds, downloads()], [['series:expanse#1'], 1, [1001]]);
    assert.equal((await wanted.get('series:expanse#1'))?.state, 'queued');
  });

  it('the watcher moves a queued book to downloading, and a removed one to failed, which the queue then leaves alone', async () => {
    const [d] = (await runQueue(deps, [candidate(1)], settings, undefined, at(1))).downloads;
    const watch = () => pollOnce({ qbit, downloads: deps.downloads, wanted, lockKey: 'retry-watch' }, { libraryId: '', scanOnComplete: false, stalledMinutes: 60, notImportedMinutes: 60 }, at(2)());
    await watch();
    assert.equal((await wanted.get(d.key))?.state, 'downloading');
    qbit.torrents.delete(d.hash);
    await watch();
    assert.equal((await wanted.get(d.key))?.state, 'failed');
    const again = await runQueue(deps, [candidate(1)], settings, undefined, at(3));
    assert.deepEqual([again.downloads, qbit.adds], [[], 1]);
  });
});
