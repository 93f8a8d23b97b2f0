import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServiceError } from '../../lib/errors';
import { readTorrentFile } from '../../lib/qbit/torrent-file';
import { DownloadStore } from '../../lib/queue/downloads';
import { partialReport, runQueue, type QueueDeps, type QueueSettings } from '../../lib/queue/queue';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import { FakeQbit, candidate, fakeTorrent } from '../helpers/qbittorrent';

const settings = (over: Partial<QueueSettings> = {}): QueueSettings => ({ category: 'audiobooks', tags: ['mine'], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false, ...over });

describe('lib/queue runQueue (fake qBittorrent)', () => {
  let dir: string;
  let qbit: FakeQbit;
  let fetched: number[];
  let deps: QueueDeps;
  let wanted: WantedStore;
  const source = { downloadTorrent: async (id: number) => { fetched.push(id); if (id === 1404) throw new ServiceError('MyAnonamouse', 'torrent 1404 not found (404)', { code: 'not_found' }); return fakeTorrent(`book-${id}`); } };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'abg-queue-'));
    qbit = new FakeQbit();
    fetched = [];
    wanted = await WantedStore.open(dir);
    await wanted.syncGaps([1, 2, 3, 404].map((n) => candidate(n).gap));
    deps = { qbit, source, downloads: await DownloadStore.open(dir), wanted, lockKey: dir };
  });

  it('queues each book once across runs, with category and tags, and moves wanted to queued', async () => {
    const first = await runQueue(deps, [candidate(1), candidate(2)], settings());
    assert.deepEqual(first.downloads.map((d) => d.key), ['series:expanse#1', 'series:expanse#2']);
    assert.equal(first.downloads[0].hash, readTorrentFile(fakeTorrent('book-1001')).hash);
    assert.deepEqual(first.downloads[0].tags, ['audiobook-gaps', 'mine', 'The Expanse']);
    const second = await runQueue(deps, [candidate(1), candidate(2), candidate(3)], settings());
    assert.deepEqual(second.downloads.map((d) => d.key), ['series:expanse#3']);
    assert.deepEqual(second.skipped.map((s) => s.reason), ['already queued', 'already queued']);
    assert.equal(qbit.adds, 3);
    assert.deepEqual(fetched, [1001, 1002, 1003], 'a queued book is not fetched from MAM again');
    const rec = await wanted.get('series:expanse#1');
    assert.equal(rec?.state, 'queued');
    assert.equal(rec?.hash, first.downloads[0].hash);
  });

  it('an expired MAM session stops the run with that one error; nothing is recorded', async () => {
    const expired = { downloadTorrent: async (id: number) => { fetched.push(id); throw new ServiceError('MyAnonamouse', 'MAM session expired: create a new session and paste its mam_id', { code: 'session_expired' }); } };
    await assert.rejects(runQueue({ ...deps, source: expired }, [candidate(1), candidate(2), candidate(3)], settings()), /^MyAnonamouse: MAM session expired/);
    assert.deepEqual(fetched, [1001], 'the other books are not tried against a dead session');
    assert.deepEqual(await deps.downloads.list(), []);
    assert.equal((await wanted.get('series:expanse#1'))?.state, 'wanted');
  });

  it('an omnibus accepted for two gaps is fetched from MAM once, added once, and queues both books', async () => {
    const omnibus = (n: number) => { const c = candidate(n); c.torrent = { ...c.torrent, id: 1999, title: 'Books 1-2', covers: ['1', '2'] }; return c; };
    const report = await runQueue(deps, [omnibus(1), omnibus(2)], settings());
    assert.deepEqual(fetched, [1999]);
    assert.equal(qbit.adds, 1);
    assert.deepEqual(report.downloads.map((d) => [d.key, d.hash]), [['series:expanse#1', report.downloads[0].hash], ['series:expanse#2', report.downloads[0].hash]]);
    assert.deepEqual([(await wanted.get('series:expanse#1'))?.state, (await wanted.get('series:expanse#2'))?.state], ['queued', 'queued']);
  });

  it('a torrent the user removed is not re-added, until the user retries the book', async () => {
    const [d] = (await runQueue(deps, [candidate(1)], settings())).downloads;
    // What abs-import-watch records when the torrent disappears from qBittorrent.
    qbit.torrents.delete(d.hash);
    await deps.downloads.setWatch(d.key, { emitted: ['failed'], done: true, reason: 'removed' });
    await wanted.setState(d.key, 'failed', {}, 'removed from qBittorrent');
    const again = await runQueue(deps, [candidate(1)], settings());
    assert.deepEqual(again.skipped.map((x) => x.reason), ['already queued']);
    assert.equal(await wanted.retry(d.key), true);
    const retried = await runQueue(deps, [candidate(1)], settings());
    assert.deepEqual(retried.downloads.map((x) => x.key), [d.key]);
    assert.equal(qbit.adds, 2);
    assert.equal((await deps.downloads.list()).length, 2, 'the failed attempt stays on file under a retired key');
    assert.equal((await wanted.get(d.key))?.state, 'queued');
  });

  it('"Ok." without the torrent showing up is not confirmed: the next run adds it again, once', async () => {
    const lost = Object.assign(new FakeQbit(), { addTorrent: async (file: Uint8Array) => { lost.adds++; return readTorrentFile(file); } });
    const first = await runQueue({ ...deps, qbit: lost }, [candidate(1)], settings());
    assert.deepEqual(first.downloads, []);
    assert.match(first.failed[0]?.reason ?? '', /does not list it; it will be added again on the next run/);
    assert.equal((await deps.downloads.get('series:expanse#1'))?.phase, 'intent');
    const second = await runQueue(deps, [candidate(1)], settings());
    assert.deepEqual(second.healed, ['series:expanse#1']);
    assert.equal(qbit.adds, 1);
    assert.deepEqual(fetched, [1001], 'healed from the stored .torrent, not fetched again');
  });

  it('overlapping triggers and two runners sharing a store add one torrent', async () => {
    // A slow MAM keeps the first run between "intent" and "added" while the others start.
    const slow = { downloadTorrent: async (id: number) => { await new Promise((r) => setTimeout(r, 30)); return source.downloadTorrent(id); } };
    deps = { ...deps, source: slow };
    const other: QueueDeps = { ...deps, downloads: await DownloadStore.open(dir) };
    const results = await Promise.all([runQueue(deps, [candidate(1)], settings()), runQueue(other, [candidate(1)], settings()), runQueue(deps, [candidate(1), candidate(1)], settings())]);
    assert.equal(qbit.adds, 1);
    assert.equal(results.flatMap((r) => r.downloads).length, 1);
    assert.equal(fetched.length, 1);
  });

  it('heals a run that died after the intent (adds once) and one that died after the add (adopts)', async () => {
    const crash = (at: 'afterIntent' | 'afterAdd') => ({ ...deps, hooks: { [at]: () => { throw new Error(`crash ${at}`); } } });
    const restart = async (): Promise<QueueDeps> => {
      forgetStores(); // handles are reopened from the files on disk
      deps = { ...deps, downloads: await DownloadStore.open(dir), wanted: await WantedStore.open(dir) };
      return deps;
    };
    await assert.rejects(runQueue(crash('afterIntent'), [candidate(1)], settings()), /crash afterIntent/);
    assert.equal(qbit.adds, 0);
    let report = await runQueue(await restart(), [candidate(1)], settings());
    assert.deepEqual([report.healed, report.skipped.map((s) => s.reason), qbit.adds], [['series:expanse#1'], ['already queued'], 1]);

    await assert.rejects(runQueue(crash('afterAdd'), [candidate(2)], settings()), /crash afterAdd/);
    assert.equal(qbit.adds, 2);
    assert.equal((await deps.wanted?.get('series:expanse#2'))?.state, 'wanted', 'not confirmed yet');
    const restarted = await restart();
    report = await runQueue(restarted, [candidate(2)], settings());
    assert.deepEqual([report.healed, qbit.adds], [['series:expanse#2'], 2], 'adopted by hash, not added twice');
    assert.equal((await restarted.wanted?.get('series:expanse#2'))?.state, 'queued');
    assert.deepEqual(fetched, [1001, 1002], 'healing uses the stored .torrent, not MAM');
    assert.equal((await restarted.downloads.get('series:expanse#1'))?.torrentFile, undefined, 'the file is dropped once confirmed');
  });

  it('adopts a torrent qBittorrent already has', async () => {
    await qbit.addTorrent(fakeTorrent('book-1003'));
    const report = await runQueue(deps, [candidate(3)], settings());
    assert.equal(qbit.adds, 1);
    assert.equal(report.downloads.length, 1);
    assert.equal((await deps.downloads.get('series:expanse#3'))?.adopted, true);
  });

  it('a MAM refusal fails that book only; the rest are queued', async () => {
    const report = await runQueue(deps, [candidate(1), candidate(404), candidate(2)], settings());
    assert.deepEqual(report.downloads.map((d) => d.key), ['series:expanse#1', 'series:expanse#2']);
    assert.deepEqual(report.failed, [{ key: 'series:expanse#404', reason: 'MyAnonamouse: torrent 1404 not found (404)' }]);
    assert.equal(await deps.downloads.get('series:expanse#404'), null, 'no intent left behind');
    assert.equal((await wanted.get('series:expanse#404'))?.state, 'failed');
  });

  it('qBittorrent unreachable: throws, records nothing, books stay wanted', async () => {
    qbit.down = new ServiceError('qBittorrent', 'cannot reach http://127.0.0.1:1 (ECONNREFUSED)', { code: 'unreachable' });
    await assert.rejects(runQueue(deps, [candidate(1)], settings()), /qBittorrent: cannot reach/);
    assert.deepEqual(await deps.downloads.list(), []);
    assert.equal((await wanted.get('series:expanse#1'))?.state, 'wanted');
    assert.deepEqual(fetched, []);
  });

  it('qBittorrent gone mid-run: the error carries what was queued; the rest are "not queued" and stay wanted', async () => {
    const down = new ServiceError('qBittorrent', 'cannot reach http://127.0.0.1:1 (ECONNREFUSED)', { code: 'unreachable', transient: true });
    deps = { ...deps, source: { downloadTorrent: async (id: number) => { if (id === 1002) qbit.down = down; return source.downloadTorrent(id); } } };
    const err = await runQueue(deps, [candidate(1), candidate(2), candidate(3)], settings()).then(() => undefined, (e: unknown) => e);
    assert.equal(err, down, 'the same clear error, for done(err)');
    const partial = partialReport(err);
    assert.deepEqual(partial?.downloads.map((d) => d.key), ['series:expanse#1']);
    assert.deepEqual(partial?.failed, [2, 3].map((n) => ({ key: `series:expanse#${n}`, reason: 'not queued: qBittorrent: cannot reach http://127.0.0.1:1 (ECONNREFUSED)' })));
    assert.deepEqual(await Promise.all([1, 2, 3].map(async (n) => (await wanted.get(`series:expanse#${n}`))?.state)), ['queued', 'wanted', 'wanted']);
    qbit.down = new ServiceError('qBittorrent', 'login refused (check user and password)', { code: 'auth' });
    assert.equal(partialReport(await runQueue(deps, [candidate(2)], settings()).catch((e: unknown) => e)), undefined, 'nothing queued: no partial report');
  });

  it('limits per run, dry run touches nothing, approval gate', async () => {
    const limited = await runQueue(deps, [candidate(1), candidate(2), candidate(3)], settings({ maxPerRun: 2 }));
    assert.equal(limited.downloads.length, 2);
    assert.deepEqual(limited.skipped, [{ key: 'series:expanse#3', reason: 'limit of 2 per run reached' }]);

    const dry = await runQueue(deps, [candidate(3)], settings({ dryRun: true }));
    assert.deepEqual(dry.downloads.map((d) => [d.key, d.dryRun, d.hash]), [['series:expanse#3', true, '']]);
    assert.equal(await deps.downloads.get('series:expanse#3'), null);

    const gated = await runQueue(deps, [candidate(3)], settings({ requireApproval: true }));
    assert.equal(gated.approvalNeeded, true);
    assert.equal(gated.downloads[0].dryRun, true);
    assert.equal(qbit.adds, 2);
    const approved = await runQueue(deps, [candidate(3)], settings({ requireApproval: true }), ['series:expanse#3']);
    assert.equal(approved.downloads[0].dryRun, undefined);
    assert.equal(qbit.adds, 3);
  });
});
