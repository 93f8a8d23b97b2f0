// Realistic libraries that used to produce wrong or duplicated gaps: shared universes with one
// author per book, books without authors, omnibus editions outside the series, and gap keys
// that must survive the library growing (a changed key means the book is downloaded again).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyse } from '../../lib/gaps/analyse';
import { findGaps, persistGaps } from '../../lib/gaps/find';
import { groupSeries } from '../../lib/gaps/series';
import type { MetadataProvider, ProviderBook, SeriesOutcome, SeriesQuery } from '../../lib/metadata/provider';
import { WantedStore } from '../../lib/store/wanted';
import type { Book } from '../../lib/types';

let n = 0;
const book = (title: string, authors: string[], series: [string, string][], extra: Partial<Book> = {}): Book =>
  ({ id: `id_${++n}`, libraryId: 'lib', title, authors, narrators: [], series: series.map(([name, sequence]) => ({ name, sequence })), path: `/b/${n}`, addedAt: 0, ...extra });
const pb = (sequence: string, title: string, authors: string[], extra: Partial<ProviderBook> = {}): ProviderBook => ({ sequence, title, authors, ...extra });

/** A provider answering every query with the same series, or failing when told to. */
class FakeProvider implements MetadataProvider {
  readonly name = 'audible' as const;
  down = false;
  constructor(private readonly books: ProviderBook[], private readonly seriesId = 'us:SERIES') {}
  async lookupSeries(queries: SeriesQuery[]): Promise<Map<string, SeriesOutcome>> {
    return new Map(queries.map((q): [string, SeriesOutcome] => [q.id, this.down
      ? { provider: 'audible', status: 'failed', error: 'Audible: HTTP 503' }
      : { provider: 'audible', status: 'found', series: { provider: 'audible', seriesId: this.seriesId, name: q.name, books: this.books } }]));
  }
  requestCount(): number { return 0; }
  async close(): Promise<void> {}
}

const HH = 'The Horus Heresy';
const heresy: ProviderBook[] = [
  pb('1', 'Horus Rising', ['Dan Abnett']), pb('2', 'False Gods', ['Graham McNeill']), pb('3', 'Galaxy in Flames', ['Ben Counter']),
  pb('4', 'The Flight of the Eisenstein', ['James Swallow']), pb('5', 'Fulgrim', ['Graham McNeill']), pb('6', 'Descent of Angels', ['Mitchel Scanlon']),
];

describe('lib/gaps shared universes (one author per book)', () => {
  it('interleaved positions by different authors are one series: each hole once', () => {
    const books = [book('Horus Rising', ['Dan Abnett'], [[HH, '1']]), book('False Gods', ['Graham McNeill'], [[HH, '2']]),
      book('Fulgrim', ['Graham McNeill'], [[HH, '5']]), book('Legion', ['Dan Abnett'], [[HH, '7']])];
    const r = analyse(books);
    assert.equal(r.series.length, 1);
    assert.deepEqual(r.gaps.map((g) => g.sequence), ['3', '4', '6']);
    assert.deepEqual(r.series[0].owned, ['1', '2', '5', '7']);
  });

  it('non-interleaved authors that a provider places in one series: its gaps once, by their own authors', async () => {
    const books = [book('Horus Rising', ['Dan Abnett'], [[HH, '1']]), book('Fulgrim', ['Graham McNeill'], [[HH, '5']])];
    assert.equal(groupSeries(books).length, 2, 'without provider evidence they could be two series');
    const r = await findGaps(books, [new FakeProvider(heresy)]);
    assert.deepEqual(r.gaps.map((g) => g.sequence), ['2', '3', '4', '6']);
    assert.deepEqual(r.gaps.map((g) => g.authors[0]), ['Graham McNeill', 'Ben Counter', 'James Swallow', 'Mitchel Scanlon']);
    assert.equal(r.series.length, 1);
  });

  it('same-named series by different authors that both own #1 stay apart', () => {
    const books = [book('A1', ['Ann Author'], [['Legacy', '1']]), book('A3', ['Ann Author'], [['Legacy', '3']]), book('B1', ['Bob Writer'], [['Legacy', '1']]), book('B2', ['Bob Writer'], [['Legacy', '2']])];
    assert.equal(groupSeries(books).length, 2);
  });

  it('a book without authors joins a series of its name only when there is one', () => {
    const twoLegacies = [book('A1', ['Ann Author'], [['Legacy', '1']]), book('A2', ['Ann Author'], [['Legacy', '2']]),
      book('B1', ['Bob Writer'], [['Legacy', '1']]), book('B6', ['Bob Writer'], [['Legacy', '6']]), book('Unknown', [], [['Legacy', '9']])];
    // Joined to Ann's, #9 would open holes 7 and 8 in her series.
    assert.deepEqual(analyse(twoLegacies).gaps.map((g) => g.key), ['series:legacy|bob writer#3', 'series:legacy|bob writer#4', 'series:legacy|bob writer#5']);
    const one = analyse([book('Unknown', [], [['Mistborn', '3']]), book('M1', ['Brandon Sanderson'], [['Mistborn', '1']])]);
    assert.deepEqual(one.gaps.map((g) => g.key), ['series:mistborn|brandon sanderson#2']);
  });
});

describe('lib/gaps a series spread over two libraries', () => {
  it('is one series: what either library owns counts', () => {
    const r = analyse([book('One', ['A Writer'], [['Saga', '1']], { libraryId: 'audiobooks' }), book('Three', ['A Writer'], [['Saga', '3']], { libraryId: 'kids' })]);
    assert.deepEqual(r.series.map((s) => [s.owned, s.missing]), [[['1', '3'], ['2']]]);
  });
});

describe('lib/gaps books owned outside the series', () => {
  const corey = ['James S. A. Corey'];
  const expanse = [pb('1', 'Leviathan Wakes', corey), pb('2', "Caliban's War", corey), pb('3', "Abaddon's Gate", corey), pb('4', 'Cibola Burn', corey), pb('5', 'Nemesis Games', corey)];
  const run = (books: Book[]) => findGaps(books, [new FakeProvider(expanse)]).then((r) => r.gaps.map((g) => g.sequence));

  it('an untagged omnibus naming the series and its range covers those books', async () => {
    assert.deepEqual(await run([book('The Expanse: Books 1-3', corey, []), book('Cibola Burn', corey, [['The Expanse', '4']])]), ['5']);
  });

  it('an omnibus listing its books by title covers them', async () => {
    assert.deepEqual(await run([book("Leviathan Wakes / Caliban's War / Abaddon's Gate", corey, []), book('Cibola Burn', corey, [['The Expanse', '4']])]), ['5']);
  });

  it('an owned book with no authors and the same whole title is owned', async () => {
    assert.deepEqual(await run([book("Caliban's War", [], []), book('Leviathan Wakes', corey, [['The Expanse', '1']])]), ['3', '4', '5']);
  });

  it('"two must agree" means the same book, not any book at the same position', () => {
    const id = 'expanse|james sa corey';
    const out = (second: string) => new Map<string, SeriesOutcome[]>([[id, [
      { provider: 'audible', status: 'found', series: { provider: 'audible', seriesId: 'A', name: 'The Expanse', books: [pb('4', 'Cibola Burn', corey)] } },
      { provider: 'goodreads', status: 'found', series: { provider: 'goodreads', seriesId: 'G', name: 'The Expanse', books: [pb('4', second, corey)] } },
    ]]]);
    const books = [book('Leviathan Wakes', corey, [['The Expanse', '1']])];
    assert.deepEqual(analyse(books, { agreement: 'two' }, out('The Churn')).gaps, []);
    assert.deepEqual(analyse(books, { agreement: 'two' }, out('Cibola Burn (Unabridged)')).gaps.map((g) => g.title), ['Cibola Burn']);
  });
});

describe('lib/gaps stable keys across runs', () => {
  const jordan = ['Robert Jordan'];
  const both = ['Robert Jordan', 'Brandon Sanderson'];
  const WOT = 'The Wheel of Time';
  const catalog = [pb('12', 'The Gathering Storm', both), pb('13', 'Towers of Midnight', both), pb('14', 'A Memory of Light', both), pb('15', 'River of Souls', both)];

  it('a book keeps its key when a new book changes the series\' main author; failed-provider gaps under the old key are kept', async () => {
    const store = await WantedStore.open(mkdtempSync(join(tmpdir(), 'abg-keys-')));
    const provider = new FakeProvider(catalog);
    // Run 1: only the co-written books; the tie between the two authors picks "brandon sanderson".
    const first = await findGaps([book('The Gathering Storm', both, [[WOT, '12']]), book('A Memory of Light', both, [[WOT, '14']])], [provider]);
    await persistGaps(store, first);
    const old13 = 'series:wheel of time|brandon sanderson#13';
    assert.deepEqual(first.gaps.map((g) => g.key), [old13, 'series:wheel of time|brandon sanderson#15']);
    await store.setState(old13, 'queued', { hash: 'h13' }, 'added to qBittorrent');
    // Run 2: book 1 (Jordan alone) makes "robert jordan" the main author; the provider is down.
    provider.down = true;
    const second = await findGaps([book('The Eye of the World', jordan, [[WOT, '1']]), book('The Gathering Storm', both, [[WOT, '12']]), book('A Memory of Light', both, [[WOT, '14']])], [provider]);
    assert.equal(second.series[0].key, 'wheel of time|robert jordan');
    const saved = await persistGaps(store, second);
    assert.ok(saved.gaps.some((g) => g.key === old13 && g.sequence === '13'), 'book 13 keeps its key');
    assert.equal(await store.get('series:wheel of time|robert jordan#13'), null, 'no second record for book 13');
    assert.equal((await store.get(old13))?.state, 'queued');
    assert.equal((await store.get('series:wheel of time|brandon sanderson#15'))?.state, 'wanted', 'kept while the provider is down');
    assert.ok(second.series[0].missing.includes('15'));
    assert.equal(saved.resolved, 0);
  });
});
