import assert from 'node:assert/strict';
import { normaliseIsbn } from '../../lib/identity/codes';
import { OwnedIndex, sameBook } from '../../lib/gaps/owned';
import type { ProviderBook } from '../../lib/metadata/provider';
import type { Book } from '../../lib/types';

let n = 0;
const book = (title: string, authors: string[], extra: Partial<Book> = {}): Book => ({
  id: `o${++n}`, libraryId: 'lib', title, authors, narrators: [], series: [], path: `/o/${n}`, addedAt: 0, ...extra,
});
const pb = (title: string, authors: string[], extra: Partial<ProviderBook> = {}): ProviderBook => ({ sequence: '', title, authors, ...extra });
const corey = ['James S. A. Corey'];

describe('lib/gaps/owned normaliseIsbn and sameBook', () => {
  it('keeps 10- and 13-digit ISBNs (check letter upper-cased), drops anything else', () => {
    assert.equal(normaliseIsbn('0-306-40615-x'), '030640615X');
    assert.equal(normaliseIsbn('978-0-306-40615-7'), '9780306406157');
    assert.equal(normaliseIsbn('12345'), undefined);
    assert.equal(normaliseIsbn('97803064061571'), undefined);
    assert.equal(normaliseIsbn(undefined), undefined);
  });

  it('same book by ASIN, by whole title, or by a whole title against the part before a colon; never by two heads', () => {
    assert.equal(sameBook({ asin: 'b0abc', title: 'One' }, { asin: 'B0ABC ', title: 'Two' }), true);
    assert.equal(sameBook({ asin: 'B0ABC', title: 'One' }, { asin: 'B0XYZ', title: 'Two' }), false);
    assert.equal(sameBook({ title: 'Leviathan Wakes' }, { title: 'Leviathan Wakes: The Expanse 1' }), true);
    assert.equal(sameBook({ title: 'Leviathan Wakes: The Expanse 1' }, { title: 'Leviathan Wakes' }), true);
    assert.equal(sameBook({ title: 'Mistborn: The Final Empire' }, { title: 'Mistborn: The Well of Ascension' }), false);
    assert.equal(sameBook({ title: 'Mistborn: The Final Empire' }, { title: 'Elantris' }), false);
  });
});

describe('lib/gaps/owned OwnedIndex', () => {
  it('matches by ASIN, then ISBN, then title with the author', () => {
    const idx = new OwnedIndex([book('Leviathan Wakes', corey, { asin: 'B0LEV', isbn: '0-306-40615-x' })]);
    assert.equal(idx.match(pb('Other', ['X'], { asin: 'b0lev' })), 'ASIN B0LEV');
    assert.equal(idx.match(pb('Other', ['X'], { isbn: '030640615X' })), 'ISBN 030640615X');
    assert.equal(idx.match(pb('Other', ['X'], { isbn: '9999999999' })), undefined);
    assert.equal(idx.match(pb('Leviathan Wakes', corey)), 'title "Leviathan Wakes"');
    assert.equal(idx.match(pb('Leviathan Wakes', ['Somebody Else'])), undefined);
  });

  it('an unknown author on either side: the same whole title is enough, a head is not', () => {
    const idx = new OwnedIndex([book('Leviathan Wakes', []), book('Persepolis Rising: Book 7', corey)]);
    assert.equal(idx.match(pb('Leviathan Wakes', corey)), 'title "Leviathan Wakes"');
    assert.equal(idx.match(pb('Persepolis Rising', [])), undefined, 'only the head of the owned title');
    assert.equal(idx.match(pb('Persepolis Rising', corey)), 'title "Persepolis Rising: Book 7"');
    assert.equal(new OwnedIndex([book('Leviathan Wakes', corey)]).match(pb('Leviathan Wakes', [])), 'title "Leviathan Wakes"');
  });

  it('two title heads alone are not the same book', () => {
    const sanderson = ['Brandon Sanderson'];
    const idx = new OwnedIndex([book('Mistborn: The Final Empire', sanderson)]);
    assert.equal(idx.match(pb('Mistborn: The Well of Ascension', sanderson)), undefined);
    assert.equal(idx.match(pb('Mistborn', sanderson)), 'title "Mistborn: The Final Empire"');
  });

  it('only a collection title is searched for the books inside it', () => {
    const idx = new OwnedIndex([book('The Science of Leviathan Wakes', corey)]);
    assert.equal(idx.match(pb('Leviathan Wakes', corey)), undefined);
  });

  it('a title head shorter than three letters is no key', () => {
    const idx = new OwnedIndex([book('It: A Novel', ['Stephen King']), book('Arc: A Tale', ['Stephen King'])]);
    assert.equal(idx.match(pb('It', ['Stephen King'])), undefined);
    assert.equal(idx.match(pb('Arc', ['Stephen King'])), 'title "Arc: A Tale"');
  });

  it('a book inside an owned omnibus is owned, unless its title is one word or the omnibus is by another author', () => {
    const idx = new OwnedIndex([book("Leviathan Wakes / Caliban's War / Dune", corey), book('The Gap Cycle Omnibus: The Real Story', ['Stephen Donaldson'])]);
    assert.equal(idx.match(pb("Caliban's War", corey)), `omnibus "Leviathan Wakes / Caliban's War / Dune"`);
    assert.equal(idx.match(pb('Dune', corey)), undefined);
    assert.equal(idx.match(pb("Caliban's War", ['Somebody Else'])), undefined);
    assert.equal(idx.match(pb('The Real Story', ['Stephen Donaldson'])), 'omnibus "The Gap Cycle Omnibus: The Real Story"');
    const anonymous = new OwnedIndex([book("Leviathan Wakes / Caliban's War", [])]);
    assert.equal(anonymous.match(pb("Caliban's War", corey)), `omnibus "Leviathan Wakes / Caliban's War"`);
  });

  it('omnibus positions: the title must name the series and a range, by the series\' authors or none, not a member', () => {
    const box = book('The Expanse: Books 1-3', corey);
    const anonymous = book('The Expanse Books 5 & 6', []);
    const other = book('The Expanse: Books 7-8', ['Somebody Else']);
    const noRange = book('The Expanse Collection', corey);
    const elsewhere = book('Mistborn: Books 1-3', corey);
    const idx = new OwnedIndex([box, anonymous, other, noRange, elsewhere]);
    assert.deepEqual([...idx.omnibusPositions('expanse', corey, [])].sort((a, b) => a - b), [1, 2, 3, 5, 6]);
    assert.deepEqual([...idx.omnibusPositions('expanse', corey, [box])].sort((a, b) => a - b), [5, 6], 'a member counts by its own sequence');
    assert.deepEqual([...idx.omnibusPositions('leviathan', corey, [])], []);
  });
});
