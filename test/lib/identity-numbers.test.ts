// Numbers written as words in titles (lib/identity/numbers through titleTokens): "Nineteen
// Eighty-Four" must meet "1984", and two numbers side by side must not be fused into one.
import assert from 'node:assert/strict';
import { titleTokens } from '../../lib/identity/text';
import { wordValue } from '../../lib/identity/numbers';

const same = (a: string, b: string) => assert.deepEqual(titleTokens(a), titleTokens(b), `${a} / ${b}`);

describe('lib/identity numbers: words to digits', () => {
  it('"hundred" and "thousand" alone are one of them, after digits they stay words', () => {
    assert.deepEqual(titleTokens('A Thousand Splendid Suns'), ['1000', 'splendid', 'suns']);
    assert.deepEqual(titleTokens('Summer of the Hundred Suns'), ['summer', 'of', 'the', '100', 'suns']);
    assert.deepEqual(titleTokens('10 Hundred Words'), ['10', 'hundred', 'words']);
  });

  it('hundreds: "and" joins, the tens and units are added', () => {
    same('One Hundred and One Dalmatians', '101 Dalmatians');
    same('Three Hundred Sixty-Five Days', '365 Days');
  });

  it('thousands: the rest below a thousand is added, "and" joins; a following year stays apart', () => {
    same('Two Thousand Twelve', '2012');
    same('One Thousand and One Nights', '1001 Nights');
    same('Two Thousand and One', '2001');
    assert.deepEqual(titleTokens('Two Thousand Nineteen Eighty-Four'), ['2000', '1984']);
  });

  it('years said in halves: first half 1-99, second 10-99 (20-99 after a single digit)', () => {
    same('Nineteen Ten', '1910');
    same('Nineteen Ninety-Nine', '1999');
    same('Four Twenty', '420');
    same('Route One Sixty-Six', 'Route 166');
    assert.deepEqual(titleTokens('Four Ten'), ['4', '10']);
    assert.deepEqual(titleTokens('Zero Forty-Two'), ['0', '42']);
  });

  it('a tens word takes a following unit 1-9 only: "Twenty Twelve" is a year, "Twenty Zero" two numbers', () => {
    same('Twenty Twelve', '2012');
    same('Twenty Ten', '2010');
    assert.deepEqual(titleTokens('Twenty Zero'), ['20', '0']);
  });

  it('digits for letters need three letters besides ("D3ad" = "Dead")', () => {
    same('D3ad Man', 'Dead Man');
  });

  it('wordValue (markers, series positions): units, tens, ordinals and Roman numerals', () => {
    assert.deepEqual(['seven', 'twenty', 'Third', 'xiv', 'mix'].map(wordValue), [7, 20, 3, 14, undefined]);
  });
});
