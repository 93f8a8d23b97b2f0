// When the user's Retry lets qbit-queue add a book again (lib/queue/retry.ts): only for a
// download that failed, only for a Retry pressed after it was queued and not undone since,
// only once qBittorrent no longer holds it, and a dry run only shows it.
import assert from 'node:assert/strict';
import { readTorrentFile } from '../../lib/qbit/torrent-file';
import { DownloadStore, type WatchState } from '../../lib/queue/downloads';
import { runQueue, type QueueDeps, type QueueSettings } from '../../lib/queue/queue';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import { tempStoreDir } from '../helpers/node-red';
import { FakeQbit, candidate, fakeTorrent } from '../helpers/qbittorrent';

const settings = (over: Partial<QueueSettings> = {}): QueueSettings => ({ category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false, ...over });
const T0 = Date.parse('2030-05-01T00:00:00Z');
const at = (h: number) => () => new Date(T0 + h * 3600_000);
const key = (n: number) => candidate(n).gap.key;
const REMOVED: WatchState = { emitted: ['failed'], done: true, phase: 'missing', reason: 'removed from qBittorrent' };

describe('lib/queue: what a Retry lets through', () => {
  let qbit: FakeQbit;
  let wanted: WantedStore;
  let deps: QueueDeps;

  beforeEach(async () => {
    forgetStores();
    const dir = tempStoreDir('abg-queue-retry-rules-');
    qbit = new FakeQbit();
    wanted = await WantedStore.open(dir);
    await wanted.syncGaps([1, 2, 3].map((n) => candidate(n).gap), new Date(T0));
    deps = { qbit, source: { downloadTorrent: async (id: number) => fakeTorrent(`book-${id}`) }, downloads: await DownloadStore.open(dir), wanted, lockKey: dir };
  });

  /** Queues book n at hour h, then records what the watcher saw (and, for a failure, the failed state). */
  async function queued(n: number, h: number, watch?: WatchState, removed = false): Promise<void> {
    const [d] = (await runQueue(deps, [candidate(n)], settings(), undefined, at(h))).downloads;
    if (removed) qbit.torrents.delete(d.hash);
    if (watch) await deps.downloads.setWatch(d.key, watch);
    if (watch?.emitted.includes('failed')) await wanted.setState(d.key, 'failed', {}, watch.reason, at(h + 1)());
  }
  const reasons = (r: { skipped: { key: string; reason: string }[] }) => r.skipped.map((s) => `${s.key.slice(-1)}: ${s.reason}`);
  const onFile = async (n: number) => (await deps.downloads.get(key(n)))?.phase;

  it('a Retry counts only for a download that failed: an imported one the user removed afterwards stays', async () => {
    await queued(1, 1, { emitted: ['completed', 'imported'], done: true, item: { id: 'li', title: 'Book 1', path: '/b' } }, true);
    // An older mam-search turned the book back to "not found"; the user pressed Retry on it.
    await wanted.setState(key(1), 'not_found', {}, 'no torrent', at(2)());
    assert.equal(await wanted.retry(key(1), at(3)()), true);
    // The limit is reached first: a book let through would read "limit", not "already queued".
    const report = await runQueue(deps, [candidate(2), candidate(1)], settings({ maxPerRun: 1 }), undefined, at(4));
    assert.deepEqual([reasons(report), qbit.adds, await onFile(1)], [['1: already queued'], 2, 'added']);
  });

  it('a Retry undone by a new failure does not count', async () => {
    await queued(1, 1, REMOVED, true);
    await wanted.retry(key(1), at(3)());
    await wanted.setState(key(1), 'failed', {}, 'given up again', at(4)());
    const report = await runQueue(deps, [candidate(1)], settings(), undefined, at(5));
    assert.deepEqual([reasons(report), qbit.adds, await onFile(1)], [['1: already queued'], 1, 'added']);
  });

  it('a Retry pressed while the add was still pending (confirmed by a later run) does not count', async () => {
    const lost = Object.assign(new FakeQbit(), { addTorrent: async (file: Uint8Array) => readTorrentFile(file) });
    await runQueue({ ...deps, qbit: lost }, [candidate(1)], settings(), undefined, at(1));
    await wanted.retry(key(1), at(2)());
    const healed = await runQueue(deps, [], settings(), undefined, at(3));
    assert.deepEqual(healed.healed, [key(1)]);
    qbit.torrents.clear();
    await deps.downloads.setWatch(key(1), REMOVED);
    await wanted.setState(key(1), 'failed', {}, 'removed', at(4)());
    // What an older mam-search did: it turned the failed book back to "found".
    await wanted.setState(key(1), 'found', {}, 'MAM torrent 1001', at(4.5)());
    const report = await runQueue(deps, [candidate(1)], settings(), undefined, at(5));
    assert.deepEqual([reasons(report), qbit.adds], [['1: already queued'], 1]);
  });

  it('a Retry stamped with the very time of the queueing does not count: it must come after', async () => {
    await queued(1, 1, REMOVED, true);
    await wanted.retry(key(1), at(1)());
    const report = await runQueue(deps, [candidate(1)], settings(), undefined, at(5));
    assert.deepEqual([reasons(report), qbit.adds], [['1: already queued'], 1]);
  });

  it('neither a failed torrent still in qBittorrent nor a Retry from before the queueing lets a book through', async () => {
    await queued(1, 1, { emitted: ['failed'], done: true, reason: 'qBittorrent reports "missingFiles"' });
    await wanted.retry(key(1), at(3)());
    await wanted.retry(key(3), at(0.5)());
    await queued(3, 1, REMOVED, true);
    await wanted.setState(key(3), 'wanted', {}, 'reported again', at(3)());
    const report = await runQueue(deps, [candidate(2), candidate(1), candidate(3)], settings({ maxPerRun: 1 }), undefined, at(4));
    assert.deepEqual(reasons(report), ['1: already queued', '3: already queued']);
    assert.deepEqual([qbit.adds, await onFile(1), await onFile(3)], [3, 'added', 'added']);
  });

  it('a dry run shows a retried book as to be queued, and leaves the ledger as it was', async () => {
    await queued(1, 1, REMOVED, true);
    await wanted.retry(key(1), at(3)());
    const dry = await runQueue(deps, [candidate(1)], settings({ dryRun: true }), undefined, at(4));
    assert.deepEqual([dry.downloads.map((d) => [d.key, d.dryRun]), dry.skipped], [[[key(1), true]], []]);
    assert.deepEqual([await onFile(1), (await deps.downloads.list()).length, qbit.adds], ['added', 1, 1]);
    const real = await runQueue(deps, [candidate(1)], settings(), undefined, at(5));
    assert.deepEqual([real.downloads.map((d) => d.key), qbit.adds, (await deps.downloads.list()).length], [[key(1)], 2, 2]);
  });
});
