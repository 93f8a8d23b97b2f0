// Matching keys for titles, series names, languages and positions (lib/identity): each rule
// with the spelling that needs it.
import assert from 'node:assert/strict';
import { normaliseSeriesName, strictSeriesName, titleTokens } from '../../lib/identity/text';
import { booksLanguage, inLanguage, isLanguageName, normaliseLanguage } from '../../lib/identity/language';
import { parseSequence, positionKey } from '../../lib/identity/sequence';

describe('lib/identity title and series keys', () => {
  it('titles: an edition tag inside the title is a word break; leading zeros go, inner zeros stay; no empty words', () => {
    assert.deepEqual(titleTokens('The Hobbit (Unabridged) Book 1'), ['hobbit', 'book', '1']);
    assert.deepEqual(titleTokens('Book 007'), titleTokens('Book 7'));
    assert.deepEqual(titleTokens('1001 Nights'), ['1001', 'nights']);
    assert.deepEqual(titleTokens(''), []);
  });

  it('strict series names keep "Saga"/"Trilogy", drop only a final "Series"', () => {
    assert.equal(strictSeriesName('The Expanse Series'), strictSeriesName('Expanse'));
    assert.notEqual(strictSeriesName('The Witcher Saga'), strictSeriesName('The Witcher'));
    assert.equal(normaliseSeriesName('The Witcher Saga'), normaliseSeriesName('The Witcher'));
    assert.equal(strictSeriesName('Series'), 'series');
    assert.equal(strictSeriesName("Lemony Snicket's A Series of Unfortunate Events"), 'lemony snickets a series of unfortunate events');
    assert.equal(strictSeriesName('Marvel Miniseries'), 'marvel miniseries');
  });
});

describe('lib/identity languages', () => {
  it('isLanguageName: codes and names in any case, with or without diacritics and spaces', () => {
    for (const name of ['ENG', 'Deutsch', ' fr ', 'Español', 'Français']) assert.equal(isLanguageName(name), true, name);
    for (const name of ['Klingon', 'Unabridged', '']) assert.equal(isLanguageName(name), false, name);
  });

  it('normaliseLanguage: nothing given is no language', () => {
    assert.equal(normaliseLanguage(undefined), undefined);
    assert.equal(normaliseLanguage(null), undefined);
    assert.equal(normaliseLanguage('Español (España)'), 'spanish');
  });

  it('booksLanguage: the most frequent, ties alphabetical, books without one do not vote', () => {
    const books = (...langs: (string | undefined)[]) => langs.map((language) => ({ language }));
    assert.equal(booksLanguage(books('English', 'German', 'Deutsch')), 'german');
    assert.equal(booksLanguage(books('German', 'de', 'English')), 'german');
    assert.equal(booksLanguage(books('German', 'English')), 'english');
    assert.equal(booksLanguage(books('English', 'German')), 'english');
    assert.equal(booksLanguage(books(undefined, undefined, 'German'), 'english'), 'german');
    assert.equal(booksLanguage(books(undefined), 'English'), 'english');
  });

  it('inLanguage: an edition is dropped only when both languages are known and differ', () => {
    assert.equal(inLanguage(null, 'english'), true);
    assert.equal(inLanguage('German', undefined), true);
    assert.equal(inLanguage('Deutsch', 'german'), true);
    assert.equal(inLanguage('German', 'english'), false);
  });
});

describe('lib/identity positionKey', () => {
  it('only a single entry has a position key: a range or list is no owned position', () => {
    assert.equal(positionKey(parseSequence('2a')), '2a');
    assert.equal(positionKey(parseSequence('1-3')), undefined);
    assert.equal(positionKey(parseSequence('1, 2')), undefined);
    assert.equal(positionKey(parseSequence('')), undefined);
  });
});
