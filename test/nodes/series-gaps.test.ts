import assert from 'node:assert/strict';
import { helper, tempStoreDir } from '../helpers/node-red';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import { loadSeriesSummary } from '../../lib/store/series-summary';
import type { Gap } from '../../lib/types';
import type { SeriesReport } from '../../lib/gaps/analyse';
import seriesGapsNode from '../../nodes/series-gaps/series-gaps';
import hardcoverAccountNode from '../../nodes/hardcover-account/hardcover-account';
import { MetadataSim, simulatedLibrary } from '../sim/metadata-sim';

const home = process.env.NODE_RED_HOME;
const catchNode = require(require.resolve('@node-red/nodes/core/common/25-catch.js', home ? { paths: [home] } : undefined));

type Spied = NodeJS.EventEmitter & { receive(m: object): void; status: { args: unknown[][] }; warn: { args: unknown[][] } };
type Msg = { payload: Gap[]; series: SeriesReport[]; warnings: string[]; topic?: string; gapStats: { requests: Record<string, number>; added: number; resolved: number }; error?: { message: string } };

describe('series-gaps node', () => {
  const lib = simulatedLibrary(12, 6); // 12 series, books 3 and 5 missing in each
  let sim: MetadataSim;
  let dir: string;
  beforeEach(async () => {
    forgetStores();
    dir = tempStoreDir('abg-series-gaps-');
    sim = new MetadataSim(lib.series);
    await sim.start();
    helper.settings({ audiobookGaps: { storeDir: dir, metadataUrls: { audible: sim.url, goodreads: sim.url }, metadataMinIntervalMs: 0 } } as Parameters<typeof helper.settings>[0]);
  });
  afterEach(async () => {
    await helper.unload();
    await sim.close();
    helper.settings({});
  });

  const flow = (over: object = {}) => [
    { id: 'f1', type: 'tab' },
    { id: 'hc', type: 'hardcover-account', url: `${sim.url}/graphql`, minInterval: 0 },
    { id: 'gaps', z: 'f1', type: 'series-gaps', providers: '', hardcover: 'hc', wires: [['out']], ...over },
    { id: 'out', z: 'f1', type: 'helper' },
    { id: 'catcher', z: 'f1', type: 'catch', scope: ['gaps'], uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', type: 'helper' },
  ];
  const load = (over: object = {}, token = sim.hardcoverToken) => helper.load([hardcoverAccountNode, seriesGapsNode, catchNode], flow(over), { hc: { token } });
  const next = (id: string) => new Promise<Msg>((resolve) => helper.getNode(id).once('input', resolve));
  const lastStatus = (n: Spied) => n.status.args.at(-1)?.[0] as { fill?: string; text?: string };

  it('library only: sends the holes and the summaries, keeps msg, badge "24 gaps · 12 series", records them', async () => {
    await load();
    const got = next('out');
    const node = helper.getNode('gaps') as unknown as Spied;
    node.receive({ topic: 'nightly', payload: lib.books });
    const msg = await got;
    assert.equal(msg.topic, 'nightly');
    assert.equal(msg.payload.length, 24);
    assert.equal(msg.series.length, 12);
    assert.deepEqual(msg.series[0].missing, ['3', '5']);
    assert.deepEqual(lastStatus(node), { fill: 'green', shape: 'dot', text: '24 gaps · 12 series' });
    assert.equal(sim.hits.audible + sim.hits.hardcover + sim.hits.goodreads, 0, 'no network without providers');
    const store = await WantedStore.open(dir);
    assert.equal((await store.list()).length, 24);
    assert.deepEqual((await loadSeriesSummary(dir))?.series, msg.series, 'the summary is saved for dashboards');
  });

  it('audible + hardcover: warm cache on the second run makes no request', async () => {
    await load({ providers: 'audible, hardcover' });
    const node = helper.getNode('gaps') as unknown as Spied;
    let got = next('out');
    node.receive({ payload: lib.books });
    const first = await got;
    assert.ok(first.gapStats.requests.audible > 0 && first.gapStats.requests.hardcover === 12);
    assert.match(first.payload[0].reasons?.join('|') ?? '', /audible: #3 .*\|hardcover: #3/);
    got = next('out');
    node.receive({ payload: lib.books });
    const second = await got;
    assert.deepEqual(second.gapStats.requests, { audible: 0, hardcover: 0 });
    assert.equal(second.payload.length, 24);
  });

  it('language setting: for books that do not say theirs, Audible editions in another language are left out', async () => {
    await load({ providers: 'audible', language: 'Deutsch' });
    const got = next('out');
    (helper.getNode('gaps') as unknown as Spied).receive({ payload: lib.books });
    const msg = await got;
    // The simulated catalog is English only: just the library's holes remain, without Audible titles.
    assert.equal(msg.payload.length, 24);
    assert.deepEqual([...new Set(msg.payload.map((g) => `${g.source}:${g.title ?? '-'}`))], ['library:-']);
    assert.ok(sim.hits.audible > 0, 'Audible was asked');
  });

  it('a provider that is down: library gaps still go out, one warning naming it, yellow badge', async () => {
    sim.fail('audible', 503, 100);
    await load({ providers: 'audible' });
    const node = helper.getNode('gaps') as unknown as Spied;
    const got = next('out');
    node.receive({ payload: lib.books });
    const msg = await got;
    assert.equal(msg.payload.length, 24);
    assert.ok(msg.series.every((s) => s.unavailable.includes('audible')));
    assert.equal(node.warn.args.length, 1);
    assert.match(String(node.warn.args[0][0]), /^audible unavailable for 12 series: Audible: HTTP 503/);
    assert.equal(lastStatus(node).fill, 'yellow');
  });

  it('two nodes, one per library, never resolve each other\'s books; a book bought in one resolves only its gap', async () => {
    const half = lib.books.length / 2;
    const inLibrary = (id: string, books: typeof lib.books) => books.map((b) => ({ ...b, libraryId: id }));
    const libA = inLibrary('libA', lib.books.slice(0, half));
    const libB = inLibrary('libB', lib.books.slice(half));
    const second = { id: 'gaps2', z: 'f1', type: 'series-gaps', providers: '', wires: [['out']] };
    await helper.load([hardcoverAccountNode, seriesGapsNode, catchNode], [...flow(), second], { hc: { token: sim.hardcoverToken } });
    const runOn = async (id: string, books: object[]) => {
      const got = next('out');
      (helper.getNode(id) as unknown as Spied).receive({ payload: books });
      return got;
    };
    const a = await runOn('gaps', libA);
    const b = await runOn('gaps2', libB);
    assert.equal(a.payload.length + b.payload.length, 24);
    assert.equal(b.gapStats.added, b.payload.length);
    await runOn('gaps', libA);
    const store = await WantedStore.open(dir);
    const states = (await store.list()).map((r) => r.state);
    assert.deepEqual([...new Set(states)], ['wanted'], 'no run resolved the other library\'s gaps');
    assert.equal(states.length, 24);
    // Library A gets book 3 of its first series: only that gap is resolved.
    const bought = { ...libA[0], id: 'bought', title: 'Bought', series: [{ name: libA[0].series[0].name, sequence: '3' }] };
    const after = await runOn('gaps', [...libA, bought]);
    assert.equal(after.gapStats.resolved, 1);
  });

  it('"this node" scope: two nodes fed filtered halves of one library keep each other\'s books wanted', async () => {
    const half = lib.books.length / 2;
    const second = { id: 'gaps2', z: 'f1', type: 'series-gaps', providers: '', scope: 'node', wires: [['out']] };
    await helper.load([hardcoverAccountNode, seriesGapsNode, catchNode], [...flow({ scope: 'node' }), second], { hc: { token: sim.hardcoverToken } });
    for (const [id, books] of [['gaps', lib.books.slice(0, half)], ['gaps2', lib.books.slice(half)], ['gaps', lib.books.slice(0, half)]] as const) {
      const got = next('out');
      (helper.getNode(id) as unknown as Spied).receive({ payload: books });
      assert.equal((await got).payload.length, 12);
    }
    const store = await WantedStore.open(dir);
    const records = await store.list();
    assert.equal(records.length, 24);
    assert.deepEqual(records.filter((r) => r.state !== 'wanted').map((r) => r.key), []);
  });

  it('bad input ends with done(err) that a Catch node sees', async () => {
    await load();
    const caught = next('caught');
    (helper.getNode('gaps') as unknown as Spied).receive({ payload: 'not books' });
    const msg = await caught;
    assert.match(msg.error?.message ?? '', /series-gaps: msg.payload must be the Book\[\] from abs-library/);
  });

  it('hardcover selected without a token: the error names Hardcover', async () => {
    await load({ providers: 'hardcover' }, '');
    const caught = next('caught');
    (helper.getNode('gaps') as unknown as Spied).receive({ payload: lib.books });
    assert.match((await caught).error?.message ?? '', /Hardcover: no API token/);
  });
});
