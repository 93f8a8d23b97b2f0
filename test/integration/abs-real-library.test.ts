// abs-library → series-gaps (library only) in Node-RED against a REAL Audiobookshelf 2.36.0
// (test/helpers/audiobookshelf.ts): books tagged by ffmpeg the ways rippers tag them, series
// read back with their sequences, a hole at 3 in 1, 2, 4, and books whose files were deleted.
// The simulator tests (test/nodes/abs-library.test.ts, test/lib/abs-*.test.ts) keep the faults.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { MISSING_REASON, type MissingBook } from '../../lib/abs/missing';
import { forgetStores } from '../../lib/store/store';
import type { Book, Gap } from '../../lib/types';
import absServerNode from '../../nodes/abs-server/abs-server';
import absLibraryNode from '../../nodes/abs-library/abs-library';
import seriesGapsNode from '../../nodes/series-gaps/series-gaps';
import { absServer, bookTags, type AbsServer } from '../helpers/audiobookshelf';
import { helper, tempStoreDir, withStore } from '../helpers/node-red';

type Msg = { payload: Book[]; missingBooks: MissingBook[] };
type GapMsg = { payload: Gap[] };
type Spied = NodeJS.EventEmitter & { receive(m: object): void; warn: { args: unknown[][] } };

describe('integration: abs-library and series-gaps with a real Audiobookshelf', function () {
  this.timeout(240_000); // a cold run installs the ABS server first (~2.5 min); warm runs take seconds
  let abs: AbsServer;
  before(async () => { abs = await absServer(); });
  afterEach(async () => { await helper.unload(); forgetStores(); });

  async function run(libraryId: string, keepMissing = false): Promise<{ books: Msg; gaps: GapMsg; warnings: string[] }> {
    withStore(tempStoreDir('abg-real-lib-'));
    const flow = [
      { id: 'abs', type: 'abs-server', url: abs.url, timeout: 10 },
      { id: 'lib', type: 'abs-library', server: 'abs', library: libraryId, pageSize: 2, property: 'payload', keepMissing, wires: [['books', 'gaps']] },
      { id: 'gaps', type: 'series-gaps', providers: '', wires: [['out']] },
      { id: 'books', type: 'helper' },
      { id: 'out', type: 'helper' },
    ];
    await helper.load([absServerNode, absLibraryNode, seriesGapsNode], flow, { abs: { token: abs.apiKey } });
    const books = new Promise<Msg>((resolve) => helper.getNode('books').once('input', resolve));
    const gaps = new Promise<GapMsg>((resolve) => helper.getNode('out').once('input', resolve));
    const lib = helper.getNode('lib') as unknown as Spied;
    lib.receive({ payload: 'go' });
    const [b, g] = await Promise.all([books, gaps]);
    return { books: b, gaps: g, warnings: lib.warn.args.map((a) => String(a[0])) };
  }

  it('reads books tagged the usual ways, with every series and sequence; library-only gaps find the hole at 3 in 1, 2, 4', async () => {
    const { id } = await abs.createLibrary('Tagged', [
      // m4b with series / series-part tags (and an ASIN), two audio files
      { dir: 'Jane Doe/Moon/Book 1 - Moon Rise', files: ['01.m4b', '02.m4b'], tags: bookTags({ title: 'Moon Rise', author: 'Jane Doe', series: 'Moon', part: '1', asin: 'B00MOON001' }) },
      // mp3 (ID3v2.3) with a grouping tag naming two series
      { dir: 'Jane Doe/Moon/Book 2 - Moon Set', format: 'mp3', tags: { ...bookTags({ title: 'Moon Set', author: 'Jane Doe' }), grouping: 'Moon #2; Sky Cycle #5' } },
      { dir: 'Jane Doe/Moon/Book 4 - Moon Fall', tags: bookTags({ title: 'Moon Fall', author: 'Jane Doe', series: 'Moon', part: '4' }) },
      // untagged audio with ABS's metadata.json beside it: a half-step sequence
      { dir: 'John Roe/Solo/Lone', format: 'mp3', metadataJson: { title: 'Lone Book', authors: ['John Roe'], narrators: ['Ann Reader'], series: ['Solo #1.5'], publishedYear: '2019' } },
    ]);
    const { books, gaps, warnings } = await run(id);
    const byTitle = new Map(books.payload.map((b) => [b.title, b]));
    assert.deepEqual([...byTitle.keys()].sort(), ['Lone Book', 'Moon Fall', 'Moon Rise', 'Moon Set']);
    const rise = byTitle.get('Moon Rise')!;
    assert.deepEqual([rise.authors, rise.series, rise.asin, rise.libraryId], [['Jane Doe'], [{ name: 'Moon', sequence: '1' }], 'B00MOON001', id]);
    assert.ok(rise.path.endsWith('/Jane Doe/Moon/Book 1 - Moon Rise') && rise.addedAt > 0);
    assert.deepEqual(byTitle.get('Moon Set')!.series.map((s) => `${s.name}#${s.sequence}`).sort(), ['Moon#2', 'Sky Cycle#5']);
    assert.deepEqual(byTitle.get('Moon Fall')!.series, [{ name: 'Moon', sequence: '4' }]);
    const lone = byTitle.get('Lone Book')!;
    assert.deepEqual([lone.authors, lone.narrators, lone.series, lone.publishedYear], [['John Roe'], ['Ann Reader'], [{ name: 'Solo', sequence: '1.5' }], 2019]);
    assert.deepEqual([books.missingBooks, warnings], [[], []]);
    // Library only: one hole, Moon #3; "Sky Cycle" (#5 alone) and "Solo" (#1.5 alone) have none.
    assert.deepEqual(gaps.payload.map((g) => [g.series, g.sequence, g.source]), [['Moon', '3', 'library']]);
    assert.match(gaps.payload[0].reason, /^hole in the owned sequence/);
  });

  it('a book whose files were deleted (ABS flags it missing after a rescan) is not owned: left out, named once, and its gap comes back saying why', async () => {
    const { id, folder } = await abs.createLibrary('Deleted files', [1, 2, 3].map((n) => (
      { dir: `Ann Other/Star/Book ${n} - Star ${n}`, tags: bookTags({ title: `Star ${n}`, author: 'Ann Other', series: 'Star', part: String(n) }) }
    )));
    rmSync(join(folder, 'Ann Other', 'Star', 'Book 2 - Star 2'), { recursive: true });
    await abs.scan(id);

    const { books, gaps, warnings } = await run(id);
    assert.deepEqual(books.payload.map((b) => b.title).sort(), ['Star 1', 'Star 3']);
    assert.deepEqual(books.missingBooks.map((m) => [m.book.title, m.flag]), [['Star 2', 'missing']]);
    assert.equal(warnings.length, 1, 'one warning');
    assert.match(warnings[0], /^Audiobookshelf: left out 1 book whose files are missing in Audiobookshelf .*"Star 2" \(.*\/Ann Other\/Star\/Book 2 - Star 2\)/);
    assert.deepEqual(gaps.payload.map((g) => [g.series, g.sequence, g.reason]), [['Star', '2', MISSING_REASON]]);
    await helper.unload();

    // Kept on request: owned again, no gap, and the warning says it was kept.
    const kept = await run(id, true);
    assert.deepEqual(kept.books.payload.map((b) => b.title).sort(), ['Star 1', 'Star 2', 'Star 3']);
    assert.deepEqual(kept.gaps.payload, []);
    assert.match(kept.warnings.join('\n'), /kept 1 book whose files are missing in Audiobookshelf/);
  });
});
