// One series-gaps run: what is asked of each provider (the owned positions, the author
// back-catalogue with its cap and language), what a failing provider turns into (one warning,
// its gaps kept), and how the kept gaps show in the series row.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findGaps, persistGaps, toQuery } from '../../lib/gaps/find';
import { groupSeries } from '../../lib/gaps/series';
import type { MetadataProvider, ProviderBook, ProviderName, SeriesOutcome, SeriesQuery } from '../../lib/metadata/provider';
import { WantedStore } from '../../lib/store/wanted';
import type { Book } from '../../lib/types';

let n = 0;
const book = (title: string, authors: string[], series: [string, string][], extra: Partial<Book> = {}): Book =>
  ({ id: `f_${++n}`, libraryId: 'lib', title, authors, narrators: [], series: series.map(([name, sequence]) => ({ name, sequence })), path: `/f/${n}`, addedAt: 0, ...extra });
const ANN = ['Ann Author'];
const pb = (sequence: string, title: string, extra: Partial<ProviderBook> = {}): ProviderBook => ({ sequence, title, authors: ANN, ...extra });

class Provider implements MetadataProvider {
  series: Record<string, ProviderBook[]> = {};
  failSeries = false;
  byAuthor: ProviderBook[] = [];
  authorError?: string;
  asked: { author: string; cap: number; language?: string }[] = [];
  authorBooks?: MetadataProvider['authorBooks'];
  constructor(readonly name: ProviderName, withAuthors = true) {
    if (withAuthors) {
      this.authorBooks = async (author: string, cap: number, language?: string) => {
        this.asked.push({ author, cap, ...(language ? { language } : {}) });
        if (this.authorError) throw new Error(this.authorError);
        return this.byAuthor;
      };
    }
  }
  async lookupSeries(queries: SeriesQuery[]): Promise<Map<string, SeriesOutcome>> {
    const out = new Map<string, SeriesOutcome>();
    for (const q of queries) {
      if (this.failSeries) out.set(q.id, { provider: this.name, status: 'failed', error: `${this.name}: HTTP 503` });
      else if (this.series[q.name]) out.set(q.id, { provider: this.name, status: 'found', series: { provider: this.name, seriesId: q.name, name: q.name, books: this.series[q.name] } });
      // Other series: no answer at all.
    }
    return out;
  }
  requestCount(): number { return 0; }
  async close(): Promise<void> {}
}

describe('lib/gaps one run', () => {
  it('asks for each series with every owned position: lettered and half books as written, an omnibus per book', () => {
    const [group] = groupSeries([book('a', ANN, [['Saga', '1']]), book('b', ANN, [['Saga', '2a']]), book('c', ANN, [['Saga', '1.5']]), book('d', ANN, [['Saga', '3-4']])]);
    assert.deepEqual(toQuery(group).ownedPositions, ['1', '2a', '1.5', '3', '4']);
  });

  it('a provider that does not answer for a series leaves it to the library and the others', async () => {
    const p = new Provider('audible');
    p.series.Saga = [pb('3', 'Three')];
    const r = await findGaps([book('a', ANN, [['Saga', '1']]), book('b', ANN, [['Saga', '2']]), book('x', ANN, [['Other', '1']]), book('y', ANN, [['Other', '3']])], [p]);
    assert.deepEqual(r.gaps.map((g) => g.key), ['series:saga|ann author#3', 'series:other|ann author#2']);
    assert.deepEqual(r.series.map((s) => s.sources), [['library', 'audible'], ['library']]);
    assert.deepEqual(r.failedProviders, []);
    assert.deepEqual(r.warnings, []);
  });

  it('back-catalogue: each author once, at the default cap, in the language of that author\'s books; a provider without it is skipped', async () => {
    const p = new Provider('audible');
    const silent = new Provider('hardcover', false);
    const books = [
      book('a', ANN, [['Saga', '1']], { language: 'German' }), book('b', ANN, [['Saga', '2']], { language: 'German' }),
      book('c', ['Bob Writer'], [['Legacy', '1']], { language: 'French' }), book('d', [], [['Orphans', '1']]),
    ];
    await findGaps(books, [silent, p], { authorBackCatalogue: true });
    assert.deepEqual(p.asked, [{ author: 'Ann Author', cap: 10, language: 'german' }, { author: 'Bob Writer', cap: 10, language: 'french' }]);
    p.asked = [];
    await findGaps(books.slice(0, 2), [p], { authorBackCatalogue: true, authorCap: 3 });
    assert.deepEqual(p.asked, [{ author: 'Ann Author', cap: 3, language: 'german' }]);
  });

  it('a provider that failed for the series is not asked for authors; one that fails for an author stops there and is named once', async () => {
    const down = new Provider('audible');
    down.failSeries = true;
    const flaky = new Provider('hardcover');
    flaky.authorError = 'Hardcover: HTTP 502';
    const books = [book('a', ANN, [['Saga', '1']]), book('b', ANN, [['Saga', '3']]), book('c', ['Bob Writer'], [['Legacy', '1']])];
    const r = await findGaps(books, [down, flaky], { authorBackCatalogue: true });
    assert.deepEqual(down.asked, []);
    assert.deepEqual(flaky.asked.map((a) => a.author), ['Ann Author'], 'no second author after a failure');
    assert.deepEqual(r.failedProviders, ['audible', 'hardcover']);
    assert.deepEqual(r.warnings, [
      'audible unavailable for 2 series: audible: HTTP 503. Library-only gaps were still reported.',
      'hardcover unavailable: Hardcover: HTTP 502. Library-only gaps were still reported.',
    ]);
    assert.deepEqual(r.gaps.map((g) => g.sequence), ['2'], 'the library hole still');
  });
});

describe('lib/gaps persisting a run whose provider failed', () => {
  const owned = [book('One', ANN, [['Saga', '1']]), book('Three', ANN, [['Saga', '3']])];
  const K = (pos: string) => `series:saga|ann author#${pos}`;

  it('gaps found before are kept and listed in the series row in order; a queued, an already reported or another provider\'s author gap is not kept again', async () => {
    const s = await WantedStore.open(mkdtempSync(join(tmpdir(), 'abg-find-')));
    const p = new Provider('audible');
    const other = new Provider('hardcover');
    p.series.Saga = [pb('4', 'Four'), pb('10', 'Ten'), pb('11', 'Eleven')];
    p.byAuthor = [pb('', 'Solo', { series: [{ name: 'Elsewhere', sequence: '2' }] })];
    other.byAuthor = [pb('', 'Other Solo')];
    const first = await persistGaps(s, await findGaps(owned, [p, other], { authorBackCatalogue: true }));
    assert.deepEqual(first.gaps.map((g) => g.key), [K('2'), K('4'), K('10'), K('11'), 'author:ann author|solo', 'author:ann author|other solo']);
    await s.setState(K('11'), 'queued');
    p.failSeries = true;
    p.authorError = 'audible: HTTP 503';
    const second = await persistGaps(s, await findGaps(owned, [p, other], { authorBackCatalogue: true }));
    assert.deepEqual(second.kept.map((g) => g.key).sort(), [K('10'), K('4'), 'author:ann author|solo'].sort());
    assert.deepEqual(second.gaps.filter((g) => g.key === K('2')).length, 1, 'the library hole once');
    assert.equal(second.resolved, 0);
    const fresh = await findGaps(owned, [p, other], { authorBackCatalogue: true });
    const saved = await persistGaps(s, fresh);
    assert.deepEqual(fresh.series[0].missing, ['2', '4', '10'], 'in series order, not text order');
    assert.deepEqual(saved.kept.map((g) => g.key).sort(), [K('10'), K('4'), 'author:ann author|solo'].sort());
    assert.equal((await s.get('author:ann author|other solo'))?.state, 'wanted', 'hardcover answered and still lists it');
  });

  it('a series that left the library is resolved even while its provider is down', async () => {
    const s = await WantedStore.open(mkdtempSync(join(tmpdir(), 'abg-find-')));
    const p = new Provider('audible');
    p.series.Saga = [pb('4', 'Four')];
    const other = [book('x', ANN, [['Other', '1']])];
    await persistGaps(s, await findGaps([...owned, ...other], [p]));
    p.failSeries = true;
    const saved = await persistGaps(s, await findGaps(other, [p]));
    assert.deepEqual(saved.kept, []);
    assert.equal((await s.get(K('4')))?.state, 'resolved');
  });

  it('when every provider answered, gaps that vanished are resolved, not kept', async () => {
    const s = await WantedStore.open(mkdtempSync(join(tmpdir(), 'abg-find-')));
    const p = new Provider('audible');
    p.series.Saga = [pb('4', 'Four')];
    await persistGaps(s, await findGaps(owned, [p]));
    p.series.Saga = [];
    const saved = await persistGaps(s, await findGaps(owned, [p]));
    assert.deepEqual(saved.kept, []);
    assert.equal(saved.resolved, 1);
    assert.equal((await s.get(K('4')))?.state, 'resolved');
  });
});
