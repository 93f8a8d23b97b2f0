// Against a REAL qbittorrent-nox (test/helpers/qbittorrent.ts), the MAM simulator serving
// real .torrent files (mktorrent over files already on disk) and the ABS simulator.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MamClient } from '../../lib/mam/client';
import { QbitAdapter } from '../../lib/qbit/adapter';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue, type QueueDeps, type QueueSettings } from '../../lib/queue/queue';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import { pollOnce, type WatchDeps, type WatchSettings } from '../../lib/watch/watcher';
import { startAbsSim, type AbsSim } from '../sim/abs-sim';
import { startMamSim, type MamSim } from '../sim/mam-sim';
import { AbsClient } from '../../lib/abs/client';
import { candidate, freePort, startQbittorrent, type QbitInstance } from '../helpers/qbittorrent';
import { makeTorrent, type MadeTorrent } from '../helpers/torrents';

const settings = (savePath: string): QueueSettings => ({ category: 'audiobooks', tags: [], savePath, paused: false, maxPerRun: 10, dryRun: false, requireApproval: false });

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('integration: qbit-queue + abs-import-watch with real qBittorrent', function () {
  this.timeout(30_000);
  let q: QbitInstance;
  let mam: MamSim;
  let abs: AbsSim;
  let absClient: AbsClient;
  let mamClient: MamClient;
  let qbit: QbitAdapter;
  let dir: string;
  let n = 0;

  before(async () => {
    [q, mam, abs] = await Promise.all([startQbittorrent(), startMamSim(), startAbsSim({ scanDelayMs: 300 })]);
    mamClient = new MamClient({ baseUrl: mam.url, mamId: mam.currentMamId, minIntervalMs: 0 });
    absClient = new AbsClient({ baseUrl: abs.url, token: abs.token });
  });
  after(async () => {
    await mamClient?.close();
    await absClient?.close();
    await Promise.all([q?.close(), mam?.close(), abs?.close()]);
  });
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'abg-int-'));
    qbit = new QbitAdapter({ baseUrl: q.url, username: q.username, password: q.password });
  });

  /** A book on disk + its .torrent served by the MAM simulator under a fresh id. */
  function book(): { id: number; made: MadeTorrent; c: ReturnType<typeof candidate> } {
    n++;
    const made = makeTorrent(q.downloads, `Integration Book ${n} - ${Date.now()}`);
    const c = candidate(n);
    c.torrent.id = 5000 + n;
    c.gap.title = made.name;
    mam.addTorrent(c.torrent.id, made.torrent);
    return { id: c.torrent.id, made, c };
  }
  const deps = async (over: Partial<QueueDeps> = {}): Promise<QueueDeps> =>
    ({ qbit, source: mamClient, downloads: await DownloadStore.open(dir), wanted: await WantedStore.open(dir), lockKey: dir, ...over });
  const ours = async () => (await qbit.getTorrents((await (await DownloadStore.open(dir)).list()).map((r) => r.hash ?? '').filter(Boolean)));

  it('adds a real torrent that completes, and the watcher confirms the ABS import after a later scan', async () => {
    const { made, c } = book();
    const d = await deps();
    await d.wanted?.syncGaps([c.gap]);
    const report = await runQueue(d, [c], settings(made.dir));
    assert.equal(report.downloads.length, 1);
    // qBittorrent lists a new torrent asynchronously after "Ok.": wait for it, then check it.
    const t = await qbit.waitFor(report.downloads[0].hash);
    assert.ok(t, 'the torrent is in qBittorrent');
    assert.deepEqual([t.category, t.tags.sort()], ['audiobooks', ['The Expanse', 'audiobook-gaps']]);
    const queuedRec = await d.wanted?.get(c.gap.key);
    assert.equal(queuedRec?.state, 'queued');
    assert.deepEqual(queuedRec?.torrent, { id: c.torrent.id, title: made.name }, 'the wanted record names the chosen torrent');

    abs.addItem({ title: made.name, authors: ['Somebody Else'], path: `/audiobooks/${made.name}` }, { libraryId: abs.libraryIds.audiobooks, onScan: true });
    const watch: WatchSettings = { libraryId: abs.libraryIds.audiobooks, scanOnComplete: true, mapping: { from: q.downloads, to: '/audiobooks' }, stalledMinutes: 30, notImportedMinutes: 30 };
    const w: WatchDeps = { qbit, abs: absClient, downloads: d.downloads, wanted: d.wanted, lockKey: dir };
    const completed = await until('completed', async () => { const r = await pollOnce(w, watch); return r.events.length ? r : undefined; });
    assert.deepEqual(completed.events.map((e) => e.event), ['completed'], 'the scan is still running: no item yet');
    assert.equal(abs.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/scan')).length, 1);
    const imported = await until('imported', async () => { const r = await pollOnce(w, watch); return r.events.length ? r : undefined; });
    assert.deepEqual(imported.events.map((e) => e.event), ['imported']);
    assert.equal(imported.events[0].item?.path, `/audiobooks/${made.name}`, 'matched by path through the mapping');
    assert.equal((await d.wanted?.get(c.gap.key))?.state, 'imported');
  });

  it('restart between "recorded" and "added": one torrent, not two', async () => {
    const { made, c } = book();
    await assert.rejects(runQueue(await deps({ hooks: { afterIntent: () => { throw new Error('killed'); } } }), [c], settings(made.dir)), /killed/);
    assert.equal((await ours()).length, 0);
    await q.restart();
    forgetStores();
    qbit = new QbitAdapter({ baseUrl: q.url, username: q.username, password: q.password });
    const report = await runQueue(await deps(), [c], settings(made.dir));
    assert.deepEqual(report.healed, [c.gap.key]);
    const again = await runQueue(await deps(), [c], settings(made.dir));
    assert.deepEqual(again.skipped.map((s) => s.reason), ['already queued']);
    assert.equal((await ours()).length, 1);
    assert.equal(mam.requests.filter((r) => r.path === '/tor/download.php' && r.query.tid === String(c.torrent.id)).length, 1);
  });

  it('two triggers at once and a second node on the same store: one torrent', async () => {
    const { made, c } = book();
    const other = await deps({ qbit: new QbitAdapter({ baseUrl: q.url, username: q.username, password: q.password }) });
    const reports = await Promise.all([runQueue(await deps(), [c], settings(made.dir)), runQueue(await deps(), [c], settings(made.dir)), runQueue(other, [c], settings(made.dir))]);
    assert.equal(reports.flatMap((r) => r.downloads).length, 1);
    assert.ok(await qbit.waitFor(reports.flatMap((r) => r.downloads)[0].hash), 'the one torrent is in qBittorrent');
    assert.equal(mam.requests.filter((r) => r.path === '/tor/download.php' && r.query.tid === String(c.torrent.id)).length, 1, 'fetched from MAM once');
  });

  it('wrong password: login refused, nothing recorded, the book stays wanted', async () => {
    const { made, c } = book();
    const d = await deps({ qbit: new QbitAdapter({ baseUrl: q.url, username: q.username, password: 'wrong-password-123' }) });
    await d.wanted?.syncGaps([c.gap]);
    await assert.rejects(runQueue(d, [c], settings(made.dir)), (e: Error) => e.message === 'qBittorrent: login refused (check user and password)');
    assert.deepEqual(await d.downloads.list(), []);
    assert.equal((await d.wanted?.get(c.gap.key))?.state, 'wanted');
  });

  it('qBittorrent not running: cannot reach, nothing recorded', async () => {
    const { made, c } = book();
    const port = await freePort(); // nothing listens there
    const d = await deps({ qbit: new QbitAdapter({ baseUrl: `http://127.0.0.1:${port}`, username: 'admin', password: 'adminadmin' }) });
    await assert.rejects(runQueue(d, [c], settings(made.dir)), (e: Error) => e.message === `qBittorrent: cannot reach http://127.0.0.1:${port} (ECONNREFUSED)`);
    assert.deepEqual(await d.downloads.list(), []);
  });

  it('a torrent removed by the user is reported failed once; an item that never appears is not_imported', async () => {
    const a = book();
    const b = book();
    const d = await deps();
    await runQueue(d, [a.c], settings(join(q.downloads, 'nowhere'))); // no data there: stays at 0 %
    await runQueue(d, [b.c], settings(b.made.dir));
    const w: WatchDeps = { qbit, abs: absClient, downloads: d.downloads, wanted: d.wanted, lockKey: dir };
    const watch: WatchSettings = { libraryId: abs.libraryIds.audiobooks, scanOnComplete: true, stalledMinutes: 30, notImportedMinutes: 10 };
    await until('b completed', async () => ((await pollOnce(w, watch)).events.some((e) => e.event === 'completed') ? true : undefined));
    await qbit.remove([(await d.downloads.get(a.c.gap.key))?.hash as string]);
    const later = new Date(Date.now() + 11 * 60_000);
    const r = await pollOnce(w, watch, later);
    assert.deepEqual(r.events.map((e) => `${e.event}:${e.download.key}`).sort(), [`failed:${a.c.gap.key}`, `not_imported:${b.c.gap.key}`]);
    assert.equal(r.events.find((e) => e.event === 'failed')?.reason, 'removed from qBittorrent');
    assert.deepEqual((await pollOnce(w, watch, new Date(later.getTime() + 60_000))).events, []);
  });
});
