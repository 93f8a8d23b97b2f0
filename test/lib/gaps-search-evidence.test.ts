// series-gaps hands the search its evidence: the expected length of the wanted book (metadata
// runtime, else the median of the owned books of the series, else of the author) and the
// titles of the series' other books.
import assert from 'node:assert/strict';
import { analyse } from '../../lib/gaps/analyse';
import { groupSeries } from '../../lib/gaps/series';
import type { ProviderBook, SeriesOutcome } from '../../lib/metadata/provider';
import type { Book } from '../../lib/types';

const HOUR = 3600;
let n = 0;
function book(title: string, authors: string[], series: [string, string][], durationSec?: number): Book {
  n++;
  return { id: `b${n}`, libraryId: 'l', title, authors, narrators: [], series: series.map(([name, sequence]) => ({ name, sequence })), path: `/b/${n}`, addedAt: 0, ...(durationSec ? { durationSec } : {}) };
}
const ann = ['Ann Author'];
const owned = [book('One', ann, [['Saga', '1']], 10 * HOUR), book('Two', ann, [['Saga', '2']], 12 * HOUR), book('Four', ann, [['Saga', '4']], 20 * HOUR)];

describe('lib/gaps search evidence on gaps', () => {
  it('a library hole gets the series\' median length as a prior and the owned titles', () => {
    const [gap] = analyse(owned).gaps;
    assert.equal(gap.sequence, '3');
    assert.equal(gap.expectedDurationSec, 12 * HOUR);
    assert.equal(gap.expectedDurationFrom, 'series');
    assert.deepEqual(gap.seriesBooks, [{ title: 'One', sequence: '1' }, { title: 'Two', sequence: '2' }, { title: 'Four', sequence: '4' }]);
  });

  it('the provider\'s runtime wins over the prior; provider titles join the owned ones, an omnibus does not', () => {
    const groups = groupSeries(owned);
    const books: ProviderBook[] = [
      { sequence: '3', title: 'Three', authors: ann, durationSec: 15 * HOUR }, { sequence: '5', title: 'Five', authors: ann },
      { sequence: '1-3', title: 'Saga Omnibus', authors: ann },
    ];
    const outcomes = new Map<string, SeriesOutcome[]>([[groups[0].id, [{ provider: 'audible', status: 'found', series: { provider: 'audible', seriesId: 's', name: 'Saga', books } }]]]);
    const gaps = analyse(owned, {}, outcomes, [], groups).gaps;
    const three = gaps.find((g) => g.sequence === '3')!;
    assert.equal(three.expectedDurationSec, 15 * HOUR);
    assert.equal(three.expectedDurationFrom, 'metadata');
    assert.deepEqual(three.seriesBooks?.map((b) => b.title), ['One', 'Two', 'Four', 'Three', 'Five']);
    assert.equal(gaps.find((g) => g.sequence === '5')!.expectedDurationFrom, 'series');
  });

  it('without owned durations in the series, the author\'s other books give the prior; without any, none', () => {
    const noLength = [book('A1', ann, [['Other', '1']]), book('A3', ann, [['Other', '3']])];
    const [gap] = analyse([...noLength, book('Standalone', ann, [], 8 * HOUR)]).gaps;
    assert.equal(gap.expectedDurationSec, 8 * HOUR);
    assert.equal(gap.expectedDurationFrom, 'author');
    const [bare] = analyse([book('B1', ['Bob'], [['Bare', '1']]), book('B3', ['Bob'], [['Bare', '3']])]).gaps;
    assert.equal(bare.expectedDurationSec, undefined);
    // Owned files of a few seconds (samples, test files) are no evidence of a book's length.
    const [tiny] = analyse([book('C1', ['Cy'], [['Tiny', '1']], 5), book('C3', ['Cy'], [['Tiny', '3']], 6)]).gaps;
    assert.equal(tiny.expectedDurationSec, undefined);
  });
});

describe('lib/gaps search evidence: the length prior and the title list in detail', () => {
  const MIN = 15 * 60;
  it('the median of an even count is the mean of the middle two, of unsorted lengths; 15 minutes counts, less does not', () => {
    const saga = [book('S1', ['Dee'], [['Even', '1']], 20 * HOUR), book('S2', ['Dee'], [['Even', '2']], 2 * HOUR), book('S4', ['Dee'], [['Even', '4']], 10 * HOUR), book('S5', ['Dee'], [['Even', '5']], 4 * HOUR)];
    assert.equal(analyse(saga).gaps[0].expectedDurationSec, 7 * HOUR);
    const short = [book('T1', ['Eve'], [['Short', '1']], MIN), book('T3', ['Eve'], [['Short', '3']], MIN - 1)];
    assert.equal(analyse(short).gaps[0].expectedDurationSec, MIN);
  });

  it('the author prior counts only that author\'s books', () => {
    const books = [book('F1', ['Fay'], [['Fay Saga', '1']]), book('F3', ['Fay'], [['Fay Saga', '3']]), book('Other', ['Gus'], [], 30 * HOUR), book('Hers', ['Fay'], [], 6 * HOUR)];
    assert.equal(analyse(books).gaps[0].expectedDurationSec, 6 * HOUR);
  });

  it('the title list: blank titles, list positions and provider compilations are left out, each title once', () => {
    const mine = [book('Part One', ann, [['Parts', '1']]), book('  ', ann, [['Parts', '2']]), book('Part One', ann, [['Parts', '3']]), book('Parts 4, 5', ann, [['Parts', '4, 5']]), book('Part Six', ann, [['Parts', '6']]), book('!!!', ann, [['Parts', '8']]), book('Part Extra', ann, [['Parts', '']])];
    const groups = groupSeries(mine);
    const books: ProviderBook[] = [{ sequence: '7', title: 'Box', authors: ann, compilation: true }, { sequence: '7', title: 'Part Seven', authors: ann }];
    const outcomes = new Map<string, SeriesOutcome[]>([[groups[0].id, [{ provider: 'audible', status: 'found', series: { provider: 'audible', seriesId: 's', name: 'Parts', books } }]]]);
    const gap = analyse(mine, {}, outcomes, [], groups).gaps.find((g) => g.sequence === '7')!;
    assert.deepEqual(gap.seriesBooks, [{ title: 'Part One', sequence: '1' }, { title: 'Part Six', sequence: '6' }, { title: 'Part Extra', sequence: '' }, { title: 'Part Seven', sequence: '7' }]);
  });

  it('a series without a single usable title gets no title list; an author gap never gets one', () => {
    const [gap] = analyse([book('  ', ['Hal'], [['Blank', '1']]), book('', ['Hal'], [['Blank', '3']])]).gaps;
    assert.equal('seriesBooks' in gap, false);
    const author = analyse([book('H1', ann, [['Saga', '1']])], {}, undefined, [{ provider: 'audible', author: 'Ann Author', books: [{ sequence: '', title: 'Solo', authors: ann }] }]).gaps;
    assert.equal(author[0].kind, 'author');
    assert.equal('seriesBooks' in author[0], false);
  });

  it('at most 120 titles, the owned ones first', () => {
    const many = Array.from({ length: 130 }, (_, i) => book(`Volume ${i + 1}`, ['Ida'], [['Long', String(i + 1)]]));
    const groups = groupSeries(many);
    const outcomes = new Map<string, SeriesOutcome[]>([[groups[0].id, [{ provider: 'audible', status: 'found', series: { provider: 'audible', seriesId: 'l', name: 'Long', books: [{ sequence: '131', title: 'Volume 131', authors: ['Ida'] }] } }]]]);
    const gap = analyse(many, {}, outcomes, [], groups).gaps[0];
    assert.equal(gap.seriesBooks?.length, 120);
    assert.equal(gap.seriesBooks?.[119].title, 'Volume 120');
  });
});
