// A wanted book keeps one record however its key would be spelled today: when a provider
// renumbers a series (a new book takes the old position of a book already queued), and when
// the same book is found once by the author back-catalogue and once as a series gap. Two
// records for one book mean it is searched and downloaded twice; one record taken over by
// another book means that book is never searched.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findGaps, persistGaps, type FindOptions } from '../../lib/gaps/find';
import type { MetadataProvider, ProviderBook, SeriesOutcome, SeriesQuery } from '../../lib/metadata/provider';
import { WantedStore } from '../../lib/store/wanted';
import type { Book } from '../../lib/types';

let n = 0;
const ANN = ['Ann Author'];
const book = (title: string, series: [string, string][], extra: Partial<Book> = {}): Book =>
  ({ id: `id_${++n}`, libraryId: 'lib', title, authors: ANN, narrators: [], series: series.map(([name, sequence]) => ({ name, sequence })), path: `/b/${n}`, addedAt: 0, ...extra });
const pb = (sequence: string, title: string, asin?: string, extra: Partial<ProviderBook> = {}): ProviderBook => ({ sequence, title, authors: ANN, ...(asin ? { asin } : {}), ...extra });

/** Answers each series by name from `series`, the author's books from `byAuthor`; `down` fails everything. */
class ScriptedProvider implements MetadataProvider {
  readonly name = 'audible' as const;
  down = false;
  series: Record<string, ProviderBook[]> = {};
  byAuthor: ProviderBook[] = [];
  async lookupSeries(queries: SeriesQuery[]): Promise<Map<string, SeriesOutcome>> {
    return new Map(queries.map((q): [string, SeriesOutcome] => {
      if (this.down) return [q.id, { provider: 'audible', status: 'failed', error: 'Audible: HTTP 503' }];
      const books = this.series[q.name];
      return [q.id, books ? { provider: 'audible', status: 'found', series: { provider: 'audible', seriesId: `us:${q.name}`, name: q.name, books } } : { provider: 'audible', status: 'not_found', reason: 'unknown' }];
    }));
  }
  async authorBooks(): Promise<ProviderBook[]> {
    if (this.down) throw new Error('Audible: HTTP 503');
    return this.byAuthor;
  }
  requestCount(): number { return 0; }
  async close(): Promise<void> {}
}

const store = () => WantedStore.open(mkdtempSync(join(tmpdir(), 'abg-rekey-')));
const run = async (s: WantedStore, books: Book[], p: ScriptedProvider, options: FindOptions = {}) => persistGaps(s, await findGaps(books, [p], options));
const K = (pos: string) => `series:saga|ann author#${pos}`;

describe('lib/gaps a provider renumbers a series', () => {
  const owned = [book('One', [['Saga', '1']]), book('Two', [['Saga', '2']])];
  const X = pb('3', 'Xanadu', 'B0XXXXXXX1');
  const Y = pb('3', 'Yonder', 'B0YYYYYYY1');

  async function renumbered(): Promise<{ s: WantedStore; p: ScriptedProvider }> {
    const s = await store();
    const p = new ScriptedProvider();
    p.series.Saga = [X];
    await run(s, owned, p);
    await s.setState(K('3'), 'queued', { hash: 'hx' }, 'added to qBittorrent');
    // Y is new at #3, X moved to #4.
    p.series.Saga = [Y, { ...X, sequence: '4' }];
    return { s, p };
  }

  it('the queued book keeps its record by ASIN; the new book at its old position gets its own, wanted', async () => {
    const { s, p } = await renumbered();
    const saved = await run(s, owned, p);
    const byTitle = new Map(saved.gaps.map((g) => [g.title, g.key]));
    assert.equal(byTitle.get('Xanadu'), K('3'), 'X found its record by ASIN');
    assert.equal(byTitle.get('Yonder'), 'asin:B0YYYYYYY1');
    const x = await s.get(K('3'));
    assert.equal(x?.state, 'queued');
    assert.equal(x?.gap.asin, 'B0XXXXXXX1', 'not taken over by Y');
    assert.equal(x?.gap.sequence, '4');
    assert.equal(await s.get(K('4')), null, 'no second record for X');
    assert.equal((await s.get('asin:B0YYYYYYY1'))?.state, 'wanted', 'Y will be searched');
    assert.equal(saved.added, 1);
    // The next run changes nothing.
    const again = await run(s, owned, p);
    assert.deepEqual([again.added, again.resolved], [0, 0]);
    assert.deepEqual(again.gaps.map((g) => g.key).sort(), [K('3'), 'asin:B0YYYYYYY1'].sort());
  });

  it('a book already imported is not handed the new book at its old position', async () => {
    const { s, p } = await renumbered();
    await s.setState(K('3'), 'imported', {}, 'in the library');
    const withX = [...owned, book('Xanadu', [['Saga', '4']], { asin: 'B0XXXXXXX1' })];
    const saved = await run(s, withX, p);
    assert.deepEqual(saved.gaps.map((g) => [g.key, g.title]), [['asin:B0YYYYYYY1', 'Yonder']]);
    assert.equal((await s.get('asin:B0YYYYYYY1'))?.state, 'wanted');
    assert.equal((await s.get(K('3')))?.gap.title, 'Xanadu');
  });

  it('without ASINs, books find their records by the position last stored', async () => {
    const { s, p } = await renumbered();
    await run(s, owned, p);
    p.series.Saga = [pb('3', 'Yonder'), pb('4', 'Xanadu')];
    const saved = await run(s, owned, p);
    assert.deepEqual(saved.gaps.map((g) => [g.title, g.key]), [['Yonder', 'asin:B0YYYYYYY1'], ['Xanadu', K('3')]]);
    assert.equal(saved.added, 0);
    assert.equal((await s.get(K('3')))?.state, 'queued');
  });

  it('a gap without an ASIN at a position whose record moved on gets a key of its own', async () => {
    const { s, p } = await renumbered();
    p.series.Saga = [pb('3', 'Yonder'), { ...X, sequence: '4' }];
    const saved = await run(s, owned, p);
    assert.deepEqual(saved.gaps.map((g) => [g.title, g.key]), [['Yonder', `${K('3')}~2`], ['Xanadu', K('3')]]);
    assert.equal((await s.get(`${K('3')}~2`))?.state, 'wanted');
    assert.equal((await s.get(K('3')))?.gap.title, 'Xanadu');
  });

  it('a book recorded under its ASIN is kept, not resolved, while the provider is down', async () => {
    const { s, p } = await renumbered();
    await run(s, owned, p);
    p.down = true;
    const saved = await run(s, owned, p);
    assert.equal(saved.resolved, 0);
    assert.equal((await s.get('asin:B0YYYYYYY1'))?.state, 'wanted');
    assert.ok(saved.kept.some((g) => g.key === 'asin:B0YYYYYYY1'));
  });
});

describe('lib/gaps the same book from the author back-catalogue and from a series', () => {
  const other = book('Elsewhere', [['Other', '1']]);
  const A = pb('2', 'Second Saga Book', 'B0AAAAAAA1', { series: [{ name: 'Saga', sequence: '2' }] });
  const options: FindOptions = { authorBackCatalogue: true };

  it('found first by the back-catalogue, later as a series gap: one record, still queued', async () => {
    const s = await store();
    const p = new ScriptedProvider();
    p.byAuthor = [A];
    const first = await run(s, [other], p, options);
    assert.deepEqual(first.gaps.map((g) => g.key), ['asin:B0AAAAAAA1']);
    await s.setState('asin:B0AAAAAAA1', 'queued', { hash: 'ha' });
    // The user added book 1 of the series: the book is now a series gap.
    p.series.Saga = [pb('1', 'Saga One', 'B0AAAAAAA0'), A];
    const second = await run(s, [other, book('Saga One', [['Saga', '1']])], p, options);
    const gap = second.gaps.find((g) => g.asin === 'B0AAAAAAA1');
    assert.equal(gap?.kind, 'series');
    assert.equal(gap?.key, 'asin:B0AAAAAAA1');
    assert.equal(second.added, 0);
    assert.equal(await s.get(K('2')), null);
    assert.equal((await s.get('asin:B0AAAAAAA1'))?.state, 'queued');
  });

  it('found first as a series gap, later by the back-catalogue: one record', async () => {
    const s = await store();
    const p = new ScriptedProvider();
    p.series.Saga = [pb('1', 'Saga One', 'B0AAAAAAA0'), A];
    const first = await run(s, [other, book('Saga One', [['Saga', '1']])], p, options);
    assert.deepEqual(first.gaps.map((g) => g.key), [K('2')]);
    await s.setState(K('2'), 'queued', { hash: 'ha' });
    // The series book left the library: only the back-catalogue still names the book.
    p.byAuthor = [A];
    const second = await run(s, [other], p, options);
    assert.deepEqual(second.gaps.map((g) => [g.kind, g.key]), [['author', K('2')]]);
    assert.equal(second.added, 0);
    assert.equal(await s.get('asin:B0AAAAAAA1'), null);
    assert.equal((await s.get(K('2')))?.state, 'queued');
  });
});
