import assert from 'node:assert/strict';
import { confusion, evaluate, loadCases, naivePick, ourPick } from '../../bench/mam-search.bench';

describe('lib/mam rank: labelled ranking set (test/fixtures/mam-ranking-cases.json)', () => {
  const cases = loadCases();

  it('has at least 60 cases, both "a right torrent" and "none is right"', () => {
    assert.ok(cases.length >= 60, `${cases.length} cases`);
    assert.ok(cases.filter((c) => c.accept.length === 0).length >= 20);
  });

  it('never picks a wrong torrent, finds every right one, and picks the preferred one', () => {
    const s = evaluate(cases, ourPick);
    assert.deepEqual(s.wrongCases, []);
    assert.equal(s.missed, 0);
    assert.equal(s.correctNone, cases.filter((c) => c.accept.length === 0).length);
    assert.equal(s.best, s.correct);
  });

  it('per class: no wrong pick and at least 95 % right', () => {
    for (const row of confusion(cases)) {
      assert.deepEqual(row.wrongCases, [], row.cls);
      assert.ok(row.right >= 0.95, `${row.cls}: ${(100 * row.right).toFixed(1)} % right`);
    }
  });

  it('the set tells rankings apart: the naive seed ranking makes wrong picks on it', () => {
    assert.ok(evaluate(cases, naivePick).wrong > 20);
  });
});
