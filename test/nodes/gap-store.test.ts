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

type Out = { payload: Array<{ key: string; state: string; title: string; note: string; torrent: string; progress: number | '' }>; counts: Record<string, number> };

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
    // A title-less library gap is named by its series position until a torrent is chosen.
    assert.deepEqual(msg.payload.map((r) => [r.title, r.state]), [['Mistborn #2', 'wanted'], ['The Hero of Ages', 'queued']]);
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

  it('refuses to retry a queued book and reports it through done(err)', async () => {
    await helper.load(gapStoreNode, flow);
    const g = helper.getNode('g') as unknown as NodeJS.EventEmitter & { receive(m: object): void };
    const failed = new Promise<string>((resolve) => g.on('call:error', (call: { firstArg: Error | string }) => resolve(String(call.firstArg))));
    g.receive({ action: 'retry', payload: gap('3').key });
    assert.match(await failed, /cannot retry .*already being downloaded/);
  });
});
