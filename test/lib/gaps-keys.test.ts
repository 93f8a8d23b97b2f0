// Which stored record a gap of this run stands for (adoptKnownKeys), which series of this run
// a stored record belongs to (seriesOfRecord), and which owned groups a provider calls one
// series (mergeSameSeries). A wrong answer here downloads a book twice or never.
import assert from 'node:assert/strict';
import { adoptKnownKeys, mergeSameSeries, parseSeriesKey, seriesOfRecord } from '../../lib/gaps/identity';
import { groupSeries } from '../../lib/gaps/series';
import type { SeriesReport } from '../../lib/gaps/analyse';
import type { SeriesOutcome } from '../../lib/metadata/provider';
import type { WantedRecord, WantedState } from '../../lib/store/wanted';
import type { Book, Gap } from '../../lib/types';

const ANN = ['Ann Author'];
const K = (pos: string, author = 'ann author') => `series:saga|${author}#${pos}`;
const gap = (key: string, extra: Partial<Gap> = {}): Gap =>
  ({ key, kind: 'series', status: 'wanted', authors: ANN, series: 'Saga', sequence: key.split('#')[1]?.replace(/~.*/, ''), source: 'library', reason: 'r', ...extra });
let t = 0;
const rec = (key: string, g: Partial<Gap> = {}, state: WantedState = 'wanted', extra: Partial<WantedRecord> = {}): WantedRecord => {
  t++;
  return { key, gap: gap(key, g), state, ignored: false, firstSeenAt: `2026-01-${String(t).padStart(2, '0')}T00:00:00.000Z`, updatedAt: '', history: [], ...extra };
};
const report = (key: string, authors: string[] = ANN, extra: Partial<SeriesReport> = {}): SeriesReport =>
  ({ key, name: 'Saga', authors, owned: [], missing: [], total: null, completion: null, sources: ['library'], unavailable: [], invalid: [], unnumbered: 0, ...extra });
const adopt = (gaps: Gap[], records: WantedRecord[], series: SeriesReport[] = [report('saga|ann author')]) => {
  const changed = adoptKnownKeys(gaps, records, series);
  return { changed, keys: gaps.map((g) => g.key) };
};

describe('lib/gaps keys: a gap adopts the record of its book', () => {
  it('by ASIN: also a record keyed "asin:" whose stored gap lost the ASIN', () => {
    assert.deepEqual(adopt([gap(K('3'), { asin: 'b0one' })], [rec('asin:B0ONE', { asin: undefined })]), { changed: 1, keys: ['asin:B0ONE'] });
  });

  it('of several records of one ASIN: the own key, then one in flight or ignored, then an active one, then a resolved one; oldest first', () => {
    const mk = () => [rec('asin:B1', { asin: 'B1' }, 'resolved'), rec(K('5'), { asin: 'B1' }, 'wanted'), rec(K('6'), { asin: 'B1' }, 'queued'), rec(K('7'), { asin: 'B1' }, 'wanted', { ignored: true })];
    const g = () => [gap(K('3'), { asin: 'B1' })];
    assert.deepEqual(adopt(g(), mk()).keys, [K('6')], 'queued, the oldest of the in-flight/ignored ones');
    assert.deepEqual(adopt(g(), mk().filter((r) => r.state !== 'queued')).keys, [K('7')], 'ignored beats merely wanted');
    assert.deepEqual(adopt(g(), mk().filter((r) => r.state !== 'queued' && !r.ignored)).keys, [K('5')], 'wanted beats an older resolved one');
    assert.deepEqual(adopt(g(), [rec('asin:B1', { asin: 'B1' }, 'resolved')]).keys, ['asin:B1'], 'a resolved record is still the book\'s');
    assert.deepEqual(adopt(g(), [...mk(), rec(K('3'), { asin: 'B1' }, 'resolved')]), { changed: 0, keys: [K('3')] }, 'its own key first of all');
  });

  it('by place when no ASIN decides: a record there of a fitting author and no other ASIN', () => {
    assert.deepEqual(adopt([gap(K('3'))], [rec(K('3', 'bob writer'), { authors: ANN })]).keys, [K('3', 'bob writer')], 'older key, same author');
    assert.deepEqual(adopt([gap(K('3'))], [rec(K('3', 'bob writer'), { authors: ANN, asin: 'B9' })]).keys, [K('3', 'bob writer')], 'a gap without an ASIN: the place decides');
    assert.deepEqual(adopt([gap(K('3'), { asin: 'B1' })], [rec(K('3', 'bob writer'), { authors: ANN, asin: 'B9' })]).keys, [K('3')], 'another ASIN is another book');
    assert.deepEqual(adopt([gap(K('3'))], [rec(K('3', 'bob writer'), { authors: ['Bob Writer'] })], []).keys, [K('3')], 'another author and no series report: not the same book');
    // The series of this run lists Bob among its authors: his older record is the book.
    assert.deepEqual(adopt([gap(K('3'))], [rec(K('3', 'bob writer'), { authors: ['Bob Writer'] })], [report('saga|ann author', ['Ann Author', 'Bob Writer'])]).keys, [K('3', 'bob writer')]);
    assert.deepEqual(adopt([gap(K('3'))], [rec(K('3', 'bob writer'), { authors: ['Bob Writer'] })], [report('saga|other', ['Bob Writer'])]).keys, [K('3')], 'only the gap\'s own series counts');
    assert.deepEqual(adopt([gap(K('3'))], [rec('author:x|saga three', { authors: ['Bob Writer'], kind: 'author', sequence: '3' })], [report('saga|ann author', ['Bob Writer'])]).keys, ['author:x|saga three'], 'a record without a series key: by the report\'s authors');
    assert.deepEqual(adopt([gap(K('3'))], [rec('author:x|saga three', { authors: ['Cy Other'], kind: 'author', sequence: '3' })], [report('saga|ann author', ['Bob Writer'])]).keys, [K('3')]);
  });

  it('a gap that found its record by ASIN keeps it, even with another record at its place', () => {
    assert.deepEqual(adopt([gap(K('3'), { asin: 'B1' })], [rec(K('3', 'old')), rec('asin:B1', { asin: 'B1', sequence: '9' })]).keys, ['asin:B1']);
  });

  it('a gap without a place is matched by ASIN or by its own key only', () => {
    const authorGap = gap('author:ann author|solo', { kind: 'author', series: undefined, sequence: undefined });
    assert.deepEqual(adopt([authorGap], [rec(K('3'), { series: undefined, sequence: undefined })]).keys, ['author:ann author|solo']);
  });

  it('a gap whose own key holds another book gets a key of its own: its ASIN, else the key with ~2, ~3…', () => {
    assert.deepEqual(adopt([gap(K('3'), { asin: 'B2' })], [rec(K('3'), { asin: 'B1' }, 'queued')]), { changed: 1, keys: ['asin:B2'] });
    assert.deepEqual(adopt([gap(K('3'))], [rec(K('3'), { sequence: '4' }, 'queued'), rec(K('4'), { sequence: '9' })]).keys, [`${K('3')}~2`], 'its record moved on to #4');
    assert.deepEqual(adopt([gap(K('3'))], [rec(K('3'), { sequence: '4' }, 'queued'), rec(`${K('3')}~2`, { sequence: '7' })]).keys, [`${K('3')}~3`]);
    // The record under #3 is the book now at #5 (same ASIN): the new book at #3 needs a new key.
    const two = adopt([gap(K('5'), { asin: 'B1' }), gap(K('3'))], [rec(K('3'), { asin: 'B1' })]);
    assert.deepEqual(two, { changed: 2, keys: [K('3'), `${K('3')}~2`] });
  });

  it('a record under an "asin:" or "author:" key names the book itself, wherever it sits now', () => {
    const g = gap('asin:B1', { asin: 'B1', sequence: '5' });
    assert.deepEqual(adopt([g], [rec('asin:B1', { asin: 'B1', sequence: '2' }, 'queued')]).keys, ['asin:B1']);
    const a = gap('author:ann author|solo', { kind: 'author', sequence: '5' });
    assert.deepEqual(adopt([a], [rec('author:ann author|solo', { kind: 'author', sequence: '2' })]), { changed: 0, keys: ['author:ann author|solo'] });
  });

  it('parses series keys, also a second key "~n"', () => {
    assert.deepEqual(parseSeriesKey('series:saga|ann author#3~2'), { nameKey: 'saga', authorKey: 'ann author', position: '3' });
    assert.equal(parseSeriesKey('asin:B1'), undefined);
  });
});

describe('lib/gaps keys: the series of a stored record', () => {
  const ann = report('saga|ann author');
  const bob = report('saga|bob writer', ['Bob Writer']);
  const other = report('legacy|ann author');

  it('under its own key', () => {
    assert.equal(seriesOfRecord(rec(K('3', 'bob writer'), { authors: ANN }), [other, ann, bob]), bob);
  });

  it('under an older key: same name and an author that fits (the key\'s author, the record\'s, or none to compare)', () => {
    assert.equal(seriesOfRecord(rec(K('3', 'bob writer'), { authors: ['Bob Writer'] }), [other, ann]), undefined, 'Ann\'s Saga is not Bob\'s');
    assert.equal(seriesOfRecord(rec(K('3', 'bob writer'), { authors: ['Cy'] }), [other, report('saga|x', ['Ann Author', 'Bob Writer'])])?.key, 'saga|x', 'the key names an author of it');
    assert.equal(seriesOfRecord(rec(K('3', 'old'), { authors: ANN }), [other, ann]), ann, 'the record\'s authors fit');
    assert.equal(seriesOfRecord(rec('series:saga|#3', { authors: ['Cy'] }), [other, ann]), ann, 'a key without author fits any');
    assert.equal(seriesOfRecord(rec(K('3', 'zed'), { authors: ['Cy'] }), [other, report('saga|', [])])?.key, 'saga|', 'a series without authors fits any');
    assert.equal(seriesOfRecord(rec('series:sagas|ann author#3', { authors: ANN }), [ann]), undefined, 'another name');
  });

  it('under its ASIN: by the stored series name and authors', () => {
    assert.equal(seriesOfRecord(rec('asin:B1', { authors: ANN }), [other, bob, ann]), ann);
    assert.equal(seriesOfRecord(rec('asin:B1', { authors: ['Cy'] }), [other, report('saga|', [])])?.key, 'saga|');
    assert.equal(seriesOfRecord(rec('asin:B1', { authors: ['Cy'] }), [ann]), undefined);
    assert.equal(seriesOfRecord(rec('asin:B1', { series: undefined }), [ann]), undefined, 'no series, no series report');
  });
});

describe('lib/gaps keys: same-named groups a provider calls one series', () => {
  let n = 0;
  const book = (author: string, seq: string): Book => ({ id: `m${++n}`, libraryId: 'l', title: `${author} ${seq}`, authors: [author], narrators: [], series: [{ name: 'Legacy', sequence: seq }], path: `/m/${n}`, addedAt: 0 });
  // Both own #1: two series, until a provider says otherwise.
  const groups = () => groupSeries([book('Ann Author', '1'), book('Bob Writer', '1'), book('Bob Writer', '3')]);
  const found = (seriesId: string): SeriesOutcome => ({ provider: 'audible', status: 'found', series: { provider: 'audible', seriesId, name: 'Legacy', books: [] } });

  it('one provider id for both: one group with both authors and one answer per provider, found before failed before not found', () => {
    const [a, b] = groups();
    const outcomes = new Map<string, SeriesOutcome[]>([
      [b.id, [{ provider: 'hardcover', status: 'failed', error: 'Hardcover: HTTP 500' }, found('L1'), { provider: 'goodreads', status: 'failed', error: 'Goodreads: HTTP 500' }]],
      [a.id, [{ provider: 'hardcover', status: 'not_found', reason: 'none' }, found('L1'), { provider: 'goodreads', status: 'found', series: { provider: 'goodreads', seriesId: 'G', name: 'Legacy', books: [] } }]],
    ]);
    const merged = mergeSameSeries([a, b], outcomes, ['audible', 'hardcover', 'goodreads']);
    assert.equal(merged.groups.length, 1);
    assert.deepEqual(merged.groups[0].authors, ['Bob Writer', 'Ann Author']);
    assert.equal(merged.groups[0].numbered.length, 3);
    const picked = merged.outcomes.get(merged.groups[0].id) ?? [];
    assert.deepEqual(picked.map((o) => `${o.provider}:${o.status}`), ['audible:found', 'hardcover:failed', 'goodreads:found']);
    const quiet = mergeSameSeries(groups(), new Map(groups().map((g) => [g.id, [found('L1')]])), ['audible', 'hardcover']);
    assert.deepEqual([...quiet.outcomes.values()].map((list) => list.length), [1], 'a provider without an answer adds nothing');
  });

  it('different provider ids, or no answer: the groups stay apart, untouched', () => {
    const gs = groups();
    const outcomes = new Map<string, SeriesOutcome[]>([[gs[0].id, [found('L1')]], [gs[1].id, [found('L2')]]]);
    const kept = mergeSameSeries(gs, outcomes, ['audible']);
    assert.equal(kept.groups, gs);
    assert.equal(kept.outcomes, outcomes);
    assert.equal(mergeSameSeries(gs, new Map(), ['audible']).groups, gs);
  });

  it('a third group of the same name keeps its own answers when the other two merge', () => {
    const gs = groupSeries([book('Ann Author', '1'), book('Bob Writer', '1'), book('Cy Other', '1')]);
    const outcomes = new Map<string, SeriesOutcome[]>([[gs[0].id, [found('L1')]], [gs[1].id, [found('L1')]], [gs[2].id, [found('L3')]]]);
    const merged = mergeSameSeries(gs, outcomes, ['audible']);
    assert.equal(merged.groups.length, 2);
    assert.equal(merged.groups[1], gs[2], 'a group alone is passed on as it was');
    assert.deepEqual(merged.outcomes.get(gs[2].id), [found('L3')]);
  });
});
