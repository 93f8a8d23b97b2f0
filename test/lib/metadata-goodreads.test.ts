import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceError } from '../../lib/errors';
import { parseBookSeriesLinks, parseSearch, parseSeriesPage } from '../../lib/metadata/goodreads-parse';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'metadata', name), 'utf8');

describe('lib/metadata/goodreads-parse (saved HTML)', () => {
  it('series page: counts, positions, companions, ranges, expected publication', () => {
    const page = parseSeriesPage(fixture('goodreads-series.html'), 'u', new Date('2025-01-01'));
    assert.equal(page.name, 'The Expanse');
    assert.equal(page.primaryWorks, 9);
    assert.equal(page.totalWorks, 14);
    assert.deepEqual(page.books.map((b) => b.sequence), ['1', '1-3', '1.5', '2', '', '10']);
    assert.equal(page.books[1].compilation, true);
    assert.equal(page.books[2].title, 'The Butcher of Anderson Station');
    assert.equal(page.books[3].title, "Caliban's War");
    assert.deepEqual(page.books[0].authors, ['James S.A. Corey']);
    assert.equal(page.books[5].releaseDate, '2099-03-03');
  });

  it('a changed series page is an error naming Goodreads and the page, not an empty series', () => {
    assert.throws(() => parseSeriesPage(fixture('goodreads-series.changed.html'), 'https://gr/series/1'),
      (err: unknown) => err instanceof ServiceError && err.service === 'Goodreads' && /series page layout changed .*gr\/series\/1/.test(err.message));
  });

  it('search rows and book-page series links', () => {
    const rows = parseSearch(fixture('goodreads-search.html'), 'u');
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[0], { title: 'Leviathan Wakes (The Expanse, #1)', href: '/book/show/8855321-leviathan-wakes?from_search=true', authors: ['James S.A. Corey'] });
    assert.deepEqual(parseBookSeriesLinks(fixture('goodreads-book.html'), 'u'), [
      { id: '130102', name: 'The Expanse' }, { id: '999', name: 'Expanse Universe (Reading Order)' },
    ]);
    assert.deepEqual(parseSearch('<html><body><p>No results.</p></body></html>', 'u'), []);
    assert.throws(() => parseSearch('<html><body><div id="app"></div></body></html>', 'u'), /Goodreads: the search page layout changed/);
  });
});
