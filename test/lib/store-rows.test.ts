// The gap-store table: one flat row per wanted record, as the dashboard shows it.
import assert from 'node:assert/strict';
import { countStates, toRow } from '../../lib/store/rows';
import type { WantedRecord } from '../../lib/store/wanted';
import type { Gap } from '../../lib/types';

const record = (gap: Partial<Gap>, extra: Partial<WantedRecord> = {}): WantedRecord => ({
  key: 'series:expanse|corey#3',
  gap: { key: 'series:expanse|corey#3', kind: 'series', status: 'wanted', authors: ['James S. A. Corey'], source: 'library', reason: 'hole at 3', ...gap },
  state: 'wanted', ignored: false, firstSeenAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-02T00:00:00.000Z', history: [],
  ...extra,
});

describe('lib/store rows for the dashboard', () => {
  it('a title-less gap is named by its place, else by its series, else left empty (never by its key)', () => {
    assert.equal(toRow(record({ title: 'Abaddon\'s Gate', series: 'The Expanse', sequence: '3' })).title, 'Abaddon\'s Gate');
    assert.equal(toRow(record({ series: 'The Expanse', sequence: '3' })).title, 'The Expanse #3');
    assert.equal(toRow(record({ series: 'The Expanse' })).title, 'The Expanse', 'no position: the series alone, no "#"');
    assert.equal(toRow(record({ sequence: '3' })).title, '', 'a position without a series names nothing');
    const bare = toRow(record({}));
    assert.equal(bare.title, '');
    assert.equal(bare.series, '');
    assert.equal(bare.sequence, '');
  });

  it('lists every author, separated for reading', () => {
    assert.equal(toRow(record({ authors: ['Daniel Abraham', 'Ty Franck'] })).authors, 'Daniel Abraham, Ty Franck');
  });

  it('the note is the latest history entry that has one', () => {
    const history: WantedRecord['history'] = [
      { at: '1', state: 'wanted', note: 'first' },
      { at: '2', state: 'queued', note: 'added to qBittorrent (A)' },
      { at: '3', state: 'downloading' },
    ];
    assert.equal(toRow(record({}, { history })).note, 'added to qBittorrent (A)');
    assert.equal(toRow(record({}, { history: [{ at: '1', state: 'wanted' }] })).note, '');
  });

  it('progress: 100 once imported (also a suspect import), a percentage while downloading, empty before queueing', () => {
    assert.equal(toRow(record({}, { state: 'imported' })).progress, 100);
    assert.equal(toRow(record({}, { state: 'imported' }), 0.2).progress, 100, 'an imported book is complete whatever qBittorrent last said');
    assert.equal(toRow(record({}, { state: 'imported_suspect' }), 0.2).progress, 100, 'a suspect import is in the library too');
    assert.equal(toRow(record({}, { state: 'downloading' }), 0.426).progress, 43);
    assert.equal(toRow(record({}, { state: 'queued' })).progress, '');
  });

  it('search fields are empty before any search, the search verdict replaces the gap reason after one', () => {
    const before = toRow(record({}));
    assert.equal(before.reason, 'hole at 3');
    assert.deepEqual([before.searches, before.lastSearch, before.retryAfter, before.hash, before.torrent], [0, '', '', '', '']);
    const after = toRow(record({}, { search: { lastAt: '2026-01-03', attempts: 2, retryAfter: '2026-01-10', reason: 'no torrent' }, hash: 'abc', torrent: { id: 7, title: 'Caliban\'s War' } }));
    assert.deepEqual([after.reason, after.searches, after.lastSearch, after.retryAfter, after.hash, after.torrent], ['no torrent', 2, '2026-01-03', '2026-01-10', 'abc', 'Caliban\'s War (7)']);
  });

  it('an ignored book shows as ignored, and the counts are per shown state', () => {
    const rows = [toRow(record({}, { ignored: true })), toRow(record({})), toRow(record({})), toRow(record({}, { state: 'queued' }))];
    assert.equal(rows[0].state, 'ignored');
    assert.deepEqual(countStates(rows), { ignored: 1, wanted: 2, queued: 1 });
  });
});
