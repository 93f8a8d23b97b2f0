import assert from 'node:assert/strict';
import { authorsKey, authorsMatch, normaliseAuthor } from '../../lib/identity/names';
import { normaliseSeriesName, normaliseTitle } from '../../lib/identity/text';

describe('lib/identity/names', () => {
  it('series names: article, case, punctuation, "Series" suffix and diacritics', () => {
    const key = normaliseSeriesName('The Expanse');
    assert.equal(key, 'expanse');
    assert.equal(normaliseSeriesName('Expanse'), key);
    assert.equal(normaliseSeriesName('THE EXPANSE SERIES'), key);
    assert.equal(normaliseSeriesName('Expanse, The'), key);
    assert.equal(normaliseSeriesName('Les Rougon-Macquart'), normaliseSeriesName('Les Rougon Macquart'));
    assert.equal(normaliseSeriesName('Ælfred’s Saga'), normaliseSeriesName('aelfreds'));
    assert.equal(normaliseSeriesName('Café Chronicles'), 'cafe chronicles');
    assert.equal(normaliseSeriesName('Saga'), 'saga');
    assert.notEqual(normaliseSeriesName('Discworld'), normaliseSeriesName('Discworld - City Watch'));
  });

  it('titles: apostrophes, ampersands, leading article and "(Unabridged)"', () => {
    assert.equal(normaliseTitle("Ender's Game (Unabridged)"), 'enders game');
    assert.equal(normaliseTitle('The Lies of Locke Lamora'), 'lies of locke lamora');
    assert.equal(normaliseTitle('Sword & Sorcery'), normaliseTitle('Sword and Sorcery'));
  });

  it('authors: initials with and without periods, "Last, First", Jr.', () => {
    const key = 'sa chakraborty';
    assert.equal(normaliseAuthor('S. A. Chakraborty'), key);
    assert.equal(normaliseAuthor('S.A. Chakraborty'), key);
    assert.equal(normaliseAuthor('SA Chakraborty'), key);
    assert.equal(normaliseAuthor('Chakraborty, S. A.'), key);
    assert.equal(normaliseAuthor('Harry Turtledove Jr.'), 'harry turtledove');
    assert.equal(normaliseAuthor('José Saramago'), 'jose saramago');
  });

  it('authorsMatch: exact keys, abbreviated first names, never two different full names', () => {
    assert.equal(authorsMatch(['S. A. Chakraborty'], ['SA Chakraborty']), true);
    assert.equal(authorsMatch(['Shannon Chakraborty'], ['S. A. Chakraborty']), true);
    assert.equal(authorsMatch(['J. R. R. Tolkien'], ['John Ronald Reuel Tolkien']), true);
    assert.equal(authorsMatch(['John Smith'], ['Jane Smith']), false);
    assert.equal(authorsMatch(['J. Smith'], ['K. Smith']), false);
    assert.equal(authorsMatch(['Smith'], ['J. Smith']), false);
    assert.equal(authorsMatch(['A', 'James S. A. Corey'], ['James S.A. Corey']), true);
    assert.equal(authorsMatch([], ['X']), false);
  });

  it('authorsKey is order- and spelling-independent', () => {
    assert.equal(authorsKey(['Ty Franck', 'Daniel Abraham']), authorsKey(['Daniel Abraham', 'ty franck']));
  });
});
