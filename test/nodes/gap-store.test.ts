import assert from 'node:assert/strict';
import { helper, tempStoreDir, withStore } from '../helpers/node-red';
import { WantedStore } from '../../lib/store/wanted';
import { DownloadStore } from '../../lib/queue/downloads';
import { saveSeriesSummary } from '../../lib/store/series-summary';
import { forgetStores } from '../../lib/store/store';
import type { Gap } from '../../lib/types';
import gapStoreNode from '../../nodes/gap-store/gap-store';

const gap = (seq: string): Gap => ({
  key: `series:mistborn|brandon sanderson#${seq}`, kind: 'series', status: 'wanted', authors: ['Brandon Sanderson'],
  series: 'Mistborn', sequence: seq, source: 'library', reason: `hole at ${seq}`,
});

type Out = { payload: Array<{ key: string; state: string; title: string; note: string; torrent: string; progress: number | ''; actions: string[] }>; counts: Record<string, number>; notice?: string; refused?: boolean; events?: Array<Record<string, string>> };

describe('gap-store node', () => {
  let dir: string;
  beforeEach(async () => {
    dir = tempStoreDir();
    withStore(dir);
    const store = await WantedStore.open(dir);
    await store.syncGaps([gap('2'), gap('3')]);
    await store.setState(gap('3').key, 'queued', { hash: 'h3', torrent: { id: 77, title: 'The Hero of Ages' } }, 'added to qBittorrent (h3)');
    const downloads = await DownloadStore.open(dir);
    await downloads.recordIntent({ key: gap('3').key, gap: gap('3'), torrentId: 77, category: 'audiobooks', tags: [], savePath: '', paused: false, intentAt: '2026-01-01T00:00:00Z' });
    await downloads.confirm(gap('3').key, { hash: 'h3' });
    await downloads.setWatch(gap('3').key, { emitted: [], progress: 0.416, phase: 'downloading' });
  });
  afterEach(async () => { await helper.unload(); forgetStores(); });

  const flow = [{ id: 'g', type: 'gap-store', action: 'list', hideResolved: true, wires: [['out']] }, { id: 'out', type: 'helper' }];

  function next(): Promise<Out> {
    return new Promise((resolve) => helper.getNode('out').once('input', (m: Out) => resolve(m)));
  }

  it('lists the store as flat rows with counts', async () => {
    await helper.load(gapStoreNode, flow);
    const got = next();
    helper.getNode('g').receive({ payload: 'go' });
    const msg = await got;
    // A title-less library gap is named by its series position, never by the torrent's name.
    assert.deepEqual(msg.payload.map((r) => [r.title, r.state]), [['Mistborn #2', 'wanted'], ['Mistborn #3', 'queued']]);
    assert.deepEqual(msg.payload.map((r) => [r.note, r.torrent, r.progress]), [['', '', ''], ['added to qBittorrent (h3)', 'The Hero of Ages (77)', 42]]);
    assert.deepEqual(msg.counts, { wanted: 1, queued: 1 });
  });

  it('sends the last saved series summary with the rows, so a dashboard survives a restart', async () => {
    await helper.load(gapStoreNode, flow);
    let got = next();
    helper.getNode('g').receive({ payload: 'go' });
    assert.equal('series' in (await got), false, 'nothing saved yet: no msg.series');
    const series = [{ name: 'Mistborn', authors: ['Brandon Sanderson'], owned: ['1', '4'], missing: ['2', '3'], total: null, completion: 50 }];
    await saveSeriesSummary(dir, series, new Date('2026-11-24T01:00:00Z'));
    await helper.unload();
    forgetStores();
    await helper.load(gapStoreNode, flow);
    got = next();
    helper.getNode('g').receive({ payload: 'after restart' });
    const msg = (await got) as Out & { series?: unknown; seriesAt?: string };
    assert.deepEqual(msg.series, series);
    assert.equal(msg.seriesAt, '2026-11-24T01:00:00.000Z');
  });

  it('ignores a book from a table row and the mark is in the store', async () => {
    await helper.load(gapStoreNode, flow);
    const got = next();
    helper.getNode('g').receive({ action: 'ignore', payload: { key: gap('2').key, title: 'Mistborn #2' } });
    const msg = await got;
    assert.equal(msg.payload.find((r) => r.key === gap('2').key)?.state, 'ignored');
    assert.equal((await (await WantedStore.open(dir)).get(gap('2').key))?.ignored, true);
  });

  it('offers each book only the actions its state allows', async () => {
    const store = await WantedStore.open(dir);
    await store.syncGaps(['2', '3', '4', '5', '6'].map(gap));
    await store.recordSearch(gap('4').key, { lastAt: '2026-11-28T01:00:00Z', attempts: 1, reason: 'none acceptable' }, 'not_found');
    await store.setState(gap('5').key, 'imported', {}, 'imported as "The Bands of Mourning"');
    await store.setIgnored(gap('6').key, true);
    await helper.load(gapStoreNode, flow);
    const got = next();
    helper.getNode('g').receive({ payload: 'go' });
    const actions = Object.fromEntries((await got).payload.map((r) => [r.title, r.actions]));
    assert.deepEqual(actions, {
      'Mistborn #2': ['ignore'], 'Mistborn #3': [], 'Mistborn #4': ['retry', 'ignore'], 'Mistborn #5': [], 'Mistborn #6': ['unignore'],
    });
  });

  it('answers every action with a sentence naming the book, never its key', async () => {
    const store = await WantedStore.open(dir);
    await store.syncGaps(['2', '3', '5'].map(gap));
    await store.setState(gap('5').key, 'imported', {}, 'imported');
    await helper.load(gapStoreNode, flow);
    const ask = async (action: string, seq: string) => {
      const got = next();
      helper.getNode('g').receive({ action, payload: { key: gap(seq).key } });
      return got;
    };
    const cases: Array<[string, string, RegExp, boolean]> = [
      ['ignore', '2', /^“Mistborn #2” is ignored/, false],
      ['ignore', '2', /^“Mistborn #2” is ignored: unignore it first/, true],
      ['retry', '2', /^“Mistborn #2” is ignored: unignore it first/, true],
      ['unignore', '2', /^“Mistborn #2” is wanted again/, false],
      ['unignore', '2', /^“Mistborn #2” is not ignored/, true],
      ['retry', '3', /^Cannot search again for “Mistborn #3”: it is already queued/, true],
      ['retry', '5', /^Cannot search again for “Mistborn #5”: it is already in your library/, true],
      ['ignore', '5', /^Cannot ignore “Mistborn #5”: it is already in your library/, true],
    ];
    for (const [action, seq, words, refused] of cases) {
      const msg = await ask(action, seq);
      assert.match(String(msg.notice), words, `${action} #${seq}`);
      assert.equal(msg.refused, refused, `${action} #${seq}`);
      assert.doesNotMatch(String(msg.notice), /series:|#\d+\||brandon sanderson#/, 'a store key in the toast');
    }
    assert.equal((await store.get(gap('5').key))?.state, 'imported');
  });

  it('retries a not-found book: the back-off is cleared and the toast says when', async () => {
    const store = await WantedStore.open(dir);
    await store.recordSearch(gap('2').key, { lastAt: '2026-11-28T01:00:00Z', attempts: 2, retryAfter: '2099-01-01T00:00:00Z', reason: 'none acceptable' }, 'not_found');
    await helper.load(gapStoreNode, flow);
    const got = next();
    helper.getNode('g').receive({ action: 'retry', payload: { key: gap('2').key } });
    assert.equal((await got).notice, '“Mistborn #2” will be searched again on the next run.');
    const rec = await store.get(gap('2').key);
    assert.equal(rec?.state, 'wanted');
    assert.equal(rec?.search?.retryAfter, undefined);
  });

  it('keeps the import events in the store, named by book title, across a restart', async () => {
    await helper.load(gapStoreNode, flow);
    const got = next();
    const download = { key: gap('3').key, hash: 'h3', name: 'Brandon Sanderson - Mistborn 3 - The Hero of Ages', category: 'audiobooks', tags: [], savePath: '', state: 'completed', queuedAt: '2026-11-28T01:00:00Z' };
    helper.getNode('g').receive({ action: 'event', payload: { event: 'imported', download, item: { id: 'li_1', title: 'The Hero of Ages', path: '/a' } } });
    assert.equal((await got).notice, 'Imported “Mistborn #3” as “The Hero of Ages”.');
    await helper.unload();
    forgetStores();
    await helper.load(gapStoreNode, flow);
    const again = next();
    helper.getNode('g').receive({ payload: 'after restart' });
    const events = (await again).events ?? [];
    assert.deepEqual(events.map((e) => [e.event, e.book, e.item]), [['imported', 'Mistborn #3', 'The Hero of Ages']]);
    assert.doesNotMatch(JSON.stringify(events), /Brandon Sanderson - Mistborn 3/);
  });

  it('a suspect import: its reasons in the toast, Retry and Ignore offered; Retry refuses that torrent', async () => {
    const store = await WantedStore.open(dir);
    await store.syncGaps([gap('3')]);
    await store.setState(gap('3').key, 'imported_suspect', { hash: 'h3', torrent: { id: 33, title: 'Mistborn 3 (abridged)' } }, 'in Audiobookshelf as "The Hero of Ages", but suspect: 4.0 h of audio');
    await helper.load(gapStoreNode, flow);
    const got = next();
    const download = { key: gap('3').key, hash: 'h3', name: 'x', category: 'audiobooks', tags: [], savePath: '', state: 'imported_suspect', queuedAt: '2026-11-28T01:00:00Z' };
    const verify = { reasons: ['4.0 h of audio, the book runs 10.0 h (metadata runtime): 40 %, an abridgement or a part'], evidence: { title: 'The Hero of Ages' } };
    helper.getNode('g').receive({ action: 'event', payload: { event: 'imported_suspect', download, item: { id: 'li_1', title: 'The Hero of Ages', path: '/a' }, verify } });
    const msg = await got;
    assert.equal(msg.notice, 'Imported “Mistborn #3” as “The Hero of Ages”, but it looks wrong: 4.0 h of audio, the book runs 10.0 h (metadata runtime): 40 %, an abridgement or a part.');
    const row = msg.payload.find((r) => r.key === gap('3').key) as unknown as { state: string; actions: string[]; progress: number; note: string };
    assert.deepEqual([row.state, row.actions, row.progress], ['imported_suspect', ['retry', 'ignore'], 100]);
    assert.match(row.note, /but suspect: 4\.0 h of audio/);
    const retried = next();
    helper.getNode('g').receive({ action: 'retry', payload: { key: gap('3').key } });
    assert.equal((await retried).notice, '“Mistborn #3” will be searched again on the next run.');
    const rec = await store.get(gap('3').key);
    assert.deepEqual([rec?.state, rec?.refused?.map((r) => [r.torrentId, r.hash])], ['wanted', [[33, 'h3']]]);
  });

  it('reports a button without a key as "bad input", with the sentence for Catch nodes', async () => {
    await helper.load(gapStoreNode, flow);
    const g = helper.getNode('g') as unknown as NodeJS.EventEmitter & { receive(m: object): void; status: { args: { text?: string }[][] } };
    const failed = new Promise<unknown>((resolve) => g.on('call:error', (call: { firstArg: unknown }) => resolve(call.firstArg)));
    g.receive({ action: 'retry', payload: {} });
    const first = await failed;
    assert.equal(typeof first, 'string', 'the sidebar shows words, not a folded Error object');
    assert.match(String(first), /retry needs the book's key/);
    assert.equal(g.status.args.at(-1)?.[0].text, 'bad input');
  });
});
