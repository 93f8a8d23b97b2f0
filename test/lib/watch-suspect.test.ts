// A suspect import through the watcher, heal and the user's Retry (in-memory qBittorrent and ABS):
// the verdict lands in the event, the ledger and the wanted record; it is refused and replaced
// only where the user enabled that; otherwise Retry refuses that torrent and qbit-queue adds another.
import assert from 'node:assert/strict';
import { DEFAULT_HEAL, emptyHealReport, refusalReason, replaceFailed } from '../../lib/heal/heal';
import { DownloadStore, type DownloadRecord } from '../../lib/queue/downloads';
import { runQueue } from '../../lib/queue/queue';
import { withIndexers } from '../../lib/queue/source';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Candidate } from '../../lib/types';
import { pollOnce, type WatchSettings } from '../../lib/watch/watcher';
import { FakeQbit, candidate, fakeTorrent } from '../helpers/qbittorrent';
import type { FakeLibraryAbs } from '../helpers/abs-fake';
import { FAKE_SOURCE as source, QUEUE_SETTINGS as settings, at, openWatchWorld } from '../helpers/watch-world';

const H = 3600;

describe('lib/watch + lib/heal: a suspect import', () => {
  const watch: WatchSettings = { libraryId: 'lib1', scanOnComplete: true, stalledMinutes: 30, notImportedMinutes: 60 };
  let qbit: FakeQbit;
  let abs: FakeLibraryAbs;
  let downloads: DownloadStore;
  let wanted: WantedStore;
  let dir: string;
  // Book 1 runs 10 h (metadata); two accepted torrents, the first one is half of it.
  const cands: Candidate[] = [0, 1].map((i) => {
    const c = candidate(1);
    return { ...c, gap: { ...c.gap, expectedDurationSec: 10 * H, expectedDurationFrom: 'metadata' }, torrent: { ...c.torrent, id: 500 + i, title: `Book 1 take ${i}` } };
  });
  const key = cands[0].gap.key;
  const item = (id: string, name: string, durationSec: number, minute: number) =>
    ({ id, path: `/dl/${name}`, addedAt: at(minute).getTime(), media: { duration: durationSec, numAudioFiles: 1, metadata: { title: 'Book 1', authorName: 'James S. A. Corey', seriesName: 'The Expanse #1' } } });

  /** Queues the first candidate, completes it and lets ABS list it at `durationSec`. */
  async function importedAt(durationSec: number) {
    await runQueue({ qbit, source, downloads, wanted, lockKey: dir }, cands, settings, undefined, () => at(0));
    const t = [...qbit.torrents.values()][0];
    Object.assign(t, { phase: 'completed', state: 'uploading', progress: 1 });
    abs.items.push(item('li_1', t.name, durationSec, 2));
    return pollOnce({ qbit, abs, downloads, wanted, lockKey: dir }, watch, at(3));
  }

  beforeEach(async () => {
    ({ dir, qbit, abs, wanted, downloads } = await openWatchWorld('abg-suspect-'));
    await wanted.syncGaps([cands[0].gap]);
  });
  afterEach(() => forgetStores());

  it('right length: imported, with what ABS measured', async () => {
    const r = await importedAt(9.6 * H);
    assert.deepEqual(r.events.map((e) => e.event), ['completed', 'imported']);
    assert.deepEqual(r.events[1].verify?.reasons, []);
    assert.equal(r.events[1].verify?.evidence.ratio, 0.96);
    assert.equal((await wanted.get(key))?.state, 'imported');
    assert.equal(r.counts.imported, 1);
  });

  it('half the length: imported_suspect in the event, the ledger and the wanted record; not refused by default', async () => {
    const r = await importedAt(5 * H);
    assert.deepEqual(r.events.map((e) => e.event), ['completed', 'imported_suspect']);
    const e = r.events[1];
    assert.equal(e.download.state, 'imported_suspect');
    assert.equal(e.item?.id, 'li_1');
    assert.match(e.reason ?? '', /^suspect import: 5\.0 h of audio, the book runs 10\.0 h/);
    assert.deepEqual([e.verify?.evidence.durationSec, e.verify?.evidence.expectedSec], [5 * H, 10 * H]);
    assert.deepEqual({ suspect: r.counts.suspect, imported: r.counts.imported }, { suspect: 1, imported: 0 });
    const rec = await wanted.get(key);
    assert.equal(rec?.state, 'imported_suspect');
    assert.match(rec?.history.at(-1)?.note ?? '', /but suspect: 5\.0 h of audio/);
    assert.equal((await downloads.get(key))?.watch?.verify?.reasons.length, 1);

    const report = emptyHealReport();
    await replaceFailed({ client: qbit, source, downloads, wanted, lockKey: dir }, DEFAULT_HEAL, report, at(10));
    assert.deepEqual([report.refused, report.next], [[], []], 'default: shown, not refused');
    assert.equal(qbit.torrents.size, 1);
    // Nothing queues it again behind the user's back.
    const again = await runQueue({ qbit, source, downloads, wanted, lockKey: dir }, cands, settings, undefined, () => at(11));
    assert.deepEqual(again.downloads, []);
  });

  it('with "refuse suspect imports": refused, removed, and the next candidate queued like a failed download', async () => {
    await importedAt(5 * H);
    const report = emptyHealReport();
    await replaceFailed({ client: qbit, source, downloads, wanted, lockKey: dir }, { ...DEFAULT_HEAL, refuseSuspect: true }, report, at(10));
    assert.deepEqual(report.refused.map((x) => x.torrentId), [500]);
    assert.match(report.refused[0].reason, /^suspect import: /);
    assert.deepEqual(report.next.map((x) => [x.action, (x as { torrentId?: number }).torrentId]), [['queued', 501]]);
    assert.deepEqual([...qbit.torrents.values()].map((t) => t.name), ['book-501']);
    const rec = await wanted.get(key);
    assert.equal(rec?.state, 'queued');
    assert.deepEqual(rec?.refused?.map((x) => x.torrentId), [500]);

    // The refused attempt's item is still in the library with the same title and author: it is
    // not the next attempt's import (title + author alone would claim it).
    Object.assign(qbit.torrents.get([...qbit.torrents.keys()][0])!, { phase: 'completed', state: 'uploading', progress: 1 });
    const next = await pollOnce({ qbit, abs, downloads, wanted, lockKey: dir }, watch, at(12));
    assert.deepEqual(next.events.map((e) => e.event), ['completed']);
    abs.items.unshift(item('li_2', 'book-501', 9.9 * H, 13));
    const own = await pollOnce({ qbit, abs, downloads, wanted, lockKey: dir }, watch, at(14));
    assert.deepEqual(own.events.map((e) => [e.event, e.item?.id]), [['imported', 'li_2']]);
  });

  it('an indexer-only flow (no MAM account) heals too: the next candidate found by an indexer is fetched through its node; a MAM one is left to the next search', async () => {
    await importedAt(5 * H);
    const origin = { kind: 'indexer' as const, node: 'prowlarr-1', indexer: 'PublicBooks', guid: 'g-501' };
    const rec = await wanted.get(key);
    // The kept backup came from an indexer: fetched through prowlarr-1, not MAM.
    await wanted.keepCandidates(key, (rec?.candidates ?? []).map((c) => (c.torrent.id === 501 ? { ...c, torrent: { ...c.torrent, source: origin } } : c)));
    const asked: string[] = [];
    const viaIndexer = withIndexers(undefined, (node) => (node === 'prowlarr-1' ? { downloadTorrent: async (o) => { asked.push(o.guid); return fakeTorrent('book-501'); } } : undefined));
    const report = emptyHealReport();
    await replaceFailed({ client: qbit, source: viaIndexer, downloads, wanted, lockKey: dir }, { ...DEFAULT_HEAL, refuseSuspect: true }, report, at(10));
    assert.deepEqual(report.next.map((x) => x.action), ['queued']);
    assert.deepEqual(asked, ['g-501']);
  });

  it('without a MAM account a MAM backup is not tried: the book goes back to the next search, saying why', async () => {
    await importedAt(5 * H);
    const report = emptyHealReport();
    await replaceFailed({ client: qbit, source: withIndexers(undefined, () => undefined), downloads, wanted, lockKey: dir }, { ...DEFAULT_HEAL, refuseSuspect: true }, report, at(10));
    assert.deepEqual(report.next.map((x) => [x.action, (x as { reason?: string }).reason]), [['search_again', 'the next candidate: no MAM account to fetch it from']]);
    assert.equal(qbit.torrents.size, 0, 'the refused torrent removed, nothing added');
    assert.equal((await wanted.get(key))?.state, 'wanted');
  });

  it('the user\'s Retry refuses that torrent; the next qbit-queue run adds another', async () => {
    await importedAt(5 * H);
    assert.equal(await wanted.retry(key, at(20)), true);
    const rec = await wanted.get(key);
    assert.equal(rec?.state, 'wanted');
    assert.deepEqual(rec?.refused?.map((x) => [x.torrentId, x.reason]), [[500, 'suspect import; the user pressed Retry']]);
    assert.equal(rec?.healPending, undefined, 'the next search finds the next one; heal does not');
    const again = await runQueue({ qbit, source, downloads, wanted, lockKey: dir }, cands, settings, undefined, () => at(21));
    assert.deepEqual(again.downloads.map((d) => d.torrentId), [501]);
    assert.deepEqual(again.skipped, [{ key, reason: 'torrent 500 was refused for this book before' }]);
  });

  it('qbit-queue never adds a book in imported_suspect, even with no ledger entry left', async () => {
    await wanted.setState(key, 'imported_suspect');
    const r = await runQueue({ qbit, source, downloads, wanted, lockKey: dir }, cands, settings, undefined, () => at(1));
    assert.deepEqual([r.downloads, r.skipped[0]], [[], { key, reason: 'already imported_suspect' }]);
  });

  it('refusalReason: a suspect import only with the option', () => {
    const rec: DownloadRecord = { key, phase: 'added', gap: cands[0].gap, torrentId: 500, hash: 'h', category: 'c', tags: [], savePath: '', paused: false, intentAt: at(0).toISOString(), watch: { emitted: ['completed', 'imported_suspect'], done: true, reason: 'suspect import: x' } };
    assert.equal(refusalReason(rec, DEFAULT_HEAL, at(1)), undefined);
    assert.equal(refusalReason(rec, { ...DEFAULT_HEAL, refuseSuspect: true }, at(1)), 'suspect import: x');
  });
});
