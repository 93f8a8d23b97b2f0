// The glue of the example dashboards (function and change nodes between our nodes and the
// ui-tables) run in the Node-RED runtime with messages shaped exactly like lib/types.ts and
// store rows from a real wanted store: every table gets rows with every column it shows, and
// the rows say what a user expects (an imported book counts as owned, the Wanted page keeps
// the books on their way, Approve sends msg.approved with the Candidate[]).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { helper, tempStoreDir, withStore } from '../helpers/node-red';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Candidate, Gap, SeriesSummary } from '../../lib/types';
import { allModules, readFlow, ROOT, type FlowNode } from './runtime';

type Row = Record<string, unknown>;
type Receiver = NodeJS.EventEmitter & { receive(msg: object): void };
/** A plain copy: objects made inside a function node's sandbox have another Object prototype. */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const dash = readFlow(join(ROOT, 'examples', 'dashboard', '03-dashboard-pages.json'));
const approval = readFlow(join(ROOT, 'examples', '02-approval-dashboard.json'));
const byName = (flow: FlowNode[], type: string, name: string) => {
  const n = flow.find((x) => x.type === type && x.name === name);
  assert.ok(n, `no ${type} "${name}"`);
  return n;
};

const mistborn = (seq: string): Gap => ({
  key: `series:mistborn|brandon sanderson#${seq}`, kind: 'series', status: 'wanted', authors: ['Brandon Sanderson'],
  series: 'Mistborn', sequence: seq, source: 'library', reason: `hole in the owned sequence (#${seq} missing, owned up to #7)`,
});
const SERIES: SeriesSummary[] = [
  { name: 'Mistborn', authors: ['Brandon Sanderson'], owned: ['1', '2', '4', '7'], missing: ['3', '5', '6'], total: null, completion: 57 },
  { name: 'The Expanse', authors: ['James S. A. Corey'], owned: ['1', '1.5', '2', '3'], missing: [], total: 9, completion: 33 },
];

/** Every message a node receives, and a wait for the first one that passes `test`. */
function inbox(id: string) {
  const got: Row[][] = [];
  (helper.getNode(id) as unknown as NodeJS.EventEmitter).on('input', (m: { payload: Row[] }) => got.push(plain(m.payload)));
  return {
    got,
    async until(test: (rows: Row[]) => boolean, what: string): Promise<Row[]> {
      for (let i = 0; i < 100; i++) {
        const hit = got.find(test);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 30));
      }
      assert.fail(`${what}: never arrived; got ${JSON.stringify(got)}`);
    },
  };
}

/** Every column the table shows (buttons aside) is a field of every row it receives. */
function assertColumns(table: FlowNode, rows: Row[]): void {
  const keys = (table.columns as { key: string; type: string }[]).filter((c) => c.type !== 'button').map((c) => c.key);
  for (const row of rows) for (const k of keys) assert.ok(k in row, `table "${String(table.name)}": row ${JSON.stringify(row)} lacks "${k}"`);
}

describe('example dashboards fed with contract-shaped messages', () => {
  let dir: string;
  before(function () {
    dir = tempStoreDir('abg-dash-data-');
    withStore(dir);
    return new Promise<void>((resolve) => helper.startServer(() => resolve()));
  });
  after(function () {
    return new Promise<void>((resolve) => helper.stopServer(() => resolve()));
  });
  afterEach(async () => { await helper.unload(); forgetStores(); });

  /** The store after a run and a day of downloads: #3 imported, #5 downloading, #6 not found. */
  async function seedStore(): Promise<void> {
    const wanted = await WantedStore.open(dir);
    await wanted.syncGaps(['3', '5', '6'].map(mistborn));
    await wanted.setState(mistborn('3').key, 'imported', { hash: 'a'.repeat(40), torrent: { id: 901001, title: 'The Hero of Ages' } }, 'imported as "The Hero of Ages"');
    await wanted.setState(mistborn('5').key, 'downloading', { hash: 'b'.repeat(40) }, 'added to qBittorrent');
    await wanted.recordSearch(mistborn('6').key, { lastAt: new Date().toISOString(), attempts: 1, reason: 'only a German translation on MAM' }, 'not_found');
  }

  it('Series: a book imported since the last series-gaps run counts as owned; the other missing ones show their state', async () => {
    await seedStore();
    await helper.load(allModules() as never, dash);
    const table = byName(dash, 'ui-table', 'Series completion');
    const rows = inbox(table.id);
    const chart = inbox(byName(dash, 'ui-chart', 'completion %').id);
    (helper.getNode('abglinkseriesin1') as unknown as Receiver).receive({ payload: ['3', '5', '6'].map(mistborn), series: SERIES });
    const got = await rows.until((r) => r.some((x) => String(x.missing).includes('downloading')), 'series rows with the store states');
    assertColumns(table, got);
    assert.deepEqual(got.find((r) => r.series === 'Mistborn'), { series: 'Mistborn', authors: 'Brandon Sanderson', owned: 5, missing: '5 (downloading), 6 (not_found)', total: '≥ 7', completion: 71 });
    assert.deepEqual(got.find((r) => r.series === 'The Expanse'), { series: 'The Expanse', authors: 'James S. A. Corey', owned: 4, missing: '', total: 9, completion: 33 });
    const bars = await chart.until((r) => r.some((x) => x.completion === 71), 'chart bars');
    assert.deepEqual(bars, [{ series: 'Mistborn', completion: 71 }, { series: 'The Expanse', completion: 33 }]);
  });

  it('Wanted: every book with its state, the ones still to get first, imported ones kept at the end', async () => {
    await seedStore();
    await helper.load(allModules() as never, dash);
    const table = byName(dash, 'ui-table', 'Wanted books');
    const rows = inbox(table.id);
    (helper.getNode('abgdashbrdgst010') as unknown as Receiver).receive({ topic: 'refresh' });
    const got = await rows.until((r) => r.length === 3, 'three wanted rows');
    assertColumns(table, got);
    assert.deepEqual(got.map((r) => [r.sequence, r.state]), [['6', 'not_found'], ['5', 'downloading'], ['3', 'imported']]);
    assert.equal(got[0].reason, 'only a German translation on MAM');
  });

  it('Downloads: the books handed to qBittorrent with their import state and latest note', async () => {
    await seedStore();
    await helper.load(allModules() as never, dash);
    const table = byName(dash, 'ui-table', 'Downloads');
    const rows = inbox(table.id);
    (helper.getNode('abgdashbrdgst010') as unknown as Receiver).receive({ topic: 'refresh' });
    const got = await rows.until((r) => r.length === 2, 'two download rows');
    assertColumns(table, got);
    assert.deepEqual(got.map((r) => [r.sequence, r.state, r.imported, r.note]), [['5', 'downloading', false, 'added to qBittorrent'], ['3', 'imported', true, 'imported as "The Hero of Ages"']]);
  });

  it('Approve: Candidate[] from mam-search fills the table; a row\'s button sends that book as msg.approved with the Candidate[]', async () => {
    // The qbit-queue nodes become helper nodes: this test is about the glue, not qBittorrent.
    const flow = approval.map((n) => (n.type === 'qbit-queue' ? { id: n.id, z: n.z, type: 'helper', wires: [] } : n));
    await helper.load(allModules() as never, flow);
    const table = byName(approval, 'ui-table', 'Candidates');
    const rows = inbox(table.id);
    const queue = approval.find((n) => n.type === 'qbit-queue' && n.name === 'queue approved')!;
    const queued = new Promise<{ payload: Candidate[]; approved: unknown }>((resolve) => helper.getNode(queue.id).once('input', (m: { payload: Candidate[]; approved: unknown }) => resolve(plain(m))));
    const candidate: Candidate = {
      gap: mistborn('3'), score: 0.93, reasons: ['title and author agree', 'm4b'],
      torrent: { id: 901001, title: 'The Hero of Ages', authors: ['Brandon Sanderson'], narrators: ['Michael Kramer'], series: [{ name: 'Mistborn', position: '3' }], filetype: 'm4b', sizeBytes: 735_000_000, seeders: 23, leechers: 0, added: '2023-04-05T06:07:08Z', freeleech: true, vip: false, language: 'English', category: 'Audiobooks - Fantasy' },
    };
    const mam = approval.find((n) => n.type === 'mam-search')!;
    for (const id of mam.wires![0]) (helper.getNode(id) as unknown as Receiver).receive({ payload: [candidate] });
    const got = await rows.until((r) => r.length === 1, 'one candidate row');
    assertColumns(table, got);
    assert.equal(got[0].book, 'Mistborn #3');
    // A click on a row's button leaves ui-table on its output as { action: 'button_click', payload: row }.
    for (const id of table.wires![0]) (helper.getNode(id) as unknown as Receiver).receive({ action: 'button_click', payload: got[0] });
    const msg = await queued;
    assert.deepEqual(msg.approved, [candidate.gap.key]);
    assert.deepEqual(msg.payload, [candidate]);
  });
});
