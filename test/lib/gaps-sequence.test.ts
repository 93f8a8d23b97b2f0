import assert from 'node:assert/strict';
import { formatSequence, parseSequence, sequencesOverlap } from '../../lib/identity/sequence';

describe('lib/gaps/sequence parseSequence', () => {
  const cases: [string | number | null | undefined, string, number[], boolean][] = [
    ['1', 'number', [1], false],
    ['01', 'number', [1], false],
    ['1.0', 'number', [1], false],
    ['1.5', 'number', [1.5], true],
    ['0', 'number', [0], false],
    ['0.5', 'number', [0.5], true],
    ['1-3', 'range', [1, 2, 3], false],
    ['1–3', 'range', [1, 2, 3], false],
    ['1 — 3', 'range', [1, 2, 3], false],
    ['1, 2', 'list', [1, 2], false],
    ['3 & 1', 'list', [1, 3], false],
    ['1-3, 5', 'list', [1, 2, 3, 5], false],
    ['Book 2', 'number', [2], false],
    ['book #4', 'number', [4], false],
    ['Vol. 7', 'number', [7], false],
    ['#2', 'number', [2], false],
    ['2a', 'number', [2], false],
    ['II', 'number', [2], false],
    ['xiv', 'number', [14], false],
    ['Book IV', 'number', [4], false],
    ['three', 'number', [3], false],
    ['10,5', 'number', [10.5], true],
    ['2,2', 'number', [2.2], true],
    ['1, 2,', 'list', [1, 2], false],
    ['1.5, 2', 'list', [1.5, 2], true],
    ['1-51', 'range', Array.from({ length: 51 }, (_, i) => i + 1), false],
    ['30-32', 'range', [30, 31, 32], false],
    ['XL', 'number', [40], false],
    ['LX', 'number', [60], false],
    ['zero', 'number', [0], false],
    [0, 'number', [0], false],
    ['1,0', 'number', [1], false],
    ['1,2', 'list', [1, 2], false],
    ['10,11', 'list', [10, 11], false],
    ['Book 1,2', 'list', [1, 2], false],
    [3, 'number', [3], false],
    [2.5, 'number', [2.5], true],
  ];
  for (const [raw, kind, positions, fractional] of cases) {
    it(`parses ${JSON.stringify(raw)} as ${kind} ${JSON.stringify(positions)}`, () => {
      const p = parseSequence(raw);
      assert.equal(p.kind, kind);
      assert.deepEqual(p.positions, positions);
      assert.equal(p.primary, positions[0]);
      assert.equal(p.fractional, fractional);
    });
  }

  it('keeps the raw text and the letter suffix of "2a"', () => {
    const p = parseSequence(' 2a ');
    assert.equal(p.raw, ' 2a ');
    assert.equal(p.suffix, 'a');
  });

  for (const raw of ['', '   ', null, undefined]) {
    it(`treats ${JSON.stringify(raw)} as no sequence`, () => {
      const p = parseSequence(raw);
      assert.equal(p.raw, raw ?? '');
      assert.equal(p.kind, 'none');
      assert.deepEqual(p.positions, []);
      assert.equal(p.fractional, false);
      assert.equal(p.primary, undefined);
    });
  }

  for (const raw of ['abc', 'Book', '3-1', '1-2000', '-1', 'mix', 'C', 'l', '2 (omnibus)', 'part one of two', '1..2', '1,5', '2,25', '1,05', '1-52', '1, abc', ',', NaN, -3]) {
    it(`reports ${JSON.stringify(raw)} as invalid instead of reading it as 0`, () => {
      const p = parseSequence(raw);
      assert.equal(p.kind, 'invalid');
      assert.deepEqual(p.positions, []);
      assert.equal(p.primary, undefined);
      assert.equal(p.fractional, false);
    });
  }

  it('expands a fractional range to its ends and the whole numbers inside', () => {
    assert.deepEqual(parseSequence('1.5-3').positions, [1.5, 2, 3]);
    assert.equal(parseSequence('1.5-3').fractional, true);
  });

  it('reads an equal-ended range as one number', () => {
    assert.equal(parseSequence('4-4').kind, 'number');
  });
});

describe('lib/gaps/sequence formatSequence', () => {
  it('drops trailing zeros and float noise', () => {
    assert.equal(formatSequence(1), '1');
    assert.equal(formatSequence(1.5), '1.5');
    assert.equal(formatSequence(0.1 + 0.2), '0.3');
    assert.equal(formatSequence(0), '0');
  });
});

describe('lib/gaps/sequence sequencesOverlap', () => {
  const o = (a: string, b: string) => sequencesOverlap(parseSequence(a), parseSequence(b));
  it('an omnibus overlaps each book it contains', () => {
    assert.equal(o('1-3', '2'), true);
    assert.equal(o('2', '1–3'), true);
    assert.equal(o('1-3', '4'), false);
    assert.equal(o('1, 2', 'Book 2'), true);
    assert.equal(o('2-3', '2a'), true, 'a range holds a lettered entry at its position');
    assert.equal(o('2a', '2-3'), true);
    assert.equal(o('2a', '3b'), false);
  });
  it('equal positions written differently overlap', () => {
    assert.equal(o('01', '#1'), true);
    assert.equal(o('II', '2'), true);
    assert.equal(o('1.5', '1'), false);
  });
  it('letter suffixes are different books', () => {
    assert.equal(o('2a', '2b'), false);
    assert.equal(o('2a', '2'), false);
    assert.equal(o('2a', '2a'), true);
  });
  it('missing or invalid sequences never overlap', () => {
    assert.equal(o('', ''), false);
    assert.equal(o('abc', 'abc'), false);
    assert.equal(o('', '1'), false);
  });
});
