// What series-gaps reports for each gap and each series, field by field: the gap a user reads
// (title, reason, the evidence per provider, release state) and the series row (owned,
// missing, total, completion). Owned books arrive in library order, not sorted.
import assert from 'node:assert/strict';
import { analyse } from '../../lib/gaps/analyse';
import type { AuthorOutcome, ProviderBook, SeriesOutcome } from '../../lib/metadata/provider';
import type { Book, Gap } from '../../lib/types';

let n = 0;
const COREY = ['James S. A. Corey'];
const ID = 'expanse|james sa corey';
const book = (title: string, seq: string | null, extra: Partial<Book> = {}): Book =>
  ({ id: `li_${++n}`, libraryId: 'lib', title, authors: COREY, narrators: [], series: [{ name: 'The Expanse', sequence: seq }], path: `/b/${n}`, addedAt: 0, ...extra });
const owned = (...seqs: string[]) => seqs.map((s) => book(`Expanse ${s}`, s));
const pb = (sequence: string, title: string | undefined, extra: Partial<ProviderBook> = {}): ProviderBook => ({ sequence, ...(title !== undefined ? { title } : {}), authors: COREY, ...extra });
const answer = (provider: 'audible' | 'hardcover' | 'goodreads', books: ProviderBook[], total?: number): SeriesOutcome =>
  ({ provider, status: 'found', series: { provider, seriesId: `${provider}-1`, name: 'The Expanse', books, ...(total !== undefined ? { total } : {}) } });
const outcomes = (...list: SeriesOutcome[]) => new Map([[ID, list]]);
const now = new Date('2025-06-01T00:00:00Z');
/** The gap without the search evidence (lib/gaps/search-evidence has its own tests). */
const fields = ({ seriesBooks: _titles, ...gap }: Gap) => gap;

describe('lib/gaps report: the gaps a user reads', () => {
  it('a library hole says where it is and up to which book the library goes, whatever the order of the owned books', () => {
    const r = analyse(owned('5', '1', '3'), { now });
    assert.deepEqual(r.gaps.map((g) => g.sequence), ['2', '4']);
    assert.deepEqual(fields(r.gaps[0]), {
      key: `series:${ID}#2`, kind: 'series', status: 'wanted', authors: COREY, series: 'The Expanse', sequence: '2', source: 'library',
      reason: 'hole in the owned sequence (#2 missing, owned up to #5)',
      reasons: ['library: #2 missing between owned books'],
    });
  });

  it('a hole a provider names carries its title, codes, date, runtime and what each provider said', () => {
    const out = outcomes(
      answer('audible', [pb('2', "Caliban's War", { asin: 'B0CAL', releaseDate: '2012-06-26', durationSec: 72_000 })]),
      answer('hardcover', [pb('2', "Caliban's War", { isbn: '9780316129060' }), pb('5', 'Nemesis Games')]),
    );
    const r = analyse(owned('3', '1'), { now }, out);
    assert.deepEqual(fields(r.gaps[0]), {
      key: `series:${ID}#2`, kind: 'series', status: 'wanted', title: "Caliban's War", authors: COREY, series: 'The Expanse', sequence: '2',
      asin: 'B0CAL', isbn: '9780316129060', releaseDate: '2012-06-26', source: 'library',
      reason: 'hole in the owned sequence (#2 missing, owned up to #3)',
      reasons: ['library: #2 missing between owned books', 'audible: #2 "Caliban\'s War" (2012-06-26)', 'hardcover: #2 "Caliban\'s War"'],
      expectedDurationSec: 72_000, expectedDurationFrom: 'metadata',
    });
    const five = r.gaps.find((g) => g.sequence === '5');
    assert.equal(five?.source, 'hardcover');
    assert.equal(five?.reason, 'hardcover lists #5 "Nemesis Games"');
    assert.deepEqual(five?.reasons, ['hardcover: #5 "Nemesis Games"', 'audible: lists no book at #5']);
  });

  it('a provider book without authors takes the series authors; the first answer per provider and position counts', () => {
    const out = outcomes(answer('audible', [pb('4', 'Cibola Burn', { authors: [] }), pb('4', 'Cibola Burn (Dramatised)')]));
    const [gap] = analyse(owned('1', '2', '3'), { now }, out).gaps;
    assert.deepEqual(gap.authors, COREY);
    assert.equal(gap.title, 'Cibola Burn');
    assert.deepEqual(gap.reasons, ['audible: #4 "Cibola Burn"']);
  });

  it('a book tagged in the series counts at its tag, not at a range in its title', () => {
    const r = analyse([...owned('1'), book('The Expanse: Books 5-6', '2')], { now });
    assert.deepEqual(r.series[0].owned, ['1', '2']);
    assert.deepEqual(r.gaps, []);
    // The same title untagged is an omnibus of the series: it covers 5 and 6.
    assert.deepEqual(analyse([...owned('1', '2'), book('The Expanse: Books 5-6', null, { series: [] })], { now }).series[0].owned, ['1', '2', '5', '6']);
  });

  it('a title of blanks is a placeholder, no gap', () => {
    assert.deepEqual(analyse(owned('1', '2'), { now }, outcomes(answer('audible', [pb('3', '   ')]))).gaps, []);
  });

  it('release state: a date after now is unreleased, now itself or an unreadable date is wanted; a bare year counts to its end', () => {
    const status = (releaseDate: string) => analyse(owned('1'), { now }, outcomes(answer('audible', [pb('2', 'Two', { releaseDate })]))).gaps[0].status;
    assert.equal(status('2025-06-02'), 'unreleased');
    assert.equal(status('2025-06-01T00:00:00Z'), 'wanted');
    assert.equal(status('2025-05-31'), 'wanted');
    assert.equal(status('soon'), 'wanted');
    assert.equal(status('2025'), 'unreleased', 'out some time in 2025: not before its end');
    assert.equal(status('2024'), 'wanted');
    assert.equal(status('01/15/2026'), 'unreleased', 'a date that merely ends in a year is read as written');
  });

  it('gaps come in series order: numbers by value, then letters', () => {
    const out = outcomes(answer('audible', [pb('10', 'Ten'), pb('2b', 'Two B'), pb('9', 'Nine'), pb('2a', 'Two A'), pb('1.5', 'Novella')]));
    assert.deepEqual(analyse(owned('1', '2', '3'), { now, includeFractional: true }, out).gaps.map((g) => g.sequence), ['1.5', '2a', '2b', '9', '10']);
  });

  it('"two must agree": the agreed book leads the evidence (once), the odd one out follows', () => {
    const out = outcomes(
      answer('audible', [pb('4', 'Wrong Book')]),
      answer('hardcover', [pb('4', 'Cibola Burn')]),
      answer('goodreads', [pb('4', 'Cibola Burn')]),
    );
    const gap = analyse(owned('1', '2', '3'), { now, agreement: 'two' }, out).gaps[0];
    assert.deepEqual(gap.reasons, ['hardcover: #4 "Cibola Burn"', 'audible: #4 "Wrong Book"', 'goodreads: #4 "Cibola Burn"']);
    assert.equal(gap.source, 'hardcover');
    assert.equal(gap.title, 'Cibola Burn');
  });

  it('holes: a run of exactly 100 missing books is reported, 101 is a warning', () => {
    assert.equal(analyse(owned('1', '102'), { now }).gaps.length, 100);
    const r = analyse(owned('1', '103'), { now });
    assert.equal(r.gaps.length, 0);
    assert.deepEqual(r.warnings, ['Series "The Expanse": #2–#102 not reported as holes: 101 missing books in a row look like a misread sequence (a year?); a provider can still list them']);
  });

  it('a lettered entry holds its number against holes and lists after the whole books', () => {
    const r = analyse(owned('3', '2b', '1', '2a'), { now });
    assert.deepEqual(r.gaps, []);
    assert.deepEqual(r.series[0].owned, ['1', '3', '2a', '2b']);
    assert.deepEqual(analyse(owned('2a', '4'), { now }).gaps.map((g) => g.sequence), ['3'], 'the lowest owned entry may be a lettered one');
  });
});

describe('lib/gaps report: the series row', () => {
  it('total from the first provider that gives one; completion counts whole owned books 1..total', () => {
    const out = outcomes(answer('audible', [pb('2', 'Two')]), answer('hardcover', [pb('2', 'Two')], 4));
    const r = analyse([...owned('1', '0', '1.5', '3', '4', '6')], { now }, out);
    const s = r.series[0];
    assert.equal(s.total, 4);
    assert.equal(s.completion, 75, '1, 3 and 4 of 4: not the prequel, the novella, nor #6 beyond the total');
    assert.deepEqual(s.sources, ['library', 'audible', 'hardcover']);
    assert.deepEqual(s.unavailable, []);
  });

  it('without a total: the highest whole book a provider lists', () => {
    const out = outcomes(answer('audible', [pb('1', 'One'), pb('9.5', 'Novella'), pb('7a', 'Side'), pb('6-9', 'Box', { compilation: true }), pb('5', 'Five')]));
    const s = analyse(owned('1', '2'), { now }, out).series[0];
    assert.equal(s.total, 5);
    assert.equal(s.completion, 40);
  });

  it('library only: completion over owned plus missing whole books (not book 0)', () => {
    const s = analyse(owned('1', '4'), { now }).series[0];
    assert.equal(s.total, null);
    assert.deepEqual(s.missing, ['2', '3']);
    assert.equal(s.completion, 50);
    assert.equal(analyse(owned('0', '2'), { now, includeZero: true }).series[0].completion, 50, 'book 1 missing, book 0 not counted');
  });

  it('no whole book to count: no completion rather than 0 % or 100 %', () => {
    const r = analyse(owned('0.5', 'abc', null as unknown as string), { now });
    assert.equal(r.series[0].completion, null);
    assert.deepEqual(r.series[0].invalid, ['abc']);
    assert.equal(r.series[0].unnumbered, 1);
  });
});

describe('lib/gaps report: author back-catalogue gaps', () => {
  const author = (books: ProviderBook[], who = 'James S. A. Corey'): AuthorOutcome[] => [{ provider: 'audible', author: who, books }];

  it('a missing book of the author, with everything the search needs', () => {
    const r = analyse(owned('1'), { now }, undefined, author([
      pb('', 'The Churn', { authors: [], isbn: '9780316217000', releaseDate: '2026', durationSec: 9000, series: [{ name: 'Expanse Novellas', sequence: '2' }] }),
    ]));
    assert.deepEqual(r.gaps.map(fields), [{
      key: 'author:james sa corey|churn', kind: 'author', status: 'unreleased', title: 'The Churn', authors: COREY,
      series: 'Expanse Novellas', sequence: '2', isbn: '9780316217000', releaseDate: '2026',
      expectedDurationSec: 9000, expectedDurationFrom: 'metadata', source: 'audible',
      reason: 'audible lists "The Churn" by James S. A. Corey, not in the library',
      reasons: ['audible: by james sa corey'],
    }]);
  });

  it('skips a book already reported as a series gap (by title or ASIN), a blank or missing title, and a repeat', () => {
    const series = outcomes(answer('audible', [pb('2', "Caliban's War", { asin: 'B0CAL' })]));
    const r = analyse(owned('1'), { now }, series, author([
      pb('', "Caliban's War"), pb('', 'Other Name', { asin: 'b0cal' }), pb('', ' '), pb('', undefined), pb('', 'Strange Dogs'), pb('', 'Strange Dogs'), pb('', 'Auberon', { asin: 'B5' }),
    ]));
    assert.deepEqual(r.gaps.map((g) => g.key), [`series:${ID}#2`, 'author:james sa corey|strange dogs', 'asin:B5']);
    assert.equal(r.gaps[2].asin, 'B5');
    assert.deepEqual(r.gaps.map((g) => g.status), ['wanted', 'wanted', 'wanted']);
  });

  it('a book in any owned series is left to the series analysis', () => {
    const r = analyse(owned('1'), { now }, undefined, author([pb('', 'Tiamat', { series: [{ name: 'Other', sequence: '1' }, { name: 'The Expanse', sequence: '9' }] })]));
    assert.deepEqual(r.gaps, []);
  });
});
