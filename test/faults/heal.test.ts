// Fault matrix, self-healing rows (lib/heal, abs-import-watch's tick) against the REAL
// qbittorrent-nox and the MAM simulator. A torrent saved to an empty folder behind a tracker
// nobody answers has no peer: it makes no progress, like a dead torrent on MAM. Time is the
// `now` each tick is given (no timed assertions): the stall limit passes between two ticks.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptyHealReport, healIntents, replaceFailed, type HealDeps, type HealSettings } from '../../lib/heal/heal';
import { MamClient } from '../../lib/mam/client';
import { QbitAdapter } from '../../lib/qbit/adapter';
import { readTorrentFile } from '../../lib/qbit/torrent-file';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue, type QueueSettings } from '../../lib/queue/queue';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Candidate } from '../../lib/types';
import { pollOnce, type WatchSettings } from '../../lib/watch/watcher';
import { startMamSim, type MamSim } from '../sim/mam-sim';
import { candidate, startQbittorrent, type QbitInstance } from '../helpers/qbittorrent';
import { makeTorrent, type MadeTorrent } from '../helpers/torrents';
import { printMatrixAtEnd, record } from './matrix';

printMatrixAtEnd();

const MIN = 60_000;
const HEAL: HealSettings = { enabled: true, stalledLimitMinutes: 3, maxAttempts: 3, deleteData: false };
const WATCH: WatchSettings = { libraryId: '', scanOnComplete: false, stalledMinutes: 2, notImportedMinutes: 60 };

describe('fault matrix: self-healing downloads (real qBittorrent)', function () {
  this.timeout(60_000);
  let q: QbitInstance;
  let mam: MamSim;
  let mamClient: MamClient;
  let n = 0;
  before(async () => {
    [q, mam] = await Promise.all([startQbittorrent(), startMamSim()]);
    mamClient = new MamClient({ baseUrl: mam.url, mamId: mam.currentMamId, minIntervalMs: 0 });
  });
  after(async () => {
    await mamClient?.close();
    await Promise.all([q?.close(), mam?.close()]);
  });

  /** One book with `count` candidates, each a real torrent MAM serves and nobody seeds. */
  function book(count: number): { cands: Candidate[]; hashes: string[]; files: Buffer[]; made: MadeTorrent[]; empty: string } {
    n++;
    const base = candidate(n);
    const cands: Candidate[] = [];
    const hashes: string[] = [];
    const files: Buffer[] = [];
    const made: MadeTorrent[] = [];
    for (let i = 0; i < count; i++) {
      const one = makeTorrent(mkdtempSync(join(tmpdir(), 'abg-heal-src-')), `Heal Book ${n} take ${i} - ${Date.now()}`);
      const id = 7000 + n * 10 + i;
      mam.addTorrent(id, one.torrent);
      hashes.push(readTorrentFile(one.torrent).hash);
      files.push(one.torrent);
      made.push(one);
      cands.push({ ...base, torrent: { ...base.torrent, id, title: one.name } });
    }
    return { cands, hashes, files, made, empty: mkdtempSync(join(tmpdir(), 'abg-heal-dl-')) };
  }

  /** Fresh store and client instances over the same files: what a Node-RED restart gives. */
  async function open(dir: string) {
    forgetStores();
    const client = new QbitAdapter({ baseUrl: q.url, username: q.username, password: q.password });
    const downloads = await DownloadStore.open(dir);
    const wanted = await WantedStore.open(dir);
    const deps: HealDeps = { client, source: mamClient, downloads, wanted, lockKey: dir };
    return { client, downloads, wanted, deps, watch: { qbit: client, downloads, wanted, lockKey: dir } };
  }

  /** One abs-import-watch tick, as the node runs it. */
  async function tick(s: Awaited<ReturnType<typeof open>>, now: Date) {
    const report = emptyHealReport();
    await healIntents(s.deps, report, now);
    await pollOnce(s.watch, WATCH, now);
    await replaceFailed(s.deps, HEAL, report, now);
    return report;
  }

  /** Waits until qBittorrent is done checking the empty folder (a held torrent never stalls). */
  async function settled(client: QbitAdapter, hash: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const [t] = await client.getTorrents([hash]);
      if (t && !/^checking|^allocating|^moving/.test(t.state)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`qBittorrent still checking ${hash}`);
  }

  const queueSettings = (savePath: string): QueueSettings => ({ category: 'audiobooks', tags: [], savePath, paused: false, maxPerRun: 10, dryRun: false, requireApproval: false });

  it('stalled → refused and removed, the next candidate added once; after 3 the book is failed with 3 reasons; restarts lose nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'abg-heal-'));
    const { cands, hashes, empty } = book(3);
    const key = cands[0].gap.key;
    let s = await open(dir);
    await s.wanted.syncGaps([cands[0].gap]);
    const first = await runQueue({ qbit: s.client, source: mamClient, downloads: s.downloads, wanted: s.wanted, lockKey: dir }, cands, queueSettings(empty));
    assert.deepEqual(first.downloads.map((d) => d.hash), [hashes[0]]);
    const listed = async () => (await s.client.getTorrents(hashes)).map((t) => t.hash).sort();

    let t = Date.now();
    const reasons: string[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      await settled(s.client, hashes[attempt]);
      const quiet = await tick(s, new Date(t));
      assert.deepEqual(quiet.refused, [], 'nothing refused before the limit');
      // A restart between ticks: new store and client instances over the same files.
      s = await open(dir);
      t += (HEAL.stalledLimitMinutes + 1) * MIN;
      const r = await tick(s, new Date(t));
      assert.deepEqual(r.refused.map((x) => x.hash), [hashes[attempt]], `attempt ${attempt + 1} refused`);
      reasons.push(r.refused[0].reason);
      assert.match(r.refused[0].reason, /^stalled: no progress/);
      if (attempt < 2) {
        assert.deepEqual(r.next.map((x) => x.action), ['queued']);
        assert.deepEqual(await listed(), [hashes[attempt + 1]], 'only the next candidate is in qBittorrent');
        // A new search offering every candidate again: the refused ones never come back.
        const again = await runQueue({ qbit: s.client, source: mamClient, downloads: s.downloads, wanted: s.wanted, lockKey: dir }, cands, queueSettings(empty));
        assert.deepEqual(again.downloads, []);
        assert.deepEqual(await listed(), [hashes[attempt + 1]]);
      } else {
        assert.deepEqual(r.next.map((x) => x.action), ['gave_up']);
      }
      t += MIN;
    }
    const rec = await s.wanted.get(key);
    assert.equal(rec?.state, 'failed');
    assert.equal(rec?.refused?.length, 3);
    assert.match(rec?.history.at(-1)?.note ?? '', /gave up after 3 torrents: 1\) torrent \d+: stalled.*2\) .*3\) /);
    assert.deepEqual(await listed(), [], 'every refused torrent removed from qBittorrent');
    // Each book hash was added once: one ledger record per attempt (2 retired + the last retired).
    assert.equal((await s.downloads.list()).length, 3);
    // Another tick does nothing more.
    const later = await tick(await open(dir), new Date(t + 60 * MIN));
    assert.deepEqual([later.refused, later.next], [[], []]);
    record({ row: 'torrent stalls with no peer (3 candidates)', service: 'qBittorrent', outcome: 'refused, removed, next candidate added; failed after 3', error: reasons[0], rerun: 'refused ones never re-added; restart between ticks: no loss, no duplicate' });
  });

  it('a crash after the refusal was recorded (before removal): the next tick removes it and adds the next candidate once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'abg-heal-'));
    const { cands, hashes, empty } = book(2);
    const key = cands[0].gap.key;
    let s = await open(dir);
    await s.wanted.syncGaps([cands[0].gap]);
    await runQueue({ qbit: s.client, source: mamClient, downloads: s.downloads, wanted: s.wanted, lockKey: dir }, cands, queueSettings(empty));
    // The first step of a refusal, then the process dies.
    await s.wanted.refuse(key, { torrentId: cands[0].torrent.id, hash: hashes[0], reason: 'stalled: test crash', at: new Date().toISOString() });
    s = await open(dir);
    await settled(s.client, hashes[0]);
    const r = await tick(s, new Date());
    assert.deepEqual(r.next.map((x) => x.action), ['queued']);
    assert.deepEqual((await s.client.getTorrents(hashes)).map((x) => x.hash), [hashes[1]]);
    const again = await tick(await open(dir), new Date(Date.now() + MIN));
    assert.deepEqual(again.next, []);
    assert.equal((await s.downloads.list({ key })).length, 1);
    record({ row: 'crash between refusal and removal', service: 'qBittorrent', outcome: 'next tick finishes it', error: '', rerun: 'next candidate added once' });
  });

  it('a torrent the user removed from qBittorrent is not replaced: the book stays failed until Retry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'abg-heal-'));
    const { cands, hashes, empty } = book(2);
    const key = cands[0].gap.key;
    const s = await open(dir);
    await s.wanted.syncGaps([cands[0].gap]);
    await runQueue({ qbit: s.client, source: mamClient, downloads: s.downloads, wanted: s.wanted, lockKey: dir }, cands, queueSettings(empty));
    await s.client.remove([hashes[0]], false);
    const r = await tick(s, new Date());
    assert.deepEqual([r.refused, r.next], [[], []], 'a removal is the user\'s decision, not a failure to heal');
    assert.equal((await s.wanted.get(key))?.state, 'failed');
    // Later ticks and a new run with both candidates add nothing: neither torrent comes back.
    await tick(await open(dir), new Date(Date.now() + 10 * MIN));
    const again = await runQueue({ qbit: s.client, source: mamClient, downloads: s.downloads, wanted: s.wanted, lockKey: dir }, cands, queueSettings(empty));
    assert.deepEqual(again.downloads, []);
    assert.deepEqual(await s.client.getTorrents(hashes), []);
    record({ row: 'torrent removed by the user (heal on)', service: 'qBittorrent', outcome: 'failed; not replaced', error: 'removed from qBittorrent', rerun: 'nothing added until Retry' });
  });

  it('a stalled torrent with no other candidate: refused, book wanted again; the refused torrent never comes back, by id or by hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'abg-heal-'));
    const { cands, hashes, files, empty } = book(1);
    const key = cands[0].gap.key;
    const s = await open(dir);
    await s.wanted.syncGaps([cands[0].gap]);
    await runQueue({ qbit: s.client, source: mamClient, downloads: s.downloads, wanted: s.wanted, lockKey: dir }, cands, queueSettings(empty));
    await settled(s.client, hashes[0]);
    const t = Date.now();
    await tick(s, new Date(t));
    const r = await tick(s, new Date(t + (HEAL.stalledLimitMinutes + 1) * MIN));
    assert.match(r.refused[0]?.reason ?? '', /^stalled: no progress/);
    assert.deepEqual(r.next.map((x) => x.action), ['search_again']);
    assert.equal((await s.wanted.get(key))?.state, 'wanted');
    // The refused torrent, offered again by the new search, is not added.
    const again = await runQueue({ qbit: s.client, source: mamClient, downloads: s.downloads, wanted: s.wanted, lockKey: dir }, cands, queueSettings(empty));
    assert.deepEqual(again.downloads, []);
    assert.match(again.skipped[0]?.reason ?? '', /refused/);
    // The same torrent under another MAM id is known by its hash once its .torrent is read.
    mam.addTorrent(cands[0].torrent.id + 5, files[0]);
    const renamed = await runQueue({ qbit: s.client, source: mamClient, downloads: s.downloads, wanted: s.wanted, lockKey: dir }, [{ ...cands[0], torrent: { ...cands[0].torrent, id: cands[0].torrent.id + 5 } }], queueSettings(empty));
    assert.deepEqual(renamed.downloads, []);
    assert.match(renamed.failed[0]?.reason ?? '', /refused for this book before/);
    assert.deepEqual(await s.client.getTorrents(hashes), []);
    // A plain Retry keeps the refusals; the option clears them.
    await s.wanted.retry(key, new Date());
    assert.equal((await s.wanted.get(key))?.refused?.length, 1);
    await s.wanted.retry(key, new Date(), { clearRefusals: true });
    assert.equal((await s.wanted.get(key))?.refused, undefined);
    record({ row: 'torrent stalls, no other candidate', service: 'qBittorrent', outcome: 'refused; book wanted again', error: r.refused[0].reason, rerun: 'refused torrent skipped by qbit-queue (id and hash)' });
  });

  it('a refused torrent\'s data is kept by default and deleted when the setting says so', async () => {
    for (const deleteData of [false, true]) {
      const dir = mkdtempSync(join(tmpdir(), 'abg-heal-'));
      const { cands, hashes, made, empty } = book(1);
      // Half the data present: qBittorrent checks it, then waits for a peer that never comes.
      const content = join(empty, made[0].name);
      cpSync(made[0].contentPath, content, { recursive: true });
      rmSync(join(content, '02 - part.mp3'));
      const s = await open(dir);
      await s.wanted.syncGaps([cands[0].gap]);
      await runQueue({ qbit: s.client, source: mamClient, downloads: s.downloads, wanted: s.wanted, lockKey: dir }, cands, queueSettings(empty));
      await settled(s.client, hashes[0]);
      await tick(s, new Date());
      const report = emptyHealReport();
      await pollOnce(s.watch, WATCH, new Date(Date.now() + 10 * MIN));
      await replaceFailed(s.deps, { ...HEAL, deleteData }, report, new Date(Date.now() + 10 * MIN));
      assert.equal(report.refused.length, 1);
      assert.deepEqual(await s.client.getTorrents(hashes), []);
      // qBittorrent deletes files after it answers: wait for it (bounded), then look.
      for (let i = 0; i < 50 && deleteData && existsSync(content); i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal(existsSync(join(content, '01 - part.mp3')), !deleteData, `data ${deleteData ? 'deleted' : 'kept'}`);
    }
    record({ row: 'refused torrent\'s data', service: 'qBittorrent', outcome: 'kept by default; deleted with the setting', error: '', rerun: '-' });
  });

  it('heal on the next tick: an intent a crash left (not in qBittorrent) is added by the watcher tick', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'abg-heal-'));
    const { cands, hashes, empty } = book(1);
    const s = await open(dir);
    await s.wanted.syncGaps([cands[0].gap]);
    await assert.rejects(runQueue({ qbit: s.client, source: mamClient, downloads: s.downloads, wanted: s.wanted, lockKey: dir, hooks: { afterIntent: () => { throw new Error('crash'); } } }, cands, queueSettings(empty)));
    assert.deepEqual(await s.client.getTorrents(hashes), []);
    const s2 = await open(dir);
    const r = await tick(s2, new Date());
    assert.deepEqual(r.healed, [cands[0].gap.key]);
    assert.deepEqual((await s2.client.getTorrents(hashes)).map((x) => x.hash), hashes);
    assert.equal((await s2.wanted.get(cands[0].gap.key))?.state, 'downloading', 'the same tick already watches it');
    record({ row: 'crash between intent and add (watcher tick)', service: 'qBittorrent', outcome: 'healed by the next watcher tick', error: '', rerun: 'added once, watched at once' });
  });
});
