import assert from 'node:assert/strict';
import { AbsClient } from '../../lib/abs/client';
import { PAGE_SORT, readLibrary } from '../../lib/abs/library-reader';
import type { Book } from '../../lib/types';
import { startAbsSim, type AbsSim } from '../sim/abs-sim';

const GUARDS = 'a50bb88b-80a1-4ab4-936e-cad09de96a0a';

describe('lib/abs readLibrary', () => {
  let sim: AbsSim;
  let client: AbsClient;
  const open = async (opts: Parameters<typeof startAbsSim>[0] = {}) => {
    sim = await startAbsSim(opts);
    client = new AbsClient({ baseUrl: sim.url, token: sim.token, retries: 0 });
  };
  const itemRequests = () => sim.requests.filter((r) => r.path.endsWith('/items'));
  const batchRequests = () => sim.requests.filter((r) => r.path === '/api/items/batch/get');
  const byTitle = (books: Book[], title: string) => books.find((b) => b.title === title);
  afterEach(async () => { await client?.close(); await sim?.close(); });

  it('maps the recorded library to Book[] with every series and its sequence', async () => {
    await open();
    const { books, warnings } = await readLibrary(client, { libraryIds: [sim.libraryIds.audiobooks], pageSize: 5 });
    assert.equal(books.length, 12);
    assert.deepEqual(warnings, []);
    const guards = books.find((b) => b.id === GUARDS);
    assert.deepEqual(guards, {
      id: GUARDS, libraryId: sim.libraryIds.audiobooks, title: 'Guards! Guards!', authors: ['Terry Pratchett'], narrators: ['Nigel Planer'],
      series: [{ name: 'Discworld', sequence: '8' }, { name: 'Discworld - City Watch', sequence: '1' }],
      path: '/work/steering/heldout/abs-data/library/Terry Pratchett/Discworld/Guards! Guards!', addedAt: 1795528877047, publishedYear: 1989,
      // media.duration (seconds of audio): the length prior for the series' other books.
      durationSec: 5.067755,
    });
    assert.deepEqual(byTitle(books, 'The Butcher of Anderson Station')?.series, [{ name: 'The Expanse', sequence: '1.5' }]);
    assert.deepEqual(byTitle(books, 'The Butcher of Anderson Station')?.narrators, []);
    assert.equal(byTitle(books, 'Cien años de soledad')?.language, 'Spanish');
    assert.equal(byTitle(books, 'Sapiens')?.subtitle, 'A Brief History of Humankind');
    assert.deepEqual(byTitle(books, 'Uprooted')?.series, []);
    assert.equal(byTitle(books, 'The Golden Enclaves')?.publishedYear, undefined);
  });

  it('keeps sequences as written and null when unset', async () => {
    await open();
    sim.addItem({ title: 'Omnibus', authors: ['A. Writer'], series: [{ name: 'Saga', sequence: '1-3' }, { name: 'Saga Extras', sequence: null }], asin: 'B000000001', isbn: '9780000000001', addedAt: Date.now() });
    const { books } = await readLibrary(client, { libraryIds: [sim.libraryIds.audiobooks], pageSize: 50 });
    const omnibus = byTitle(books, 'Omnibus');
    assert.deepEqual(omnibus?.series, [{ name: 'Saga', sequence: '1-3' }, { name: 'Saga Extras', sequence: null }]);
    assert.deepEqual([omnibus?.asin, omnibus?.isbn], ['B000000001', '9780000000001']);
  });

  it('pages with sort every time, stops on the reported total, and batches the full items', async () => {
    await open({ generate: { books: 1000, series: 200 } });
    const progress: [number, number][] = [];
    const { books } = await readLibrary(client, { libraryIds: [sim.libraryIds.generated], pageSize: 100, onProgress: (r, t) => progress.push([r, t]) });
    assert.equal(books.length, 1000);
    assert.equal(new Set(books.map((b) => b.id)).size, 1000);
    assert.equal(itemRequests().length, 10, 'no empty 11th page: the total says we are done');
    assert.ok(itemRequests().every((r) => r.query.sort === PAGE_SORT && r.query.limit === '100'));
    assert.deepEqual(itemRequests().map((r) => r.query.page), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.equal(batchRequests().length, 10, 'one batch/get per page, not one request per book');
    assert.equal(sim.requests.length, 21);
    assert.deepEqual(progress.at(0), [100, 1000]);
    assert.deepEqual(progress.at(-1), [1000, 1000]);
    // Book 50 of the generator sits in two series.
    const multi = books.filter((b) => b.series.length === 2);
    assert.equal(multi.length, 20);
    assert.deepEqual(multi[0].series, [{ name: 'Generated Series 0050', sequence: '1' }, { name: 'Generated Universe', sequence: '1' }]);
  });

  it('stops on a short page', async () => {
    await open();
    await readLibrary(client, { libraryIds: [sim.libraryIds.audiobooks], pageSize: 5 });
    assert.deepEqual(itemRequests().map((r) => [r.query.page, r.query.sort]), [['0', 'addedAt'], ['1', 'addedAt'], ['2', 'addedAt']]);
  });

  it('reads all book libraries and skips the podcast library with a warning', async () => {
    await open({ generate: { books: 7, series: 2 } });
    const { books, warnings, libraries } = await readLibrary(client, { libraryIds: 'all', pageSize: 200 });
    assert.equal(books.length, 19);
    assert.deepEqual(libraries.map((l) => [l.name, l.total]), [['Audiobooks', 12], ['Generated', 7]]);
    assert.deepEqual(warnings, ['skipped library "Podcasts": it holds podcasts, not books']);
    assert.ok(!sim.requests.some((r) => r.path.includes(sim.libraryIds.podcasts)));
  });

  it('names an unknown library', async () => {
    await open();
    await assert.rejects(readLibrary(client, { libraryIds: ['nope'] }), /Audiobookshelf: library nope not found \(the key sees: Audiobooks, Generated, Podcasts\)/);
  });

  it('throws on a 500 half-way and fetches nothing more', async () => {
    await open();
    sim.setFault({ kind: 'server-error', page: 1 });
    await assert.rejects(readLibrary(client, { libraryIds: 'all', pageSize: 5 }), /Audiobookshelf: server error on page 1 of library .* \(HTTP 500\)/);
    assert.equal(batchRequests().length, 0);
    assert.equal(itemRequests().length, 2);
  });

  it('throws on malformed JSON in a page', async () => {
    await open();
    sim.setFault({ kind: 'malformed', page: 2 });
    await assert.rejects(readLibrary(client, { libraryIds: 'all', pageSize: 5 }), /Audiobookshelf: answered with something that is not JSON/);
  });

  it('names the item and the field when a book lacks its title or media', async () => {
    await open();
    const broken = sim.addItem({ id: 'broken-1', title: 'X', authors: ['Y'] });
    delete broken.media.metadata.title;
    await assert.rejects(readLibrary(client, { libraryIds: 'all' }), /Audiobookshelf: item broken-1 has no valid "media.metadata.title"/);
    broken.media = null;
    await assert.rejects(readLibrary(client, { libraryIds: 'all' }), /Audiobookshelf: item broken-1 has no valid "media"/);
    broken.media = { metadata: { title: 'Z', authors: 'Y', narrators: [], series: [] } };
    await assert.rejects(readLibrary(client, { libraryIds: 'all' }), /item broken-1 \("Z"\) has no valid "media.metadata.authors"/);
  });

  it('starts over when a page shifts under it (book inserted ahead, book deleted behind)', async () => {
    await open();
    sim.setFault({ kind: 'page-shift', page: 1, mode: 'insert' });
    const first = await readLibrary(client, { libraryIds: [sim.libraryIds.audiobooks], pageSize: 5 });
    assert.equal(first.books.length, 13);
    assert.equal(new Set(first.books.map((b) => b.id)).size, 13);
    sim.setFault({ kind: 'page-shift', page: 2, mode: 'delete' });
    sim.requests.length = 0;
    const second = await readLibrary(client, { libraryIds: [sim.libraryIds.audiobooks], pageSize: 5 });
    assert.deepEqual(second.books.map((b) => b.id).sort(), sim.state.items.filter((i) => i.libraryId === sim.libraryIds.audiobooks).map((i) => i.id).sort());
    assert.equal(second.books.length, 12);
    assert.equal(itemRequests().length, 3 + 3, 'read once until the total changed, then once more');
  });

  it('reads again when the pages hold fewer books than the total (unstable order), and gives up clearly if it persists', async () => {
    await open();
    sim.setFault({ kind: 'unstable-order', page: 1 });
    const { books } = await readLibrary(client, { libraryIds: [sim.libraryIds.audiobooks], pageSize: 5 });
    assert.equal(new Set(books.map((b) => b.id)).size, 12, 'no book silently missing');
    assert.equal(itemRequests().length, 3 + 3, 'one short read, then a full one');
    const always = new AbsClient({ baseUrl: sim.url, token: sim.token, retries: 0 });
    const real = always.listItems.bind(always);
    // Every read comes back one short: after the restarts the reader says so instead of guessing.
    always.listItems = async (id, o) => { const page = await real(id, o); return { ...page, results: o.page === 0 ? page.results.slice(1) : page.results }; };
    await assert.rejects(readLibrary(always, { libraryIds: [sim.libraryIds.audiobooks], pageSize: 5 }), /Audiobookshelf: library "Audiobooks" kept changing while it was read \(the pages did not add up to the reported total\)/);
    await always.close();
  });

  it('leaves out, with a warning, a book deleted between listing and batch/get', async () => {
    await open();
    const real = client.batchGetItems.bind(client);
    client.batchGetItems = async (ids) => {
      sim.state.items = sim.state.items.filter((i) => i.id !== GUARDS);
      return real(ids);
    };
    const { books, warnings } = await readLibrary(client, { libraryIds: [sim.libraryIds.audiobooks] });
    assert.equal(books.length, 11);
    assert.deepEqual(warnings, [`item ${GUARDS} in "Audiobooks" disappeared while reading (deleted?); left out`]);
  });

  it('reads a podcast library asked for by id as nothing, with a warning', async () => {
    await open();
    const { books, warnings } = await readLibrary(client, { libraryIds: [sim.libraryIds.podcasts] });
    assert.deepEqual([books.length, warnings.length], [0, 1]);
  });

  it('stops when aborted', async () => {
    await open();
    const ac = new AbortController();
    await assert.rejects(readLibrary(client, { libraryIds: 'all', pageSize: 5, signal: ac.signal, onProgress: () => ac.abort() }), /reading the library was stopped/);
    assert.equal(itemRequests().length, 1);
  });
});
