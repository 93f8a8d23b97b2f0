// The list endpoint only carries `seriesName` text ("Discworld #8, Discworld - City Watch #1",
// in either order). The reader takes exact series from batch/get instead; this checks, for
// every series text shape in the recorded fixtures, that the books it produces say the same.
import assert from 'node:assert/strict';
import { AbsClient } from '../../lib/abs/client';
import { readLibrary, PAGE_SORT } from '../../lib/abs/library-reader';
import { startAbsSim, type AbsSim } from '../sim/abs-sim';

const asText = (series: { name: string; sequence: string | null }[]) =>
  series.map((s) => (s.sequence ? `${s.name} #${s.sequence}` : s.name));

describe('lib/abs series text in the fixtures vs exact series', () => {
  let sim: AbsSim;
  let client: AbsClient;
  before(async () => { sim = await startAbsSim(); client = new AbsClient({ baseUrl: sim.url, token: sim.token }); });
  after(async () => { await client.close(); await sim.close(); });

  it('every recorded seriesName shape matches the series[] of the book read from batch/get', async () => {
    const list = await client.listItems(sim.libraryIds.audiobooks, { limit: 100, page: 0, sort: PAGE_SORT });
    const { books } = await readLibrary(client, { libraryIds: [sim.libraryIds.audiobooks] });
    const shapes = new Set<string>();
    for (const item of list.results) {
      const text = String((item as { media?: { metadata?: { seriesName?: unknown } } }).media?.metadata?.seriesName ?? '');
      const book = books.find((b) => b.id === item.id);
      assert.ok(book, `book ${item.id} was read`);
      // ABS joins several series with ", " in no fixed order.
      assert.deepEqual(asText(book.series).sort(), (text ? text.split(/, (?=[^,]*#|[^#]*$)/) : []).sort(), `series of "${book.title}"`);
      shapes.add(text.replace(/[^#,.]/g, ''));
    }
    // Plain "#n", fractional "#1.5", two series "#8, #1", and none: all seen.
    for (const shape of ['#', '#.', '#,#', '']) assert.ok(shapes.has(shape), `fixture shape ${JSON.stringify(shape)} covered`);
    const discworld = books.find((b) => b.series.length === 2);
    assert.deepEqual(discworld?.series.map((s) => [s.name, s.sequence]).sort(), [['Discworld - City Watch', '1'], ['Discworld', '8']]);
  });
});
