// Audible series lists hold every edition, translations included: a German edition at the
// same position as the English one, or at a position with no English edition yet. Neither may
// become a gap, nor lend its title or ASIN to one (the search would look for the wrong book).
import assert from 'node:assert/strict';
import { booksLanguage, normaliseLanguage } from '../../lib/identity/language';
import { findGaps } from '../../lib/gaps/find';
import { AudibleProvider } from '../../lib/metadata/audible';
import type { Book } from '../../lib/types';
import { MetadataSim, type SimBook, type SimSeries } from '../sim/metadata-sim';

const ANN = ['Ann Author'];
const sb = (sequence: string, title: string, asin: string, language?: string): SimBook => ({ sequence, title, asin, authors: ANN, ...(language ? { language } : {}) });
const saga: SimSeries = {
  asin: 'S000000SAGA', id: 77, title: 'Saga', author: 'Ann Author',
  books: [
    sb('1', 'One', 'B00000001E'), sb('2', 'Two', 'B00000002E'),
    // The German edition comes first in the catalog order, as Audible often lists them.
    sb('3', 'Drei', 'B00000003G', 'german'), sb('3', 'Three', 'B00000003E'),
    sb('4', 'Vier', 'B00000004G', 'german'),
    sb('5', 'Five', 'B00000005E'),
  ],
};
const solo: SimSeries = { asin: 'S000000SOLO', id: 78, title: 'Solo', author: 'Ann Author', books: [sb('1', 'Solo Eins', 'B0000SOLOG', 'german'), sb('1', 'Solo One', 'B0000SOLOE')] };

let n = 0;
const owned = (title: string, sequence: string, asin: string, language?: string): Book =>
  ({ id: `b${++n}`, libraryId: 'lib', title, authors: ANN, narrators: [], series: [{ name: 'Saga', sequence }], asin, path: `/b/${n}`, addedAt: 0, ...(language ? { language } : {}) });

describe('lib/identity/language', () => {
  it('reads the spellings ABS and Audible use as one language', () => {
    for (const text of ['English', 'english', 'eng', 'EN', 'en-US', 'English (US)', ' en_GB ']) assert.equal(normaliseLanguage(text), 'english', text);
    for (const text of ['German', 'Deutsch', 'ger', 'deu', 'de', 'de-DE']) assert.equal(normaliseLanguage(text), 'german', text);
    assert.equal(normaliseLanguage('Klingon'), 'klingon');
    assert.equal(normaliseLanguage('  '), undefined);
  });

  it('a series is in the language most of its books are in, else the setting', () => {
    assert.equal(booksLanguage([{ language: 'eng' }, { language: 'English' }, { language: 'de' }], 'German'), 'english');
    assert.equal(booksLanguage([{}, { language: '' }], 'Deutsch'), 'german');
    assert.equal(booksLanguage([{}]), undefined);
  });
});

describe('lib/metadata/audible editions in other languages', () => {
  let sim: MetadataSim;
  let audible: AudibleProvider;
  beforeEach(async () => {
    sim = new MetadataSim([saga, solo]);
    await sim.start();
    audible = new AudibleProvider({ baseUrl: sim.url, minIntervalMs: 0, retries: 0 });
  });
  afterEach(async () => {
    await audible.close();
    await sim.close();
  });

  it('a series of English books: the German edition is neither a gap nor the title/ASIN of one', async () => {
    const books = [owned('One', '1', 'B00000001E', 'English'), owned('Two', '2', 'B00000002E', 'eng')];
    const r = await findGaps(books, [audible], { language: 'German' });
    assert.deepEqual(r.gaps.map((g) => [g.sequence, g.title, g.asin]), [['3', 'Three', 'B00000003E'], ['5', 'Five', 'B00000005E']]);
    assert.doesNotMatch(JSON.stringify(r.gaps), /Drei|Vier/);
  });

  it('books that do not say their language: the user\'s setting decides', async () => {
    const books = [owned('One', '1', 'B00000001E'), owned('Two', '2', 'B00000002E')];
    const german = await findGaps(books, [audible], { language: 'Deutsch' });
    assert.deepEqual(german.gaps.map((g) => [g.sequence, g.title]), [['3', 'Drei'], ['4', 'Vier']]);
    const english = await findGaps(books, [audible], { language: 'en' });
    assert.deepEqual(english.gaps.map((g) => [g.sequence, g.title]), [['3', 'Three'], ['5', 'Five']]);
  });

  it('the author back-catalogue lists only books in the author\'s language', async () => {
    const books = [owned('One', '1', 'B00000001E', 'English'), owned('Two', '2', 'B00000002E', 'English')];
    const r = await findGaps(books, [audible], { authorBackCatalogue: true, language: 'German' });
    assert.deepEqual(r.gaps.filter((g) => g.kind === 'author').map((g) => g.title), ['Solo One']);
  });
});
