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
