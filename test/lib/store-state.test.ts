// The `state` collection: the last series summary and the recent import events share one file
// and survive a restart; neither write touches the other.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collection, forgetStores } from '../../lib/store/store';
import { loadSeriesSummary, saveSeriesSummary } from '../../lib/store/series-summary';
import { IMPORT_EVENTS_KEPT, isImportEvent, loadImportEvents, recordImportEvent, type ImportEventRow } from '../../lib/store/import-events';
import type { SeriesSummary } from '../../lib/types';

const summary = (name: string): SeriesSummary => ({ name, authors: ['A'], owned: ['1'], missing: ['2'], total: 3, completion: 33 });
const event = (book: string): ImportEventRow => ({ time: '2026-01-01T00:00:00.000Z', event: 'imported', book, item: 'li_1', reason: 'path' });

describe('lib/store state collection', () => {
  let dir: string;
  beforeEach(() => { forgetStores(); dir = mkdtempSync(join(tmpdir(), 'abg-state-')); });
  after(() => forgetStores());

  it('nothing saved yet: no summary, no events', async () => {
    assert.equal(await loadSeriesSummary(dir), null);
    assert.deepEqual(await loadImportEvents(dir), []);
  });

  it('the series summary and the import events live side by side and survive a restart', async () => {
    await recordImportEvent(dir, event('Leviathan Wakes'));
    await saveSeriesSummary(dir, [summary('The Expanse')], new Date('2026-02-01T00:00:00.000Z'));
    await recordImportEvent(dir, event('Caliban\'s War'));
    await saveSeriesSummary(dir, [summary('Discworld')], new Date('2026-02-02T00:00:00.000Z'));
    forgetStores();
    assert.deepEqual(await loadSeriesSummary(dir), { series: [summary('Discworld')], at: '2026-02-02T00:00:00.000Z' });
    assert.deepEqual((await loadImportEvents(dir)).map((r) => r.book), ['Caliban\'s War', 'Leviathan Wakes'], 'newest first, the summary did not overwrite them');
    assert.equal(await (await collection(dir, 'state')).count({}), 2, 'one document each');
  });

  it('an import event recorded when only the summary exists is a document of its own', async () => {
    await saveSeriesSummary(dir, [summary('Saga')], new Date('2026-02-01T00:00:00.000Z'));
    await recordImportEvent(dir, event('Leviathan Wakes'));
    assert.deepEqual((await loadSeriesSummary(dir))?.series, [summary('Saga')]);
    assert.deepEqual((await loadImportEvents(dir)).map((r) => r.book), ['Leviathan Wakes']);
  });

  it('a summary saved without a time (an older version) loads with an empty time', async () => {
    await (await collection(dir, 'state')).insert({ _id: 'series-summary', series: [summary('Legacy')] });
    assert.deepEqual(await loadSeriesSummary(dir), { series: [summary('Legacy')], at: '' });
  });

  it(`keeps the latest ${IMPORT_EVENTS_KEPT} import events`, async () => {
    let rows: ImportEventRow[] = [];
    for (let i = 0; i < IMPORT_EVENTS_KEPT + 2; i++) rows = await recordImportEvent(dir, event(`Book ${i}`));
    assert.equal(rows.length, IMPORT_EVENTS_KEPT);
    assert.equal(rows[0].book, `Book ${IMPORT_EVENTS_KEPT + 1}`);
    assert.equal(rows.at(-1)?.book, 'Book 2');
  });

  it('tells an abs-import-watch event from other payloads', () => {
    assert.equal(isImportEvent({ event: 'imported', download: { key: 'series:x#1' } }), true);
    for (const p of [null, undefined, 'imported', {}, { event: 'imported' }, { event: 1, download: { key: 'k' } }, { event: 'imported', download: {} }, { event: 'imported', download: { key: 3 } }]) {
      assert.equal(isImportEvent(p), false, JSON.stringify(p));
    }
  });
});
