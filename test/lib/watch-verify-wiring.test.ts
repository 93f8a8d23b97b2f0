// How the watcher wires verify-after-import: which kept candidate's evidence gives the runtime
// (the one that was queued, not the best-ranked one), what the wanted record's note says of a
// sound import, and that an earlier refused attempt's item is never this attempt's import.
import assert from 'node:assert/strict';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue } from '../../lib/queue/queue';
import { forgetStores } from '../../lib/store/store';
import { WantedStore, type StoredCandidate } from '../../lib/store/wanted';
import type { Candidate } from '../../lib/types';
import { pollOnce, type WatchSettings } from '../../lib/watch/watcher';
import { type FakeQbit, candidate } from '../helpers/qbittorrent';
import type { FakeLibraryAbs } from '../helpers/abs-fake';
import { FAKE_SOURCE as source, QUEUE_SETTINGS as settings, at, openWatchWorld } from '../helpers/watch-world';

const H = 3600;

describe('lib/watch: verify-after-import wiring', () => {
  const watch: WatchSettings = { libraryId: 'lib1', scanOnComplete: true, stalledMinutes: 30, notImportedMinutes: 60 };
  let qbit: FakeQbit;
  let abs: FakeLibraryAbs;
  let downloads: DownloadStore;
  let wanted: WantedStore;
  let dir: string;
  // The gap itself knows no runtime: only the kept candidates' evidence does.
  const base = candidate(1);
  const gap = { ...base.gap, expectedDurationSec: undefined, expectedDurationFrom: undefined };
  const cand = (id: number, expectedSec: number): Candidate =>
    ({ ...base, gap, torrent: { ...base.torrent, id, title: `Book 1 take ${id}` }, evidence: { expectedSec, expectedFrom: 'metadata' } } as Candidate);
  const item = (id: string, name: string, durationSec: number, minute: number) =>
    ({ id, path: `/dl/${name}`, addedAt: at(minute).getTime(), media: { duration: durationSec, numAudioFiles: 1, metadata: { title: 'Book 1', authorName: 'James S. A. Corey', seriesName: 'The Expanse #1' } } });

  /**
   * Queues `queued` only, then keeps `kept` as the book's candidates (as after heal queued a
   * later one of them: the queued torrent need not be the first kept), completes it and lists
   * it in ABS at `durationSec`.
   */
  async function importOf(queued: Candidate, kept: Candidate[], durationSec: number) {
    await runQueue({ qbit, source, downloads, wanted, lockKey: dir }, [queued], settings, undefined, () => at(0));
    await wanted.keepCandidates(gap.key, kept.map(({ gap: _g, ...c }) => c as StoredCandidate));
    const t = [...qbit.torrents.values()][0];
    Object.assign(t, { phase: 'completed', state: 'uploading', progress: 1 });
    abs.items.push(item('li_1', t.name, durationSec, 2));
    return pollOnce({ qbit, abs, downloads, wanted, lockKey: dir }, watch, at(3));
  }

  beforeEach(async () => {
    ({ dir, qbit, abs, wanted, downloads } = await openWatchWorld('abg-verify-wiring-'));
    await wanted.syncGaps([gap]);
  });
  afterEach(() => forgetStores());

  it('the runtime is the queued candidate\'s, even when another kept candidate comes first', async () => {
    // The best-ranked kept candidate expected 4 h (another edition); the queued one 10 h.
    const r = await importOf(cand(602, 10 * H), [cand(601, 4 * H), cand(602, 10 * H)], 9.8 * H);
    const e = r.events.find((x) => x.event.startsWith('imported'));
    assert.equal(e?.event, 'imported');
    assert.equal(e?.verify?.evidence.expectedSec, 10 * H);
  });

  it('the queued candidate\'s runtime turns a short import suspect', async () => {
    const r = await importOf(cand(602, 10 * H), [cand(601, 4 * H), cand(602, 10 * H)], 4 * H);
    assert.equal(r.events.find((x) => x.event.startsWith('imported'))?.event, 'imported_suspect');
  });

  it('without kept candidates and without a gap runtime the length is not judged', async () => {
    const r = await importOf(cand(602, 10 * H), [], 4 * H);
    const e = r.events.find((x) => x.event.startsWith('imported'));
    assert.equal(e?.event, 'imported');
    assert.equal(e?.verify?.evidence.expectedSec, undefined);
  });

  it('a sound import\'s wanted note names the item and the match, and no suspicion', async () => {
    await importOf(cand(602, 10 * H), [cand(602, 10 * H)], 9.9 * H);
    const rec = await wanted.get(gap.key);
    const note = rec?.history.at(-1)?.note ?? '';
    assert.equal(rec?.state, 'imported');
    assert.match(note, /^in Audiobookshelf as "Book 1" \(matched by \w[\w-]*\)$/);
    const [ledger] = await downloads.list({ key: gap.key });
    assert.equal(ledger.watch?.reason, undefined, 'a sound import carries no reason in the ledger');
  });

  it('a suspect import\'s wanted note lists every reason, each separated', async () => {
    const r = await importOf(cand(602, 10 * H), [cand(602, 10 * H)], 4 * H);
    const e = r.events.find((x) => x.event === 'imported_suspect');
    const note = (await wanted.get(gap.key))?.history.at(-1)?.note ?? '';
    assert.ok(note.includes(`, but suspect: ${e?.verify?.reasons.join('; ')}`), note);
  });
});
