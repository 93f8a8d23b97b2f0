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
import { DownloadStore } from '../../lib/queue/downloads';
import { saveSeriesSummary } from '../../lib/store/series-summary';
import type { Candidate, Gap, SeriesSummary } from '../../lib/types';
import { allModules, readFlow, ROOT, type FlowNode } from './runtime';

type Row = Record<string, unknown>;
type Receiver = NodeJS.EventEmitter & { receive(msg: object): void };
/** A plain copy: objects made inside a function node's sandbox have another Object prototype. */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

const dash = readFlow(join(ROOT, 'examples', 'dashboard', '03-dashboard-pages.json'));
// 02 builds on 01's config nodes and 03's ui-base: loaded with them, as a user imports them.
const approval = [...readFlow(join(ROOT, 'examples', '02-approval-dashboard.json')), ...readFlow(join(ROOT, 'examples', 'dashboard', '03-dashboard-pages.json')).filter((n) => n.type === 'ui-base' || n.type === 'ui-theme')];
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
    await wanted.setState(mistborn('5').key, 'downloading', { hash: 'b'.repeat(40) }, 'added to Transmission');
    // The ledger says which client: #5 went to Transmission, #3 was queued before clients could be picked (qBittorrent).
    const ledger = await DownloadStore.open(dir);
    for (const [n, client] of [['5', { type: 'transmission' as const, node: 'tr' }], ['3', undefined]] as const) {
      await ledger.recordIntent({ key: mistborn(n).key, gap: mistborn(n), torrentId: Number(n), hash: n.repeat(40), category: '', tags: [], savePath: '', paused: false, intentAt: '2026-11-28T01:00:00Z', ...(client ? { client } : {}) });
      await ledger.confirm(mistborn(n).key, {});
    }
    await wanted.recordSearch(mistborn('6').key, { lastAt: new Date().toISOString(), attempts: 1, reason: 'only a German translation on MAM' }, 'not_found');
  }

  /** A refresh of the dashboard's list (what the minute inject sends). */
  const refresh = () => (helper.getNode('abgdashbrdgst010') as unknown as Receiver).receive({ topic: 'refresh' });

  it('Series: owned, missing and total count numbered books alike (owned + missing = total); novellas apart; a number beside each bar', async () => {
    await seedStore();
    await saveSeriesSummary(dir, SERIES);
    await helper.load(allModules() as never, dash);
    const table = byName(dash, 'ui-table', 'Series completion');
    const rows = inbox(table.id);
    const chart = inbox(byName(dash, 'ui-chart', 'completion %').id);
    refresh();
    const got = await rows.until((r) => r.length === 2, 'two series rows');
    assertColumns(table, got);
    assert.deepEqual(got.find((r) => r.series === 'Mistborn'), {
      series: 'Mistborn', authors: 'Brandon Sanderson', owned: 5, missing: 2, total: '≥ 7', completion: 71, percent: '71%',
      missingBooks: '#5 (downloading), #6 (not found)', extras: '',
    });
    // Metadata says 9 books; #1.5 is a novella: listed, counted nowhere.
    assert.deepEqual(got.find((r) => r.series === 'The Expanse'), {
      series: 'The Expanse', authors: 'James S. A. Corey', owned: 3, missing: 6, total: 9, completion: 33, percent: '33%',
      missingBooks: '6 more not listed', extras: '#1.5 owned',
    });
    for (const r of got) assert.equal(Number(r.owned) + Number(r.missing), Number(String(r.total).replace('≥ ', '')), `${String(r.series)} does not add up`);
    const bars = await chart.until((r) => r.length === 2, 'chart bars');
    assert.deepEqual(bars, [{ series: 'Mistborn 71%', completion: 71 }, { series: 'The Expanse 33%', completion: 33 }]);
  });

  it('Wanted: books named by title or "Series #n", state in words, only the buttons the state allows', async () => {
    await seedStore();
    await helper.load(allModules() as never, dash);
    const table = byName(dash, 'ui-table', 'Wanted books');
    const rows = inbox(table.id);
    refresh();
    const got = await rows.until((r) => r.length === 3, 'three wanted rows');
    assertColumns(table, got);
    assert.deepEqual(got.map((r) => [r.book, r.state, r.retry, r.toggle]), [
      ['Mistborn #6', 'not found', 'Retry', 'Ignore'], ['Mistborn #5', 'downloading', '', ''], ['Mistborn #3', 'in the library', '', '']]);
    assert.equal(got[0].why, 'only a German translation on MAM');
    assert.doesNotMatch(JSON.stringify(got.map((r) => ({ ...r, key: '' }))), /The Hero of Ages \(901001\)|series:/, 'a torrent name or store key shown');
  });

  it('Wanted: a button press answers with a toast in words and the row changes its buttons (Ignore → Unignore)', async () => {
    await seedStore();
    await helper.load(allModules() as never, dash);
    const table = byName(dash, 'ui-table', 'Wanted books');
    const rows = inbox(table.id);
    const toasts: string[] = [];
    (helper.getNode('abgdashbrdntf010') as unknown as NodeJS.EventEmitter).on('input', (m: { payload: string }) => toasts.push(m.payload));
    refresh();
    const first = await rows.until((r) => r.length === 3, 'three wanted rows');
    for (const id of table.wires![0]) (helper.getNode(id) as unknown as Receiver).receive({ action: 'button_click', column: 'toggle', payload: first[0] });
    const after = await rows.until((r) => r.some((x) => x.toggle === 'Unignore'), 'the ignored row');
    assert.deepEqual(after.find((r) => r.toggle === 'Unignore')!.book, 'Mistborn #6');
    assert.equal(after.find((r) => r.book === 'Mistborn #6')!.retry, '', 'no Retry on an ignored book');
    for (let i = 0; i < 50 && !toasts.length; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(toasts, ['“Mistborn #6” is ignored: no search will look for it.']);
  });

  it('Downloads: the books handed to a download client by title, with the client, where they are and the latest note', async () => {
    await seedStore();
    await helper.load(allModules() as never, dash);
    const table = byName(dash, 'ui-table', 'Downloads');
    const rows = inbox(table.id);
    refresh();
    const got = await rows.until((r) => r.length === 2, 'two download rows');
    assertColumns(table, got);
    assert.deepEqual(got.map((r) => [r.book, r.state, r.note, r.client]), [['Mistborn #5', 'downloading', 'added to Transmission', 'Transmission'], ['Mistborn #3', 'imported', 'imported as "The Hero of Ages"', 'qBittorrent']]);
  });

  it('Import events: kept in the store (not memory), named by book, each one a toast', async () => {
    await seedStore();
    await helper.load(allModules() as never, dash);
    const table = byName(dash, 'ui-table', 'Import events');
    const rows = inbox(table.id);
    const toasts: string[] = [];
    (helper.getNode('abgdashbrdntf010') as unknown as NodeJS.EventEmitter).on('input', (m: { payload: string }) => toasts.push(m.payload));
    const download = { key: mistborn('3').key, hash: 'a'.repeat(40), name: 'Brandon Sanderson - Mistborn 3 - The Hero of Ages', category: 'audiobooks', tags: [], savePath: '', state: 'completed', queuedAt: '2026-11-28T01:00:00Z' };
    (helper.getNode('abgdashbrdgst020') as unknown as Receiver).receive({ action: 'event', topic: 'imported', payload: { event: 'imported', download, item: { id: 'li_9', title: 'The Hero of Ages', path: '/x' } } });
    const got = await rows.until((r) => r.length === 1, 'one event row');
    assertColumns(table, got);
    assert.deepEqual([got[0].book, got[0].event, got[0].item], ['Mistborn #3', 'imported', 'The Hero of Ages']);
    for (let i = 0; i < 50 && !toasts.length; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(toasts, ['Imported “Mistborn #3” as “The Hero of Ages”.']);
    // After a restart the list is still there.
    await helper.unload();
    forgetStores();
    await helper.load(allModules() as never, dash);
    const again = inbox(table.id);
    refresh();
    assert.equal((await again.until((r) => r.length === 1, 'the event after a restart'))[0].book, 'Mistborn #3');
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
