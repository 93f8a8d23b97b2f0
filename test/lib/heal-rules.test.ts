// When lib/heal gives a download up (refusalReason) — the rules that must never fire on a
// download that can still succeed.
import assert from 'node:assert/strict';
import { DEFAULT_HEAL, refusalReason } from '../../lib/heal/heal';
import { isHeld } from '../../lib/qbit/states';
import { attemptsSinceRetry, isRefused } from '../../lib/store/refused';
import type { WantedRecord } from '../../lib/store/wanted';
import type { DownloadRecord, WatchState } from '../../lib/queue/downloads';
import { candidate } from '../helpers/qbittorrent';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const rec = (watch: Partial<WatchState>, extra: object = {}): DownloadRecord => ({
  key: 'k', phase: 'added', gap: candidate(1).gap, torrentId: 1, hash: 'h', category: 'c', tags: [], savePath: '', paused: false,
  intentAt: new Date(T0).toISOString(), watch: { emitted: [], lastProgressAt: new Date(T0).toISOString(), progress: 0.2, ...watch }, ...extra,
});
const at = (min: number) => new Date(T0 + min * 60_000);

describe('lib/heal refusalReason', () => {
  const limit = DEFAULT_HEAL.stalledLimitMinutes;
  it('stalled only from the limit on', () => {
    assert.equal(refusalReason(rec({}), DEFAULT_HEAL, at(limit - 1)), undefined);
    assert.match(refusalReason(rec({}), DEFAULT_HEAL, at(limit)) ?? '', /^stalled: no progress for 240 min \(limit 240 min, 20 %\)/);
  });
  it('a failed download is refused with the watcher\'s reason', () => {
    assert.equal(refusalReason(rec({ done: true, emitted: ['failed'], reason: 'removed from qBittorrent' }), DEFAULT_HEAL, at(0)), 'removed from qBittorrent');
  });
  it('never: held (paused, checking, queued in the client), completed, imported, or a retired attempt', () => {
    const late = at(limit * 10);
    assert.equal(refusalReason(rec({ held: true }), DEFAULT_HEAL, late), undefined);
    assert.equal(refusalReason(rec({ completedAt: new Date(T0).toISOString() }), DEFAULT_HEAL, late), undefined);
    assert.equal(refusalReason(rec({ done: true, emitted: ['completed', 'imported'] }), DEFAULT_HEAL, late), undefined);
    assert.equal(refusalReason(rec({ done: true, emitted: ['failed'] }, { retiredFrom: 'k' }), DEFAULT_HEAL, late), undefined);
  });
  it('qBittorrent\'s own queue (queuedDL) holds the stall clock', () => {
    assert.equal(isHeld('queuedDL'), true);
    assert.equal(isHeld('stalledDL'), false);
  });
});

describe('lib/store refused', () => {
  const book = (extra: Partial<WantedRecord> = {}) => ({
    key: 'k', gap: candidate(1).gap, state: 'wanted', ignored: false, firstSeenAt: '', updatedAt: '', history: [],
    refused: [{ torrentId: 7, hash: 'aa', reason: 'stalled', at: '2026-01-02T00:00:00Z' }, { torrentId: 8, reason: 'gone', at: '2026-01-04T00:00:00Z' }], ...extra,
  }) as WantedRecord;
  it('a torrent is refused by its MAM id or by its hash', () => {
    assert.equal(isRefused(book(), { id: 7 }), true);
    assert.equal(isRefused(book(), { id: 9, hash: 'aa' }), true);
    assert.equal(isRefused(book(), { id: 9, hash: 'bb' }), false);
    assert.equal(isRefused(book(), { hash: '' }), false);
    assert.equal(isRefused(null, { id: 7 }), false);
  });
  it('attempts count the refusals since the user\'s last Retry', () => {
    assert.equal(attemptsSinceRetry(book()), 2);
    assert.equal(attemptsSinceRetry(book({ retryRequestedAt: '2026-01-03T00:00:00Z' })), 1);
  });
});
