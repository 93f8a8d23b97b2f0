import assert from 'node:assert/strict';
import { evaluate, loadCases, naivePick, ourPick } from '../../bench/mam-search.bench';

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

  it('the set tells rankings apart: the naive seed ranking makes wrong picks on it', () => {
    assert.ok(evaluate(cases, naivePick).wrong > 20);
  });
});
