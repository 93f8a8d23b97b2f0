import assert from 'node:assert/strict';
import { confusion, loadCases } from '../../bench/mam-search.bench';

// The blind set (test/fixtures/mam-ranking-evidence.json) was labelled by another hand before
// the ranking ran on it, stratified by the classes of issue 10 (bundles by title, fragments,
// adaptations, absurd sizes, author variants, translation words, number words, sub-series,
// long series, plain). Targets: no wrong pick at all, and at least 95 % right in every class.
describe('lib/mam rank: blind evidence set (test/fixtures/mam-ranking-evidence.json)', () => {
  const cases = loadCases('mam-ranking-evidence.json');
  const rows = confusion(cases);

  it('has at least 300 cases in at least 10 classes, each label with its why', () => {
    assert.ok(cases.length >= 300, `${cases.length} cases`);
    assert.ok(rows.length >= 10, rows.map((r) => r.cls).join(', '));
    assert.deepEqual(cases.filter((c) => !c.why?.trim()).map((c) => c.name), []);
  });

  it('never picks a wrong torrent', () => {
    assert.deepEqual(rows.flatMap((r) => r.wrongCases.map((n) => `[${r.cls}] ${n}`)), []);
  });

  it('is right in at least 95 % of the cases of every class', () => {
    for (const r of rows) assert.ok(r.right >= 0.95, `${r.cls}: ${(100 * r.right).toFixed(1)} % right; misses: ${r.missCases.join(' | ')}`);
  });
});
