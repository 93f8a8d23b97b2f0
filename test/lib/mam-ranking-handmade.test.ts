import assert from 'node:assert/strict';
import { confusion, evaluate, loadCases, naivePick, ourPick } from '../../bench/mam-search.bench';

// The hand-written set (test/fixtures/mam-ranking-handmade.json) was labelled without reading
// the ranking, from how real audiobook torrents are titled and numbered. A wrong pick fails the
// test; a miss (the right book was there, nothing was picked) is allowed up to 10 % and printed.
describe('lib/mam rank: hand-written ranking set (test/fixtures/mam-ranking-handmade.json)', () => {
  const cases = loadCases('mam-ranking-handmade.json');
  const noneRight = cases.filter((c) => c.accept.length === 0).length;
  const misses = cases.filter((c) => c.accept.length > 0 && ourPick(c) === null).map((c) => c.name);

  it('has at least 70 cases, both "a right torrent" and "none is right"', () => {
    assert.ok(cases.length >= 70, `${cases.length} cases`);
    assert.ok(noneRight >= 15, `${noneRight} "none" cases`);
  });

  it('never picks a wrong torrent (a pick outside accept, or any pick where none is right)', () => {
    const s = evaluate(cases, ourPick);
    assert.deepEqual(s.wrongCases, []);
    assert.equal(s.correctNone, noneRight);
  });

  it(`misses the right book in at most 10 % of the cases (${misses.length} of ${cases.length})`, () => {
    for (const name of misses) console.log(`    miss: ${name}`);
    assert.ok(misses.length <= cases.length * 0.1, `${misses.length} misses`);
  });

  it('is right (right pick or right none) in at least 95 % of the cases of every class', () => {
    for (const row of confusion(cases)) assert.ok(row.right >= 0.95, `${row.cls}: ${(100 * row.right).toFixed(1)} % right`);
  });

  it('the naive seed ranking makes wrong picks on it (the set tells rankings apart)', () => {
    assert.ok(evaluate(cases, naivePick).wrong > 20);
  });
});
