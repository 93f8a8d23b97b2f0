// Every WantedStore write names its record: a write that reached another record would change
// another book's state (nedb updates the first document a query matches, so a record that
// sorts first in the file stands by to catch a write without its key).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collection, forgetStores } from '../../lib/store/store';
import { WantedStore, type WantedRecord } from '../../lib/store/wanted';
import type { Gap } from '../../lib/types';

const gap = (seq: string): Gap => ({ key: `series:saga|ann#${seq}`, kind: 'series', status: 'wanted', authors: ['Ann'], series: 'Saga', sequence: seq, source: 'library', reason: 'hole' });
const FIRST: WantedRecord = {
  key: 'series:first|ann#1', gap: { ...gap('1'), key: 'series:first|ann#1' }, state: 'not_found', ignored: false, firstSeenAt: '2020-01-01T00:00:00.000Z',
  updatedAt: '2020-01-01T00:00:00.000Z', history: [], scopes: ['library:c'], search: { lastAt: 'x', attempts: 1, retryAfter: '2099-01-01T00:00:00.000Z' },
  healPending: true, refused: [{ torrentId: 1, reason: 'stalled', at: '2020-01-01T00:00:00.000Z' }],
};

describe('lib/store WantedStore writes touch only their record', () => {
  let store: WantedStore;
  let dir: string;
  beforeEach(async () => {
    forgetStores();
    dir = mkdtempSync(join(tmpdir(), 'abg-targets-'));
    // "0" sorts before every generated _id: the first document any query without a key would hit.
    await (await collection(dir, 'wanted')).insert({ _id: '0', ...FIRST });
    store = await WantedStore.open(dir);
  });
  after(() => forgetStores());
  const first = async () => store.get(FIRST.key);

  it('narrowing the scopes of a record another library still reports', async () => {
    await store.syncGaps([gap('3')], undefined, 'library:a');
    await store.syncGaps([gap('3')], undefined, 'library:b');
    await store.syncGaps([], undefined, 'library:b');
    assert.deepEqual((await store.get(gap('3').key))?.scopes, ['library:a']);
    assert.deepEqual([(await first())?.scopes, (await first())?.state], [['library:c'], 'not_found'], 'another library\'s record: untouched');
  });

  it('Retry clears the back-off, the heal mark and (when asked) the refusals of its book only', async () => {
    await store.syncGaps([gap('3')], undefined, 'library:a');
    await store.recordSearch(gap('3').key, { lastAt: 'x', attempts: 1, retryAfter: '2099-01-01T00:00:00.000Z' }, 'not_found');
    await store.refuse(gap('3').key, { torrentId: 9, reason: 'stalled', at: '2021-01-01T00:00:00.000Z' });
    assert.equal(await store.retry(gap('3').key, new Date(), { clearRefusals: true }), true);
    const rec = await store.get(gap('3').key);
    assert.deepEqual([rec?.search?.retryAfter, rec?.healPending, rec?.refused], [undefined, undefined, undefined]);
    const untouched = await first();
    assert.deepEqual([untouched?.search?.retryAfter, untouched?.healPending, untouched?.refused?.length], [FIRST.search?.retryAfter, true, 1]);
  });

  it('a refusal is recorded once per torrent; keeping candidates and clearing the heal mark name their record', async () => {
    await store.syncGaps([gap('3')], undefined, 'library:a');
    const refusal = { torrentId: 9, reason: 'stalled', at: '2021-01-01T00:00:00.000Z' };
    await store.refuse(gap('3').key, refusal);
    await store.refuse(gap('3').key, { ...refusal, reason: 'again' });
    const other = { torrentId: 10, reason: 'gone', at: '2021-01-02T00:00:00.000Z' };
    await store.refuse(gap('3').key, other);
    await store.keepCandidates(gap('3').key, []);
    let rec = await store.get(gap('3').key);
    assert.deepEqual(rec?.refused, [refusal, other], 'each torrent once');
    assert.equal(rec?.healPending, true);
    assert.deepEqual(rec?.candidates, []);
    await store.clearHealPending(gap('3').key);
    rec = await store.get(gap('3').key);
    assert.equal(rec?.healPending, undefined);
    assert.deepEqual([rec?.key, rec?.state, rec?.refused?.length], [gap('3').key, 'wanted', 2], 'the rest of the record stays');
    assert.equal((await first())?.healPending, true);
    assert.equal((await first())?.candidates, undefined);
    await store.refuse('series:nobody#1', refusal);
    assert.equal(await store.get('series:nobody#1'), null, 'an unknown key is no new record');
  });

  it('ignoring names its record', async () => {
    await store.syncGaps([gap('3')], undefined, 'library:a');
    assert.equal(await store.setIgnored(gap('3').key, true), true);
    assert.equal((await store.get(gap('3').key))?.ignored, true);
    assert.equal((await first())?.ignored, false);
  });
});
