// Which books a torrent title names (lib/mam/named-books.ts): the series' known titles, or,
// without them, other titles listed next to the wanted one.
import assert from 'node:assert/strict';
import { namedSeriesBooks, otherListedTitles } from '../../lib/mam/named-books';

const MISTBORN = [
  { title: 'The Final Empire', sequence: '1' }, { title: 'The Well of Ascension', sequence: '2' }, { title: 'The Hero of Ages', sequence: '3' },
];
const gap = { title: 'The Well of Ascension', sequence: '2', series: 'Mistborn', seriesBooks: MISTBORN };

describe('lib/mam named books: the series\' titles in the torrent title', () => {
  it('names each book found, in title order, by its position', () => {
    assert.deepEqual(namedSeriesBooks(gap, 'The Hero of Ages / The Final Empire', ['Mistborn']), ['3', '1']);
    assert.deepEqual(namedSeriesBooks(gap, 'Mistborn: The Well of Ascension', ['Mistborn']), ['2']);
    assert.deepEqual(namedSeriesBooks(gap, 'Well of Ascension, Final Empire', ['Mistborn']), ['2', '1'], 'articles do not count');
    assert.deepEqual(namedSeriesBooks(gap, 'Mistborn Trilogy', ['Mistborn']), []);
  });

  it('the gap\'s own book counts even when the series list omits it; a book without a position by its title', () => {
    const g = { title: 'Secret History', sequence: '', series: 'Mistborn', seriesBooks: MISTBORN };
    assert.deepEqual(namedSeriesBooks(g, 'The Final Empire & Secret History', ['Mistborn']), ['1', 'Secret History']);
    assert.deepEqual(namedSeriesBooks({ ...g, seriesBooks: undefined }, 'Secret History', []), ['Secret History']);
  });

  it('a title\'s parts name it too ("Dune: Messiah" holds "Messiah"); the longest name wins where two overlap', () => {
    const dune = { title: 'Children of Dune', sequence: '3', series: 'Dune Chronicles', seriesBooks: [{ title: 'Dune', sequence: '1' }, { title: 'Dune Messiah', sequence: '2' }, { title: 'Heretics: Of Dune Legacy', sequence: '5' }] };
    assert.deepEqual(namedSeriesBooks(dune, 'Dune Messiah', ['Dune Chronicles']), ['2']);
    assert.deepEqual(namedSeriesBooks(dune, 'Heretics of Dune Legacy', ['Dune Chronicles']), ['5']);
    assert.deepEqual(namedSeriesBooks(dune, 'Heretics and Children of Dune', ['Dune Chronicles']), ['5', '3']);
    const foundation = { title: 'Second Foundation', sequence: '3', series: 'Foundation', seriesBooks: [{ title: 'Foundation', sequence: '1' }, { title: 'Foundation and Empire', sequence: '2' }] };
    assert.deepEqual(namedSeriesBooks(foundation, 'Foundation and Empire', ['Galactic Empire']), ['2']);
    assert.deepEqual(namedSeriesBooks(foundation, 'Foundation and Second Foundation', ['Galactic Empire']), ['1', '3']);
  });

  it('not a name: the series\' name, one short word, a number', () => {
    const g = { title: 'It', sequence: '1', series: 'Saga', seriesBooks: [{ title: 'Saga', sequence: '0' }, { title: 'Cujo', sequence: '2' }, { title: '1984', sequence: '3' }, { title: 'Carrie', sequence: '4' }, { title: 'Bones', sequence: '5' }] };
    assert.deepEqual(namedSeriesBooks(g, 'It Saga Cujo 1984 Carrie Bones', ['Saga']), ['4', '5']);
  });
});

describe('lib/mam named books: other titles listed next to the wanted one', () => {
  it('"A / B", "A + B", "A; B", "A, B, C", "A & B": the other chunks', () => {
    assert.deepEqual(otherListedTitles("Leviathan Wakes / Caliban's War", 'Leviathan Wakes', []), ["Caliban's War"]);
    assert.deepEqual(otherListedTitles("Leviathan Wakes + Caliban's War", 'Leviathan Wakes', []), ["Caliban's War"]);
    assert.deepEqual(otherListedTitles("Leviathan Wakes; Caliban's War", 'Leviathan Wakes', []), ["Caliban's War"]);
    assert.deepEqual(otherListedTitles("Leviathan Wakes, Caliban's War, Abaddon's Gate", 'Leviathan Wakes', []), ["Caliban's War", "Abaddon's Gate"]);
    assert.deepEqual(otherListedTitles("Leviathan Wakes & Caliban's War", 'Leviathan Wakes', []), ["Caliban's War"]);
  });

  it('one comma is a subtitle, not a list; "&" in the wanted title is its own', () => {
    assert.deepEqual(otherListedTitles("Leviathan Wakes, Caliban's War", 'Leviathan Wakes', []), []);
    assert.deepEqual(otherListedTitles('Pride & Prejudice & Zombies', 'Pride & Prejudice', []), []);
  });

  it('chunks explained by the series, the people, numbers, format words or an alternative title are no other book', () => {
    assert.deepEqual(otherListedTitles('Leviathan Wakes / Jefferson Mays', 'Leviathan Wakes', ['Jefferson Mays']), []);
    assert.deepEqual(otherListedTitles('The Expanse / Leviathan Wakes / Unabridged', 'Leviathan Wakes', ['The Expanse']), []);
    assert.deepEqual(otherListedTitles('Leviathan Wakes / 2011 / 64kbps', 'Leviathan Wakes', []), []);
    assert.deepEqual(otherListedTitles('Moby-Dick; or, The Whale', 'Moby-Dick', []), []);
    assert.deepEqual(otherListedTitles('Leviathan Wakes (Book 1) / Audio', 'Leviathan Wakes', []), []);
    assert.deepEqual(otherListedTitles('Leviathan Wakes / Big Sky', 'Leviathan Wakes', []), [], 'words of three letters name nothing');
    assert.deepEqual(otherListedTitles("Leviathan Wakes, Caliban's War, 2011", 'Leviathan Wakes', []), [], 'a list of three needs two other titles');
  });

  it('the wanted title must be one chunk by itself; a gap of noise words only lists nothing', () => {
    assert.deepEqual(otherListedTitles("Leviathan Falls / Caliban's War", 'Leviathan Wakes', []), []);
    assert.deepEqual(otherListedTitles("Leviathan Wakes Again / Caliban's War", 'Leviathan Wakes', []), []);
    assert.deepEqual(otherListedTitles("The Expanse Leviathan Wakes / Caliban's War", 'Leviathan Wakes', ['The Expanse']), ["Caliban's War"]);
    assert.deepEqual(otherListedTitles("Leviathan Wakes 1 / Caliban's War", 'Leviathan Wakes', []), ["Caliban's War"], 'a number beside the title is its position');
    assert.deepEqual(otherListedTitles('Unabridged / Caliban\'s War', 'Unabridged', []), []);
  });
});
