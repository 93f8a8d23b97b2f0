import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WantedStore } from '../../lib/store/wanted';
import type { Gap } from '../../lib/types';

const gap = (seq: string, extra: Partial<Gap> = {}): Gap => ({
  key: `series:expanse|james s a corey#${seq}`, kind: 'series', status: 'wanted', authors: ['James S. A. Corey'],
  series: 'The Expanse', sequence: seq, source: 'library', reason: `hole at ${seq}`, ...extra,
});

describe('lib/store WantedStore', () => {
  let store: WantedStore;
  beforeEach(async () => { store = await WantedStore.open(mkdtempSync(join(tmpdir(), 'abg-wanted-'))); });

  it('adds new gaps once and resolves the ones no longer reported', async () => {
    assert.deepEqual(await store.syncGaps([gap('3'), gap('5')]), { added: 2, resolved: 0 });
    assert.deepEqual(await store.syncGaps([gap('3'), gap('5')]), { added: 0, resolved: 0 });
    assert.deepEqual(await store.syncGaps([gap('5')]), { added: 0, resolved: 1 });
    const three = await store.get(gap('3').key);
    assert.equal(three?.state, 'resolved');
    assert.ok(three?.resolvedAt);
    assert.equal((await store.list()).length, 2, 'resolved records are kept');
  });

  it('resolves only within the scope that reported a record; one still reported elsewhere stays wanted', async () => {
    await store.syncGaps([gap('3'), gap('4')], undefined, 'library:a');
    await store.syncGaps([gap('4'), gap('9')], undefined, 'library:b');
    assert.deepEqual((await store.get(gap('4').key))?.scopes, ['library:a', 'library:b'], 'an unchanged gap still records its new scope');
    assert.deepEqual(await store.syncGaps([gap('9')], undefined, 'library:b'), { added: 0, resolved: 0 }, 'b no longer reports 4, a still does');
    assert.equal((await store.get(gap('3').key))?.state, 'wanted', 'b never resolves a\'s book');
    assert.deepEqual((await store.get(gap('4').key))?.scopes, ['library:a']);
    assert.deepEqual(await store.syncGaps([], undefined, 'library:a'), { added: 0, resolved: 2 });
    assert.equal((await store.get(gap('9').key))?.state, 'wanted');
    assert.deepEqual(await store.syncGaps([gap('4'), gap('9')], undefined, 'library:b'), { added: 0, resolved: 0 }, 'reopened, not added');
    assert.equal((await store.get(gap('4').key))?.state, 'wanted');
    assert.deepEqual((await store.get(gap('4').key))?.scopes, ['library:b']);
  });

  it('a record written before scopes existed is resolved by the next run that does not report it', async () => {
    await store.syncGaps([gap('3')]);
    const db = (store as unknown as { db: { update(q: object, u: object): Promise<number> } }).db;
    await db.update({ key: gap('3').key }, { $unset: { scopes: true } });
    assert.deepEqual(await store.syncGaps([], undefined, 'node:x'), { added: 0, resolved: 1 });
    await store.syncGaps([gap('3')], undefined, 'node:y');
    await db.update({ key: gap('3').key }, { $unset: { scopes: true } });
    await store.syncGaps([gap('3')], undefined, 'node:y');
    assert.deepEqual((await store.get(gap('3').key))?.scopes, ['node:y'], 'adopted by the scope that reports it');
  });

  it('the key is unique in the collection', async () => {
    await store.syncGaps([gap('3')]);
    const db = (store as unknown as { db: { insert(doc: object): Promise<unknown> } }).db;
    await assert.rejects(db.insert({ key: gap('3').key }));
  });

  it('resolves wanted, unreleased, not-found and found records alike, with a note; history keeps the last 30 entries', async () => {
    await store.syncGaps([gap('1'), gap('2', { status: 'unreleased', releaseDate: '2099-01-01' }), gap('3'), gap('4')]);
    await store.recordSearch(gap('3').key, { lastAt: 'x', attempts: 1 }, 'not_found');
    await store.recordSearch(gap('4').key, { lastAt: 'x', attempts: 1, torrentId: 7 }, 'found', 'torrent 7');
    assert.equal((await store.get(gap('4').key))?.search?.torrentId, 7);
    assert.deepEqual(await store.syncGaps([]), { added: 0, resolved: 4 });
    for (const n of ['1', '2', '3', '4']) {
      const rec = await store.get(gap(n).key);
      assert.equal(rec?.state, 'resolved');
      assert.equal(rec?.history.at(-1)?.note, 'no longer missing from the library');
    }
    for (let i = 0; i < 35; i++) await store.setState(gap('1').key, i % 2 ? 'wanted' : 'found', {}, `step ${i}`);
    const history = (await store.get(gap('1').key))?.history ?? [];
    assert.equal(history.length, 30);
    assert.equal(history.at(-1)?.note, 'step 34', 'the newest entries are kept');
  });

  it('a not-found or found book whose release moved into the future waits again; an unreleased one reported again is not rewritten', async () => {
    const later = { status: 'unreleased' as const, releaseDate: '2099-05-01' };
    await store.syncGaps([gap('3'), gap('4'), gap('5', later)], new Date('2026-01-01T00:00:00Z'));
    await store.recordSearch(gap('3').key, { lastAt: 'x', attempts: 1 }, 'not_found');
    await store.recordSearch(gap('4').key, { lastAt: 'x', attempts: 1 }, 'found');
    await store.syncGaps([gap('3', later), gap('4', later), gap('5', later)], new Date('2026-01-02T00:00:00Z'));
    assert.equal((await store.get(gap('3').key))?.state, 'unreleased');
    assert.equal((await store.get(gap('4').key))?.history.at(-1)?.note, 'reported again');
    const five = await store.get(gap('5').key);
    assert.deepEqual([five?.state, five?.history.length, five?.updatedAt], ['unreleased', 1, '2026-01-01T00:00:00.000Z']);
  });

  it('a changed gap is rewritten without a history entry; a field set to undefined is no change', async () => {
    await store.syncGaps([gap('3')], new Date('2026-01-01T00:00:00Z'));
    await store.syncGaps([gap('3', { asin: undefined })], new Date('2026-01-02T00:00:00Z'));
    assert.equal((await store.get(gap('3').key))?.updatedAt, '2026-01-01T00:00:00.000Z');
    await store.syncGaps([gap('3', { title: 'New' })], new Date('2026-01-03T00:00:00Z'));
    assert.equal((await store.get(gap('3').key))?.history.length, 1);
  });

  it('setIgnored and retry name one record: unknown keys are refused, others untouched', async () => {
    assert.equal(await store.setIgnored('series:nope#1', true), false);
    await store.syncGaps([gap('3'), gap('4', { status: 'unreleased', releaseDate: '2099-01-01' })]);
    await store.recordSearch(gap('3').key, { lastAt: 'x', attempts: 1, retryAfter: '2099-01-02T00:00:00Z' }, 'not_found');
    await store.recordSearch(gap('4').key, { lastAt: 'x', attempts: 1, retryAfter: '2099-01-02T00:00:00Z' }, 'not_found');
    assert.equal(await store.retry(gap('4').key), true);
    const four = await store.get(gap('4').key);
    assert.deepEqual([four?.state, four?.search?.retryAfter, four?.history.at(-1)?.note], ['unreleased', undefined, 'retry requested']);
    assert.equal((await store.get(gap('3').key))?.search?.retryAfter, '2099-01-02T00:00:00Z');
  });

  it('rewrites a known gap only when the analysis says something new about it', async () => {
    await store.syncGaps([gap('3')], new Date('2026-01-01T00:00:00Z'));
    await store.syncGaps([gap('3')], new Date('2026-01-02T00:00:00Z'));
    assert.equal((await store.get(gap('3').key))?.updatedAt, '2026-01-01T00:00:00.000Z', 'unchanged: no write');
    await store.syncGaps([gap('3', { title: 'Abaddon\'s Gate' })], new Date('2026-01-03T00:00:00Z'));
    const rec = await store.get(gap('3').key);
    assert.equal(rec?.updatedAt, '2026-01-03T00:00:00.000Z');
    assert.equal(rec?.gap.title, "Abaddon's Gate");
  });

  it('keeps the ignore mark and does not resolve a book that is being downloaded', async () => {
    await store.syncGaps([gap('3'), gap('4')]);
    assert.equal(await store.setIgnored(gap('3').key, true), true);
    await store.setState(gap('4').key, 'queued', { hash: 'abc' });
    await store.syncGaps([gap('3')]);
    assert.equal((await store.get(gap('3').key))?.ignored, true);
    assert.equal((await store.get(gap('4').key))?.state, 'queued');
  });

  it('a wanted book whose release moved into the future waits again; a queued one is left alone', async () => {
    await store.syncGaps([gap('7'), gap('8')]);
    await store.setState(gap('8').key, 'queued', { hash: 'h8' });
    await store.syncGaps([gap('7', { status: 'unreleased', releaseDate: '2099-05-01' }), gap('8', { status: 'unreleased', releaseDate: '2099-05-01' })]);
    assert.equal((await store.get(gap('7').key))?.state, 'unreleased');
    assert.equal((await store.get(gap('8').key))?.state, 'queued');
  });

  it('retry clears the back-off; unreleased becomes wanted when released', async () => {
    await store.syncGaps([gap('6', { status: 'unreleased', releaseDate: '2099-01-01' })]);
    assert.equal((await store.get(gap('6').key))?.state, 'unreleased');
    await store.syncGaps([gap('6')]);
    assert.equal((await store.get(gap('6').key))?.state, 'wanted');
    await store.recordSearch(gap('6').key, { lastAt: 'x', attempts: 1, retryAfter: '2099-01-02T00:00:00Z' }, 'not_found');
    assert.equal(await store.retry(gap('6').key), true);
    const rec = await store.get(gap('6').key);
    assert.equal(rec?.state, 'wanted');
    assert.equal(rec?.search?.retryAfter, undefined);
    assert.deepEqual(rec?.history.map((h) => h.state), ['unreleased', 'wanted', 'not_found', 'wanted']);
  });

  it('never lets a gap with another ASIN take over a record: it is stored under its own ASIN', async () => {
    await store.syncGaps([gap('3', { asin: 'B0XXXXXXX1', title: 'Xanadu' })]);
    await store.setState(gap('3').key, 'imported');
    const other = gap('3', { asin: 'b0yyyyyyy1', title: 'Yonder' });
    assert.deepEqual(await store.syncGaps([other]), { added: 1, resolved: 0 });
    assert.equal(other.key, 'asin:B0YYYYYYY1', 'the caller sees the key it was stored under');
    const x = await store.get(gap('3').key);
    assert.deepEqual([x?.state, x?.gap.title], ['imported', 'Xanadu']);
    assert.equal((await store.get('asin:B0YYYYYYY1'))?.state, 'wanted');
    // Same ASIN, or one side without an ASIN: the same record as before.
    assert.deepEqual(await store.syncGaps([gap('3', { asin: 'B0XXXXXXX1', title: 'Xanadu (new cover)' }), gap('3', { key: 'asin:B0YYYYYYY1', title: 'Yonder' })]), { added: 0, resolved: 0 });
    assert.equal((await store.get(gap('3').key))?.gap.title, 'Xanadu (new cover)');
  });

  it('Retry is recorded (retryRequestedAt) and brings a failed book back; a book in flight cannot be retried', async () => {
    await store.syncGaps([gap('9'), gap('10')]);
    await store.setState(gap('9').key, 'failed', {}, 'removed from qBittorrent');
    assert.equal(await store.retry(gap('9').key, new Date('2030-01-02T03:04:05Z')), true);
    const rec = await store.get(gap('9').key);
    assert.deepEqual([rec?.state, rec?.retryRequestedAt, rec?.history.at(-1)?.note], ['wanted', '2030-01-02T03:04:05.000Z', 'retry requested']);
    await store.setState(gap('10').key, 'downloading');
    assert.equal(await store.retry(gap('10').key), false);
    assert.equal((await store.get(gap('10').key))?.retryRequestedAt, undefined);
  });
});
