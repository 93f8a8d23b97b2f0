import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { analyse } from '../../lib/gaps/analyse';
import { groupSeries } from '../../lib/gaps/series';
import { toQuery } from '../../lib/gaps/find';
import { AudibleProvider } from '../../lib/metadata/audible';
import { HardcoverProvider } from '../../lib/metadata/hardcover';
import type { Book } from '../../lib/types';

const fixture = (name: string) => readFileSync(join(__dirname, '..', 'fixtures', 'metadata', name), 'utf8');
const owned: Book = { id: 'li', libraryId: 'l', title: 'Leviathan Wakes', authors: ['James S. A. Corey'], narrators: [], series: [{ name: 'The Expanse', sequence: '1' }], asin: 'B073H9PF2D', path: '/x', addedAt: 0 };

function serve(answer: (url: string) => string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => { res.setHeader('content-type', 'application/json'); res.end(answer(req.url ?? '')); });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe('lib/metadata providers on recorded-shape fixtures', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('audible: product batch + series relationships → members, parents ignored, pre-order unreleased', async () => {
    const s = await serve((url) => (url.includes('/products/B012PWYE22') ? fixture('audible-series.relationships.json') : fixture('audible-products.batch.json')));
    server = s.server;
    const audible = new AudibleProvider({ baseUrl: s.url, minIntervalMs: 0 });
    const groups = groupSeries([owned]);
    const out = await audible.lookupSeries(groups.map((g) => toQuery(g)));
    // runtime_length_min is the expected length the search checks a torrent's size against.
    const byAuthor = await audible.authorBooks('James S. A. Corey', 5);
    assert.deepEqual(byAuthor.map((b) => [b.title, b.durationSec]), [['Leviathan Wakes', 1258 * 60], ['Leviathan Falls', undefined]]);
    await audible.close();
    const outcome = out.get(groups[0].id);
    assert.equal(outcome?.status, 'found');
    if (outcome?.status !== 'found') return;
    assert.deepEqual(outcome.series.books.map((b) => b.sequence), ['1', '2', '2.5', '9']);
    const r = analyse([owned], { now: new Date('2025-01-01') }, new Map([[groups[0].id, [outcome]]]));
    const nine = r.gaps.find((g) => g.sequence === '9');
    assert.equal(nine?.status, 'unreleased');
    assert.equal(nine?.releaseDate, '2099-11-30');
    assert.equal(r.gaps.some((g) => g.sequence === '2.5'), false, 'fractional off by default');
  });

  it('hardcover: picks the series by author, flags compilations, drops untitled placeholders', async () => {
    const s = await serve(() => fixture('hardcover-series.json'));
    server = s.server;
    const hc = new HardcoverProvider({ token: 'hc_pat_fixture', url: s.url, minIntervalMs: 0 });
    const groups = groupSeries([owned]);
    const outcome = (await hc.lookupSeries(groups.map((g) => toQuery(g)))).get(groups[0].id);
    await hc.close();
    assert.equal(outcome?.status, 'found');
    if (outcome?.status !== 'found') return;
    assert.equal(outcome.series.seriesId, '1037');
    assert.equal(outcome.series.total, 9);
    assert.equal(outcome.series.books.find((b) => b.sequence === '1-3')?.compilation, true);
    const r = analyse([owned], {}, new Map([[groups[0].id, [outcome]]]));
    assert.deepEqual(r.gaps.map((g) => [g.sequence, g.title]), [['2', "Caliban's War"], ['3', "Abaddon's Gate"]]);
  });

  it('hardcover: a GraphQL error with HTTP 200 fails the series with the message', async () => {
    const s = await serve(() => fixture('hardcover-error.json'));
    server = s.server;
    const hc = new HardcoverProvider({ token: 'hc_pat_fixture', url: s.url, minIntervalMs: 0 });
    const outcome = (await hc.lookupSeries(groupSeries([owned]).map((g) => toQuery(g)))).values().next().value;
    await hc.close();
    assert.equal(outcome?.status, 'failed');
    assert.match(outcome?.status === 'failed' ? outcome.error : '', /^Hardcover: GraphQL error for series "The Expanse": field 'series_v2' not found/);
  });
});
