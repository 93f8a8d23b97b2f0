// Fault matrix, verify-after-import rows: a download that is not the whole book (its files run
// half the metadata runtime), against the REAL Audiobookshelf (ffmpeg-made audio, measured by
// ABS's own probe) and the REAL qbittorrent-nox (the files are on disk, so the torrent checks
// to 100 % at once). Ticks run as abs-import-watch runs them; a restart is fresh store and
// client instances over the same files.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { AbsClient } from '../../lib/abs/client';
import { DEFAULT_HEAL, emptyHealReport, healIntents, replaceFailed, type HealSettings } from '../../lib/heal/heal';
import { QbitAdapter } from '../../lib/qbit/adapter';
import { readTorrentFile } from '../../lib/qbit/torrent-file';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue, type QueueSettings } from '../../lib/queue/queue';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Candidate, ImportEvent } from '../../lib/types';
import { pollOnce, type WatchSettings } from '../../lib/watch/watcher';
import { absServer, bookTags, type AbsServer } from '../helpers/audiobookshelf';
import { candidate, startQbittorrent, type QbitInstance } from '../helpers/qbittorrent';
import { printMatrixAtEnd, record } from './matrix';

printMatrixAtEnd();

const RUNTIME = 120; // seconds: the metadata runtime of every book here

describe('fault matrix: verify after import (real Audiobookshelf and qBittorrent)', function () {
  this.timeout(240_000); // a cold run installs the ABS server first
  let abs: AbsServer;
  let q: QbitInstance;
  let lib: { id: string; folder: string };
  let n = 0;
  before(async () => {
    [abs, q] = await Promise.all([absServer(), startQbittorrent()]);
    lib = await abs.createLibrary('Verify faults', [{ dir: 'Jane Doe/Star/Book 1 - Star One', tags: bookTags({ title: 'Star One', author: 'Jane Doe', series: 'Star', part: '1' }) }]);
  });
  after(async () => { await q?.close(); });
  afterEach(() => forgetStores());

  /**
   * One wanted book and its candidates: each a folder of `seconds` of audio in a staging folder
   * qBittorrent saves to (complete at once) and its .torrent; place(i) copies take i into the
   * library, where ABS sees it as the path mapping says (staging → library), after it was queued.
   */
  function book(takes: number[]) {
    n++;
    const seq = String(n + 1);
    const title = `Star ${['Two', 'Three', 'Four', 'Five'][n - 1]}`;
    const base = candidate(n);
    const stage = mkdtempSync(join(tmpdir(), 'abg-verify-stage-'));
    const shelf = join(lib.folder, 'Jane Doe', 'Star');
    const files = new Map<number, Buffer>();
    const hashes: string[] = [];
    const dirs: string[] = [];
    const cands: Candidate[] = takes.map((seconds, i) => {
      const dir = `Book ${seq} - ${title} (take ${i})`;
      dirs.push(dir);
      abs.writeBooks(stage, [{ dir, durationSec: seconds, tags: bookTags({ title, author: 'Jane Doe', series: 'Star', part: seq }) }]);
      const out = join(mkdtempSync(join(tmpdir(), 'abg-verify-tor-')), 'x.torrent');
      execFileSync('mktorrent', ['-p', '-a', 'http://127.0.0.1:9/announce', '-l', '15', '-n', basename(dir), '-o', out, join(stage, dir)], { stdio: 'ignore' });
      const id = 9000 + n * 10 + i;
      files.set(id, readFileSync(out));
      hashes.push(readTorrentFile(files.get(id) as Buffer).hash);
      return { ...base, gap: { ...base.gap, key: `series:star|jane doe#${seq}`, title, authors: ['Jane Doe'], series: 'Star', sequence: seq, expectedDurationSec: RUNTIME, expectedDurationFrom: 'metadata' as const }, torrent: { ...base.torrent, id, title: `${title} take ${i}`, authors: ['Jane Doe'] } };
    });
    const place = (i: number) => cpSync(join(stage, dirs[i]), join(shelf, dirs[i]), { recursive: true });
    return { cands, hashes, files, stage, place, mapping: { from: stage, to: shelf } };
  }

  async function open(dir: string, files: Map<number, Buffer>) {
    forgetStores();
    const client = new QbitAdapter({ baseUrl: q.url, username: q.username, password: q.password });
    const absClient = new AbsClient({ baseUrl: abs.url, token: abs.apiKey });
    const downloads = await DownloadStore.open(dir);
    const wanted = await WantedStore.open(dir);
    const source = { downloadTorrent: async (id: number) => files.get(id) as Buffer };
    return { client, absClient, downloads, wanted, source, heal: { client, source, downloads, wanted, lockKey: dir }, watch: { qbit: client, abs: absClient, downloads, wanted, lockKey: dir } };
  }
  type Session = Awaited<ReturnType<typeof open>>;
  const close = async (s: Session) => { await s.client.close(); await s.absClient.close(); };
  const WATCH: WatchSettings = { libraryId: '', scanOnComplete: true, stalledMinutes: 60, notImportedMinutes: 60 };
  const queueSettings = (savePath: string): QueueSettings => ({ category: 'audiobooks', tags: [], savePath, paused: false, maxPerRun: 10, dryRun: false, requireApproval: false });

  /** abs-import-watch ticks until the book's import is judged; returns that event and the heal report. */
  async function tick(s: Session, mapping: WatchSettings['mapping'], heal: HealSettings) {
    const report = emptyHealReport();
    await healIntents(s.heal, report);
    const r = await pollOnce(s.watch, { ...WATCH, libraryId: lib.id, mapping });
    await replaceFailed(s.heal, heal, report);
    return { r, report };
  }

  async function tickUntilJudged(s: Session, key: string, mapping: WatchSettings['mapping'], heal: HealSettings) {
    for (let i = 0; i < 100; i++) {
      const { r, report } = await tick(s, mapping, heal);
      const judged = r.events.find((e) => e.download.key === key && e.event.startsWith('imported'));
      if (judged) return { judged, report };
      await new Promise((res) => setTimeout(res, 200));
    }
    throw new Error('no import within 100 ticks');
  }

  it('half the book, refusing off: imported_suspect, kept; no re-add; the user\'s Retry refuses it and the next run adds the next candidate once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'abg-verify-'));
    const { cands, hashes, files, stage: savePath, place, mapping } = book([RUNTIME / 2, RUNTIME]);
    const key = cands[0].gap.key;
    const s = await open(dir, files);
    await s.wanted.syncGaps([cands[0].gap]);
    const deps = { qbit: s.client, source: s.source, downloads: s.downloads, wanted: s.wanted, lockKey: dir };
    await runQueue(deps, cands, queueSettings(savePath));
    place(0);
    const { judged, report } = await tickUntilJudged(s, key, mapping, DEFAULT_HEAL);
    assert.equal(judged.event, 'imported_suspect');
    assert.deepEqual(report.refused, []);
    assert.deepEqual((await s.client.getTorrents(hashes)).map((t) => t.hash), [hashes[0]], 'kept in qBittorrent');
    assert.deepEqual((await runQueue(deps, cands, queueSettings(savePath))).downloads, [], 'not re-added behind the user\'s back');
    await s.wanted.retry(key);
    const again = await runQueue(deps, cands, queueSettings(savePath));
    assert.deepEqual(again.downloads.map((d) => d.hash), [hashes[1]]);
    assert.deepEqual((await runQueue(deps, cands, queueSettings(savePath))).downloads, [], 'once');
    await close(s);
    record({ row: 'download is half the book (refusing off)', service: 'Audiobookshelf', outcome: 'imported_suspect, kept, shown', error: (judged as ImportEvent).verify?.reasons[0] ?? '', rerun: 'no re-add; Retry refuses it, next candidate added once' });
  });

  it('half the book, refusing on, a restart between the verdict and the refusal: refused, removed, the next candidate added once and imported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'abg-verify-'));
    const { cands, hashes, files, stage: savePath, place, mapping } = book([RUNTIME / 2, RUNTIME - 4]);
    const key = cands[0].gap.key;
    let s = await open(dir, files);
    await s.wanted.syncGaps([cands[0].gap]);
    await runQueue({ qbit: s.client, source: s.source, downloads: s.downloads, wanted: s.wanted, lockKey: dir }, cands, queueSettings(savePath));
    place(0);
    // The verdict is recorded; the process dies before heal runs (heal off on that tick).
    const first = await tickUntilJudged(s, key, mapping, { ...DEFAULT_HEAL, enabled: false });
    assert.equal(first.judged.event, 'imported_suspect');
    await close(s);
    s = await open(dir, files);
    const on = { ...DEFAULT_HEAL, refuseSuspect: true };
    const healed = await tick(s, mapping, on);
    assert.deepEqual([healed.report.refused.map((r) => r.hash), healed.report.next.map((x) => x.action)], [[hashes[0]], ['queued']]);
    place(1);
    const second = await tickUntilJudged(s, key, mapping, on);
    assert.equal(second.judged.event, 'imported', 'the next candidate, the right length');
    const rec = await s.wanted.get(key);
    assert.deepEqual(rec?.refused?.map((r) => r.hash), [hashes[0]]);
    assert.equal(rec?.state, 'imported');
    assert.deepEqual((await s.client.getTorrents(hashes)).map((t) => t.hash), [hashes[1]], 'the suspect one removed, the next one added once');
    await close(s);
    record({ row: 'download is half the book (refusing on), restart before refusal', service: 'Audiobookshelf', outcome: 'refused, removed, next candidate imported', error: rec?.refused?.[0].reason ?? '', rerun: 'restart: no loss, next added once' });
  });
});
