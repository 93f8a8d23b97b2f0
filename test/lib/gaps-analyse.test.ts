import assert from 'node:assert/strict';
import { analyse } from '../../lib/gaps/analyse';
import { groupSeries } from '../../lib/gaps/series';
import type { ProviderBook, SeriesOutcome } from '../../lib/metadata/provider';
import type { Book } from '../../lib/types';

let n = 0;
export function book(title: string, authors: string[], series: [string, string | null][], extra: Partial<Book> = {}): Book {
  n++;
  return { id: `li_${n}`, libraryId: 'lib', title, authors, narrators: [], series: series.map(([name, sequence]) => ({ name, sequence })), path: `/b/${n}`, addedAt: 0, ...extra };
}
const corey = ['James S. A. Corey'];
const expanse = (seqs: string[], name = 'The Expanse', authors = corey) => seqs.map((s) => book(`Expanse ${s}`, authors, [[name, s]]));
const found = (id: string, books: ProviderBook[], provider: 'audible' | 'hardcover' | 'goodreads' = 'audible', total?: number): Map<string, SeriesOutcome[]> =>
  new Map([[id, [{ provider, status: 'found', series: { provider, seriesId: 'S', name: 'The Expanse', books, ...(total ? { total } : {}) } }]]]);
const pb = (sequence: string, title: string | undefined, extra: Partial<ProviderBook> = {}): ProviderBook => ({ sequence, ...(title ? { title } : {}), authors: corey, ...extra });
const ID = 'expanse|james sa corey';

describe('lib/gaps/analyse series identity', () => {
  it('finds holes inside the owned range only (1, 2, 4, 7 → 3, 5, 6)', () => {
    const r = analyse(expanse(['1', '2', '4', '7']));
    assert.deepEqual(r.gaps.map((g) => g.sequence), ['3', '5', '6']);
    assert.equal(r.gaps[0].key, `series:${ID}#3`);
    assert.equal(r.gaps[0].source, 'library');
    assert.deepEqual(r.series[0].owned, ['1', '2', '4', '7']);
    assert.deepEqual(r.series[0].missing, ['3', '5', '6']);
    assert.equal(r.series[0].total, null);
    assert.equal(r.series[0].completion, 57);
  });

  it('treats name variants as one series and keeps the most used spelling for display', () => {
    const books = [...expanse(['1'], 'The Expanse'), ...expanse(['3'], 'Expanse'), ...expanse(['4'], 'THE EXPANSE SERIES'), ...expanse(['5'], 'The Expanse')];
    const r = analyse(books);
    assert.equal(r.series.length, 1);
    assert.equal(r.series[0].name, 'The Expanse');
    assert.deepEqual(r.gaps.map((g) => g.sequence), ['2']);
  });

  it('keeps same-named series by different authors apart', () => {
    const books = [...expanse(['1', '3'], 'Legacy', ['Ann Author']), ...expanse(['1', '4'], 'Legacy', ['Bob Writer'])];
    const groups = groupSeries(books);
    assert.equal(groups.length, 2);
    const r = analyse(books, {}, undefined, undefined, groups);
    // Position 3 is owned under the same name (Ann's book), so Bob's hole list stops at 2.
    assert.deepEqual(r.gaps.map((g) => g.key).sort(), ['series:legacy|ann author#2', 'series:legacy|bob writer#2']);
  });

  it('counts a book in each of its series', () => {
    const guards = book('Guards! Guards!', ['Terry Pratchett'], [['Discworld', '8'], ['Discworld - City Watch', '1']]);
    const r = analyse([guards, book('Men at Arms', ['Terry Pratchett'], [['Discworld - City Watch', '3'], ['Discworld', '15']])]);
    assert.equal(r.series.length, 2);
    const watch = r.series.find((s) => s.name === 'Discworld - City Watch');
    assert.deepEqual(watch?.missing, ['2']);
    assert.deepEqual(r.series.find((s) => s.name === 'Discworld')?.missing.length, 6);
  });

  it('an owned omnibus covers each book in its range', () => {
    const r = analyse([...expanse(['1-3']), ...expanse(['5'])]);
    assert.deepEqual(r.gaps.map((g) => g.sequence), ['4']);
    assert.deepEqual(r.series[0].owned, ['1', '2', '3', '5']);
  });

  it('an owned "1,2" is books 1 and 2, not 1.2: no false gap at 2, nor at 1 or 2 when a provider lists them', () => {
    const out = found(ID, [pb('1', 'Leviathan Wakes'), pb('2', "Caliban's War"), pb('3', "Abaddon's Gate")]);
    const r = analyse([...expanse(['1,2']), ...expanse(['3'])], {}, out);
    assert.deepEqual(r.gaps.map((g) => g.sequence), []);
    assert.deepEqual(r.series[0].owned, ['1', '2', '3']);
    assert.deepEqual(analyse(expanse(['9', '10,11', '12'])).gaps.map((g) => g.sequence), [], '"10,11" is not 10.11');
  });

  it('an ambiguous "1,5" (book 1.5, or books 1 and 5?) is reported as unreadable, never guessed', () => {
    const r = analyse(expanse(['1', '1,5', '3']));
    assert.deepEqual(r.series[0].invalid, ['1,5']);
    assert.deepEqual(r.series[0].owned, ['1', '3']);
    assert.match(r.warnings.join('\n'), /Unreadable sequence "1,5"/);
  });

  it('an untagged omnibus titled "Books 1,2" covers both books', () => {
    const out = found(ID, [pb('1', 'Leviathan Wakes'), pb('2', "Caliban's War")]);
    const r = analyse([book('The Expanse: Books 1,2', corey, []), ...expanse(['3'])], {}, out);
    assert.deepEqual(r.gaps.map((g) => g.sequence), []);
  });

  it('reports unreadable sequences instead of treating them as 0, and counts unnumbered books', () => {
    const r = analyse([...expanse(['1', '3']), book('Odd', corey, [['The Expanse', 'abc']]), book('Companion', corey, [['The Expanse', null]])]);
    assert.deepEqual(r.gaps.map((g) => g.sequence), ['2']);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /"abc" on "Odd"/);
    assert.deepEqual(r.series[0].invalid, ['abc']);
    assert.equal(r.series[0].unnumbered, 1);
  });

  it('a run of over 100 missing books (a year read as a position) is a warning, not 2,000 holes', () => {
    const r = analyse(expanse(['1', '3', '2015']));
    assert.deepEqual(r.gaps.map((g) => g.sequence), ['2']);
    assert.match(r.warnings.join('\n'), /#4–#2014 not reported as holes: 2011 missing books in a row/);
    assert.equal(analyse(expanse(['1', '101'])).gaps.length, 99, 'a run of 99 is still reported');
  });

  it('a lettered entry ("2a") is no proof that book 2 is missing: no library hole, a provider must name it', () => {
    // "2a"/"2b" are often the halves of a split book 2: a title-less hole would download it again.
    assert.deepEqual(analyse(expanse(['1', '2a', '2b', '3'])).gaps.map((g) => g.sequence), []);
    assert.deepEqual(analyse(expanse(['1', '2a', '4'])).gaps.map((g) => g.sequence), ['3']);
    const books = [book("Caliban's War: Part One", corey, [['The Expanse', '2a']]), ...expanse(['1', '3'])];
    const listed = (title: string) => new Map<string, SeriesOutcome[]>([[ID, [{ provider: 'audible', status: 'found', series: { provider: 'audible', seriesId: 'S', name: 'The Expanse', books: [pb('2', title)] } }]]]);
    assert.deepEqual(analyse(books, {}, listed('Other Book')).gaps.map((g) => [g.sequence, g.title]), [['2', 'Other Book']]);
    assert.deepEqual(analyse(books, {}, listed("Caliban's War")).gaps, [], 'the owned half names book 2');
  });
});

describe('lib/gaps/analyse with provider answers', () => {
  const now = new Date('2025-01-01T00:00:00Z');
  it('adds books after the last owned one, with title, ASIN and the series total', () => {
    const out = found(ID, [pb('1', 'Leviathan Wakes'), pb('2', "Caliban's War", { asin: 'B00C7LXCO6' }), pb('3', "Abaddon's Gate", { asin: 'B3' })], 'audible', 3);
    const r = analyse(expanse(['1']), { now }, out);
    assert.deepEqual(r.gaps.map((g) => [g.sequence, g.title, g.asin, g.source]), [['2', "Caliban's War", 'B00C7LXCO6', 'audible'], ['3', "Abaddon's Gate", 'B3', 'audible']]);
    assert.equal(r.series[0].total, 3);
    assert.equal(r.series[0].completion, 33);
  });

  it('fractional entries and book 0 only when the settings say so', () => {
    const out = found(ID, [pb('0', 'Prequel'), pb('0.5', 'Early'), pb('1', 'One'), pb('1.5', 'Novella'), pb('2', 'Two'), pb('2a', 'Side')]);
    const books = expanse(['1', '2']);
    assert.deepEqual(analyse(books, { now }, out).gaps.map((g) => g.sequence), []);
    assert.deepEqual(analyse(books, { now, includeFractional: true }, out).gaps.map((g) => g.sequence), ['0.5', '1.5', '2a']);
    assert.deepEqual(analyse(books, { now, includeZero: true }, out).gaps.map((g) => g.sequence), ['0']);
  });

  it('drops placeholders without a title and compilations; marks future books unreleased', () => {
    const out = found(ID, [pb('2', undefined), pb('1-3', 'Box set', { compilation: true }), pb('4', 'Later', { releaseDate: '2099-05-01' })]);
    const r = analyse(expanse(['1', '3']), { now }, out);
    assert.deepEqual(r.gaps.map((g) => [g.sequence, g.status, g.source]), [['2', 'wanted', 'library'], ['4', 'unreleased', 'audible']]);
    assert.equal(r.gaps[1].releaseDate, '2099-05-01');
  });

  it('a book owned under another series name or title is not a gap (ASIN, ISBN, title + author)', () => {
    const elsewhere = [
      book("Caliban's War: Expanse Book Two", corey, [['Expanse Universe', '5']]),
      book('Gate', corey, [], { asin: 'B0GATE' }),
      book('Cibola', corey, [], { isbn: '978-0-316-21762-0' }),
    ];
    const out = found(ID, [pb('2', "Caliban's War"), pb('3', "Abaddon's Gate", { asin: 'b0gate' }), pb('4', 'Cibola Burn', { isbn: '9780316217620' }), pb('5', 'Nemesis Games')]);
    const r = analyse([...expanse(['1', '6']), ...elsewhere], { now }, out);
    assert.deepEqual(r.gaps.filter((g) => g.series === 'The Expanse').map((g) => g.sequence), ['5']);
  });

  it('records disagreement, and "two must agree" keeps only doubly confirmed provider gaps', () => {
    const out = new Map<string, SeriesOutcome[]>([[ID, [
      { provider: 'audible', status: 'found', series: { provider: 'audible', seriesId: 'A', name: 'The Expanse', books: [pb('3', 'Three'), pb('4', 'Four')] } },
      { provider: 'hardcover', status: 'found', series: { provider: 'hardcover', seriesId: 'H', name: 'The Expanse', books: [pb('3', 'Three')] } },
    ]]]);
    const one = analyse(expanse(['1', '2']), { now }, out);
    assert.deepEqual(one.gaps.map((g) => g.sequence), ['3', '4']);
    assert.ok(one.gaps[1].reasons?.includes('hardcover: lists no book at #4'));
    assert.deepEqual(one.gaps[0].reasons?.slice(0, 2), ['audible: #3 "Three"', 'hardcover: #3 "Three"']);
    const two = analyse(expanse(['1', '2']), { now, agreement: 'two' }, out);
    assert.deepEqual(two.gaps.map((g) => g.sequence), ['3']);
  });

  it('marks a series whose provider failed, and still reports the library holes', () => {
    const out = new Map<string, SeriesOutcome[]>([[ID, [{ provider: 'audible', status: 'failed', error: 'Audible: HTTP 503' }]]]);
    const r = analyse(expanse(['1', '3']), { now }, out);
    assert.deepEqual(r.gaps.map((g) => g.sequence), ['2']);
    assert.deepEqual(r.series[0].unavailable, ['audible']);
  });

  it('author back-catalogue: skips owned and series books, caps per author, keys by ASIN', () => {
    const authors = [{ provider: 'audible' as const, author: 'James S. A. Corey', books: [
      pb('', 'The Churn', { asin: 'B1' }), pb('', 'Expanse 1', { asin: 'B2' }), pb('', 'Tiamat', { asin: 'B3', series: [{ name: 'The Expanse', sequence: '9' }] }),
      pb('', 'Strange Dogs', { asin: 'B4' }), pb('', 'Auberon', { asin: 'B5' }),
    ] }];
    const r = analyse(expanse(['1']), { now, authorCap: 2 }, undefined, authors);
    assert.deepEqual(r.gaps.map((g) => [g.key, g.kind]), [['asin:B1', 'author'], ['asin:B4', 'author']]);
  });
});
