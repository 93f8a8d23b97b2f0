// Which owned books form one series: by name, split by author, joined again when positions
// interleave (a shared universe), with books without authors placed only where it is no guess.
import assert from 'node:assert/strict';
import { groupSeries } from '../../lib/gaps/series';
import type { Book, SeriesRef } from '../../lib/types';

let n = 0;
const book = (authors: string[], refs: [string, string | null][], title = `Book ${n + 1}`): Book =>
  ({ id: `g${++n}`, libraryId: 'l', title, authors, narrators: [], series: refs.map(([name, sequence]): SeriesRef => ({ name, sequence })), path: `/g/${n}`, addedAt: 0 });
const summary = (books: Book[]) => groupSeries(books).map((g) => `${g.id} [${g.numbered.map((m) => m.ref.sequence).join(',')}]${g.unnumbered.length ? ` +${g.unnumbered.length}` : ''}`);

describe('lib/gaps series groups', () => {
  it('a series without a name is no series', () => {
    assert.deepEqual(groupSeries([book(['Ann'], [['', '1'], ['  ', '2']])]), []);
  });

  it('the same series twice on a book counts once; two places in it count both', () => {
    assert.deepEqual(summary([book(['Ann'], [['Saga', '1'], ['The Saga', '1']])]), ['saga|ann [1]']);
    assert.deepEqual(summary([book(['Ann'], [['Saga', '1'], ['Saga', '2']])]), ['saga|ann [1,2]']);
    assert.deepEqual(summary([book(['Ann'], [['Saga', null], ['Saga', '2']])]), ['saga|ann [2] +1']);
  });

  it('a co-author links the books of both writers into one series', () => {
    assert.deepEqual(summary([book(['Ann'], [['Saga', '1']]), book(['Ann', 'Bob'], [['Saga', '2']]), book(['Bob'], [['Saga', '5']])]), ['saga|ann [1,2,5]']);
  });

  it('interleaved positions by different writers join, whichever starts first; three writers join into one', () => {
    assert.deepEqual(summary([book(['Ann'], [['Heresy', '2']]), book(['Ann'], [['Heresy', '4']]), book(['Bob'], [['Heresy', '1']]), book(['Bob'], [['Heresy', '3']])]), ['heresy|ann [2,4,1,3]']);
    assert.deepEqual(summary([book(['Ann'], [['Heresy', '1']]), book(['Ann'], [['Heresy', '4']]), book(['Bob'], [['Heresy', '2']]), book(['Bob'], [['Heresy', '5']]), book(['Cy'], [['Heresy', '3']]), book(['Cy'], [['Heresy', '6']])]), ['heresy|ann [1,4,2,5,3,6]']);
    assert.deepEqual(summary([book(['Ann'], [['Apart', '1']]), book(['Ann'], [['Apart', '2']]), book(['Bob'], [['Apart', '3']]), book(['Bob'], [['Apart', '4']])]), ['apart|ann [1,2]', 'apart|bob [3,4]'], 'ranges that do not overlap: two series');
    assert.deepEqual(summary([book(['Ann'], [['Apart', '3']]), book(['Ann'], [['Apart', '4']]), book(['Bob'], [['Apart', '1']]), book(['Bob'], [['Apart', '2']])]), ['apart|ann [3,4]', 'apart|bob [1,2]'], 'also when the later writer comes first');
    assert.deepEqual(summary([book(['Ann'], [['Legacy', '1']]), book(['Bob'], [['Legacy', null]])]), ['legacy|ann [1]', 'legacy|bob [] +1'], 'an unnumbered cluster joins nothing');
  });

  it('a book without authors joins the only series of its name, else stands alone (also beside a joined universe)', () => {
    assert.deepEqual(summary([book(['Ann'], [['Saga', '1']]), book([], [['Saga', '2']])]), ['saga|ann [1,2]']);
    assert.deepEqual(summary([book([], [['Lone', '1']]), book([], [['Lone', '2']])]), ['lone| [1,2]']);
    const universe = [book(['Ann'], [['Legacy', '1']]), book(['Ann'], [['Legacy', '3']]), book(['Bob'], [['Legacy', '2']]), book(['Cy'], [['Legacy', '1']]), book([], [['Legacy', '5']]), book([], [['Legacy', '6']])];
    assert.deepEqual(summary(universe), ['legacy|ann [1,3,2]', 'legacy|cy [1]', 'legacy| [5,6]']);
  });

  it('the display name is the most used spelling, ties alphabetical whatever the order', () => {
    const name = (names: string[]) => groupSeries(names.map((s, i) => book(['Ann'], [[s, String(i + 1)]])))[0].name;
    assert.equal(name(['The Saga', 'Saga']), 'Saga');
    assert.equal(name(['Saga', 'The Saga']), 'Saga');
    assert.equal(name(['Saga', 'The Saga', 'The Saga']), 'The Saga');
  });
});
