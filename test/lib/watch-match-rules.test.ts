// The smaller rules of lib/watch/match: how paths are mapped between qBittorrent and
// Audiobookshelf, when titles agree, which item an ASIN names, and how ABS items are read.
import assert from 'node:assert/strict';
import { mapPath, matchItem, toLibraryItem, type LibraryItemLite } from '../../lib/watch/match';
import { candidate } from '../helpers/qbittorrent';

const QUEUED = '2025-01-01T00:00:00.000Z';
const queuedMs = Date.parse(QUEUED);
const gap = candidate(1).gap; // "Book 1" by James S. A. Corey
const item = (id: string, path: string, over: Partial<LibraryItemLite> = {}): LibraryItemLite =>
  ({ id, path, title: 'Other Book', authors: ['Someone Else'], addedAt: queuedMs + 60_000, ...over });

describe('lib/watch/match: mapping, agreement, ASIN, ABS items', () => {
  it('maps Windows paths, and leaves a path alone without a mapping or with an empty "from"', () => {
    assert.equal(mapPath('D:\\Downloads\\Book 1\\', { from: 'D:\\Downloads', to: '/audiobooks' }), '/audiobooks/Book 1');
    assert.equal(mapPath('/dl/Book 1'), '/dl/Book 1');
    assert.equal(mapPath('/dl/Book 1', { from: '', to: '/audiobooks' }), '/dl/Book 1');
  });

  it('titles agree either way round as whole words: the library\'s shorter title inside the wanted one counts', () => {
    const longGap = { ...gap, title: 'Book 1: Leviathan Wakes', authors: ['Nobody Known'] };
    const m = matchItem({ contentPath: '/dl/Book 1', gap: longGap, queuedAt: QUEUED }, [item('a', '/dl/Book 1', { title: 'Leviathan Wakes' })]);
    assert.deepEqual([m?.item.id, m?.by], ['a', 'path']);
  });

  it('a title of punctuation only agrees with nothing, not even an item without a title', () => {
    const odd = { ...gap, title: '???', authors: ['Nobody Known'] };
    assert.equal(matchItem({ contentPath: '/dl/Book 1', gap: odd, queuedAt: QUEUED }, [item('a', '/dl/Book 1', { title: '' })]), undefined);
  });

  it('an item added in the very millisecond the download was queued is not proven its import', () => {
    const same = item('a', '/dl/Book 1', { title: 'Book 1', addedAt: queuedMs });
    assert.equal(matchItem({ contentPath: '/dl/Book 1', gap, queuedAt: QUEUED }, [same]), undefined);
  });

  it('ASIN: the item with that ASIN, whatever comes before it in the list (items without one too)', () => {
    const items = [item('none', '/x'), item('other', '/y', { asin: 'B0OTHER' }), item('it', '/z', { asin: 'b0abc' })];
    assert.deepEqual(matchItem({ contentPath: '', gap: { ...gap, title: undefined, asin: 'B0ABC' } }, items)?.item.id, 'it');
    assert.equal(matchItem({ contentPath: '', gap: { ...gap, title: undefined, asin: 'B0NONE' } }, items), undefined);
  });

  it('a gap without a title is not matched by title + author, not even to an item without a title by that author', () => {
    const untitled = { ...gap, title: undefined };
    assert.equal(matchItem({ contentPath: '', gap: untitled }, [item('a', '/x', { title: '', authors: ['James S. A. Corey'], addedAt: 0 })]), undefined);
  });

  it('reads minified and expanded ABS items, and skips what is not an item', () => {
    const authorName = (name: string) => toLibraryItem({ id: 'x', media: { metadata: { authorName: name } } })?.authors;
    assert.deepEqual(authorName('A,B & C and D'), ['A', 'B', 'C', 'D']);
    assert.deepEqual(authorName('A , B'), ['A', 'B']);
    assert.deepEqual(authorName(''), []);
    assert.deepEqual(toLibraryItem({ id: 'x', path: '/p', media: { metadata: { title: 'T', authors: [{ name: 'A' }, { name: 'B' }], authorName: 'ignored', asin: 'B0X' } } }),
      { id: 'x', title: 'T', path: '/p', authors: ['A', 'B'], asin: 'B0X' });
    for (const media of [undefined, null, {}, { metadata: { title: null, authorName: null, asin: null } }]) {
      assert.deepEqual(toLibraryItem({ id: 'bare', media }), { id: 'bare', title: '', path: '', authors: [] }, JSON.stringify(media));
    }
    assert.equal(toLibraryItem({ path: '/no/id' }), undefined);
    assert.equal(toLibraryItem(null), undefined);
  });
});
