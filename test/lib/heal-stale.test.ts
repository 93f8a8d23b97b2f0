// lib/heal: the next candidate comes from the last search only while that search is recent
// enough (searchMaxAgeDays, default 7); older, the book goes back to wanted for a fresh search.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_HEAL, emptyHealReport, replaceFailed } from '../../lib/heal/heal';
import { staleSearch } from '../../lib/heal/next';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue } from '../../lib/queue/queue';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Candidate } from '../../lib/types';
import { pollOnce } from '../../lib/watch/watcher';
import { FakeQbit, candidate, fakeTorrent } from '../helpers/qbittorrent';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');

describe('lib/heal: candidates from a search too old', () => {
  it('staleSearch: over the limit only, with the age in words; no limit or no search time: not judged', () => {
    const rec = (daysAgo: number) => ({ search: { lastAt: new Date(T0 - daysAgo * DAY).toISOString(), attempts: 1 } });
    const now = new Date(T0);
    assert.equal(staleSearch(rec(7), { maxAttempts: 3, searchMaxAgeDays: 7 }, now), undefined);
    assert.equal(staleSearch(rec(7.1), { maxAttempts: 3, searchMaxAgeDays: 7 }, now), 'the kept candidates come from a search 7 days old (limit 7 days)');
    assert.equal(staleSearch(rec(30), { maxAttempts: 3 }, now), undefined);
    assert.equal(staleSearch(rec(30), { maxAttempts: 3, searchMaxAgeDays: 0 }, now), undefined);
    assert.equal(staleSearch({}, { maxAttempts: 3, searchMaxAgeDays: 7 }, now), undefined);
  });

  for (const [daysAgo, expect] of [[8, 'search_again'], [6, 'queued']] as const) {
    it(`a stalled download whose book was searched ${daysAgo} days ago: ${expect}`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'abg-stale-'));
      const qbit = new FakeQbit();
      const wanted = await WantedStore.open(dir);
      const downloads = await DownloadStore.open(dir);
      const cands: Candidate[] = [700, 701].map((id) => ({ ...candidate(1), torrent: { ...candidate(1).torrent, id } }));
      const key = cands[0].gap.key;
      await wanted.syncGaps([cands[0].gap], new Date(T0 - 10 * DAY));
      const searchedAt = T0 - daysAgo * DAY;
      await wanted.recordSearch(key, { lastAt: new Date(searchedAt).toISOString(), attempts: 1, torrentId: 700 }, 'found');
      const source = { downloadTorrent: async (id: number) => fakeTorrent(`book-${id}`) };
      const settings = { category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false };
      await runQueue({ qbit, source, downloads, wanted, lockKey: dir }, cands, settings, undefined, () => new Date(searchedAt));
      await pollOnce({ qbit, downloads, wanted, lockKey: dir }, { libraryId: '', scanOnComplete: false, stalledMinutes: 60, notImportedMinutes: 60 }, new Date(searchedAt));
      // The torrent stalls; heal runs long enough after the search for it to be stale or not.
      const report = emptyHealReport();
      await replaceFailed({ client: qbit, source, downloads, wanted, lockKey: dir }, DEFAULT_HEAL, report, new Date(T0));
      assert.deepEqual(report.refused.map((r) => r.torrentId), [700]);
      assert.deepEqual(report.next.map((x) => x.action), [expect]);
      const rec = await wanted.get(key);
      if (expect === 'search_again') {
        assert.equal(rec?.state, 'wanted', 'the next mam-search run looks again');
        assert.equal(rec?.healPending, undefined);
        assert.match(rec?.history.at(-1)?.note ?? '', /search 8 days old \(limit 7 days\): the next search looks again/);
        assert.equal(qbit.torrents.size, 0, 'no stale candidate added');
      } else {
        assert.equal(rec?.state, 'queued');
        assert.deepEqual([...qbit.torrents.values()].map((t) => t.name), ['book-701']);
      }
      forgetStores();
    });
  }
});
