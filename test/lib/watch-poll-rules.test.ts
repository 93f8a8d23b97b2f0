// abs-import-watch's poll, rule by rule (in-memory qBittorrent and Audiobookshelf): what each
// event says, what the ledger and the wanted record keep (lib/heal reads them), when ABS is
// asked anything, and the counts.
import assert from 'node:assert/strict';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue, type QueueSettings } from '../../lib/queue/queue';
import { forgetStores } from '../../lib/store/store';
import { registerSecret } from '../../lib/secrets';
import { WantedStore } from '../../lib/store/wanted';
import { pollOnce, type AbsForWatch, type WatchDeps, type WatchSettings } from '../../lib/watch/watcher';
import { tempStoreDir } from '../helpers/node-red';
import { FakeQbit, candidate, fakeTorrent } from '../helpers/qbittorrent';

const queueSettings: QueueSettings = { category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false };
const watch: WatchSettings = { libraryId: 'lib1', scanOnComplete: true, stalledMinutes: 30, notImportedMinutes: 60 };
const t0 = Date.parse('2025-01-01T00:00:00Z');
const at = (min: number) => new Date(t0 + min * 60_000);
const key = (n: number) => candidate(n).gap.key;
const raw = (id: string, path: string, title: string, addedMin: number) => ({ id, path, addedAt: at(addedMin).getTime(), media: { metadata: { title, authorName: 'James S. A. Corey' } } });

class FakeAbs implements AbsForWatch {
  items: unknown[] = [];
  calls: string[] = [];
  libraries = [{ id: 'lib1', mediaType: 'book' }, { id: 'pod', mediaType: 'podcast' }, { id: 'lib2', mediaType: 'book' }];
  async listLibraries() { this.calls.push('libraries'); return this.libraries; }
  async listItems(id: string, opts: object) { this.calls.push(`items ${id} ${JSON.stringify(opts)}`); return { results: this.items }; }
  async scanLibrary(id: string) { this.calls.push(`scan ${id}`); }
}

describe('lib/watch pollOnce rules', () => {
  let dir: string;
  let qbit: FakeQbit;
  let abs: FakeAbs;
  let wanted: WantedStore;
  let deps: WatchDeps;
  const torrent = (n: number) => [...qbit.torrents.values()].find((t) => t.name === `book-${1000 + n}`)!;
  const ledger = async (n: number) => (await deps.downloads.get(key(n)))?.watch;

  beforeEach(async () => {
    forgetStores();
    dir = tempStoreDir('abg-watch-rules-');
    qbit = new FakeQbit();
    abs = new FakeAbs();
    wanted = await WantedStore.open(dir);
    await wanted.syncGaps([1, 2, 3].map((n) => candidate(n).gap));
    const downloads = await DownloadStore.open(dir);
    // The intent is written a second before the add is confirmed.
    let tick = 0;
    await runQueue({ qbit, source: { downloadTorrent: async (id) => fakeTorrent(`book-${id}`) }, downloads, wanted, lockKey: dir }, [1, 2].map((n) => candidate(n)), queueSettings, undefined, () => new Date(t0 + 1000 * tick++));
    deps = { qbit, abs, downloads, wanted, lockKey: dir };
  });

  it('each event names the download as qBittorrent shows it now, with the ledger\'s queue time', async () => {
    const hash1 = torrent(1).hash;
    Object.assign(torrent(1), { phase: 'completed', progress: 1, name: 'Renamed', savePath: '/moved' });
    qbit.torrents.delete(torrent(2).hash);
    const r = await pollOnce(deps, { ...watch, scanOnComplete: false }, at(1));
    const rec = await deps.downloads.get(key(2));
    assert.deepEqual(r.events.map((e) => [e.event, e.download.state, e.download.name, e.download.savePath, e.download.hash, e.download.queuedAt]), [
      ['completed', 'completed', 'Renamed', '/moved', hash1, (await deps.downloads.get(key(1)))?.queuedAt],
      ['failed', 'failed', 'book-1002', '/dl', rec?.hash, rec?.queuedAt],
    ]);
    assert.notEqual(rec?.queuedAt, rec?.intentAt);
    assert.deepEqual(r.warnings, []);
  });

  it('a failure is kept in the ledger with its reason (removed by the user: phase "missing"), and in the wanted record', async () => {
    Object.assign(torrent(1), { phase: 'failed', state: 'missingFiles' });
    qbit.torrents.delete(torrent(2).hash);
    const r = await pollOnce(deps, watch, at(1));
    assert.deepEqual(r.events.map((e) => [e.download.state, e.reason]), [['failed', 'qBittorrent reports "missingFiles"'], ['failed', 'removed from qBittorrent']]);
    assert.deepEqual([(await ledger(1))?.phase, (await ledger(1))?.reason, (await ledger(2))?.phase, (await ledger(2))?.reason],
      ['failed', 'qBittorrent reports "missingFiles"', 'missing', 'removed from qBittorrent']);
    const [w1, w2] = [await wanted.get(key(1)), await wanted.get(key(2))];
    assert.deepEqual([w1?.state, w2?.state], ['failed', 'failed']);
    assert.match(w1?.history.at(-1)?.note ?? '', /missingFiles/);
    assert.match(w2?.history.at(-1)?.note ?? '', /removed from qBittorrent/);
  });

  it('wanted moves to downloading once, at first sight; the ledger starts with no events', async () => {
    await pollOnce(deps, watch, at(1));
    await pollOnce(deps, watch, at(2));
    const rec = await wanted.get(key(1));
    assert.equal(rec?.state, 'downloading');
    assert.equal(rec?.history.filter((h) => h.state === 'downloading').length, 1);
    assert.deepEqual((await ledger(1))?.emitted, []);
    Object.assign(torrent(1), { phase: 'completed', progress: 1 });
    await pollOnce(deps, watch, at(3));
    assert.deepEqual([(await wanted.get(key(1)))?.state, (await wanted.get(key(1)))?.history.at(-1)?.note], ['completed', 'download complete']);
  });

  it('the stall clock runs from the first poll that saw the torrent, not from the queue time; stalled at exactly N minutes', async () => {
    Object.assign(torrent(1), { progress: 0.2, state: 'stalledDL' });
    await pollOnce(deps, watch, at(10));
    assert.deepEqual((await pollOnce(deps, watch, at(39))).events, []);
    const r = await pollOnce(deps, watch, at(40));
    assert.deepEqual(r.events.map((e) => [e.event, e.download.key, e.download.state]), [['stalled', key(1), 'stalled'], ['stalled', key(2), 'stalled']]);
    assert.match(r.events[0].reason ?? '', /^no progress for 30 min \(20 %, stalledDL\)$/);
    assert.deepEqual(r.counts, { downloading: 0, completed: 0, stalled: 2, imported: 0, failed: 0, suspect: 0 });
  });

  it('ABS is asked nothing while nothing waits for import; a download still running is never imported', async () => {
    abs.items.push(raw('early', '/dl/book-1001', 'Book 1', 5));
    await pollOnce(deps, watch, at(10));
    assert.deepEqual(abs.calls, []);
    assert.equal((await wanted.get(key(1)))?.state, 'downloading');
  });

  it('without a library set: every book library is scanned and read (newest first, recentItems of them), no other kind', async () => {
    Object.assign(torrent(1), { phase: 'completed', progress: 1 });
    await pollOnce(deps, { ...watch, libraryId: '', recentItems: 50 }, at(1));
    const opts = JSON.stringify({ limit: 50, page: 0, sort: 'addedAt', desc: true });
    assert.deepEqual(abs.calls, ['libraries', 'scan lib1', 'scan lib2', `items lib1 ${opts}`, `items lib2 ${opts}`]);
    abs.calls = [];
    await pollOnce(deps, watch, at(2));
    assert.deepEqual(abs.calls, ['libraries', `items lib1 ${JSON.stringify({ limit: 200, page: 0, sort: 'addedAt', desc: true })}`], 'scanned once; 200 items by default');
  });

  it('a second completion asks for a scan again, though the first one already had its scan', async () => {
    Object.assign(torrent(1), { phase: 'completed', progress: 1 });
    await pollOnce(deps, watch, at(1));
    Object.assign(torrent(2), { phase: 'completed', progress: 1 });
    await pollOnce(deps, watch, at(2));
    assert.equal(abs.calls.filter((c) => c.startsWith('scan')).length, 2);
  });

  it('an import: the event, the ledger (done, polled no more) and the wanted record; a malformed item is skipped', async () => {
    Object.assign(torrent(1), { phase: 'completed', progress: 1, contentPath: '/dl/book-1001' });
    abs.items.push({ path: '/no/id' }, raw('li', '/dl/book-1001', 'Book 1', 1));
    const r = await pollOnce(deps, watch, at(2));
    assert.deepEqual([r.events.map((e) => [e.event, e.download.state, e.item?.id]), r.warnings], [[['completed', 'completed', undefined], ['imported', 'imported', 'li']], []]);
    const w = await ledger(1);
    assert.deepEqual([w?.emitted, w?.done, w?.item?.id], [['completed', 'imported'], true, 'li']);
    assert.match((await wanted.get(key(1)))?.history.at(-1)?.note ?? '', /^in Audiobookshelf as "Book 1" \(matched by path\)$/);
    assert.deepEqual((await pollOnce(deps, watch, at(3))).events, [], 'imported once');
  });

  it('an item added between the intent and the confirmed add is not proven by its path', async () => {
    Object.assign(torrent(1), { phase: 'completed', progress: 1, contentPath: '/dl/book-1001' });
    const rec = await deps.downloads.get(key(1));
    abs.items.push({ ...raw('between', '/dl/book-1001', 'Other', 0), addedAt: Date.parse(rec!.intentAt) + 500, media: { metadata: { title: 'Book 1', authorName: 'Someone Else' } } });
    assert.deepEqual((await pollOnce(deps, watch, at(2))).events.map((e) => e.event), ['completed']);
  });

  it('without ABS only qBittorrent is tracked: no import looked for, none reported missing, no warning', async () => {
    const bare = { ...deps, abs: undefined };
    const patient = { ...watch, stalledMinutes: 1000 };
    Object.assign(torrent(1), { phase: 'completed', progress: 1 });
    assert.deepEqual((await pollOnce(bare, patient, at(1))).warnings, []);
    const r = await pollOnce(bare, patient, at(61));
    assert.deepEqual([r.events, r.warnings], [[], []]);
  });

  it('ABS trouble is a warning (secrets redacted); qBittorrent is still tracked and not_imported still comes', async () => {
    registerSecret('abs-key-0123456789');
    abs.listLibraries = async () => { throw new Error('Audiobookshelf: rejected the API key abs-key-0123456789 (401)'); };
    Object.assign(torrent(1), { phase: 'completed', progress: 1 });
    const first = await pollOnce(deps, { ...watch, stalledMinutes: 1000 }, at(1));
    assert.deepEqual([first.events.map((e) => e.event), first.warnings], [['completed'], ['Audiobookshelf: rejected the API key *** (401)']]);
    const later = await pollOnce(deps, { ...watch, stalledMinutes: 1000 }, at(61));
    assert.deepEqual(later.events.map((e) => e.event), ['not_imported']);
  });

  it('not_imported after N minutes without a matching item, saying how long it waited; the ledger keeps it', async () => {
    const patient = { ...watch, stalledMinutes: 1000 };
    Object.assign(torrent(1), { phase: 'completed', progress: 1 });
    await pollOnce(deps, patient, at(1));
    const r = await pollOnce(deps, patient, at(61));
    assert.deepEqual([r.events.map((e) => [e.event, e.download.state, e.reason]), r.warnings], [[['not_imported', 'not_imported', 'no Audiobookshelf item after 60 min']], []]);
    assert.deepEqual((await ledger(1))?.emitted, ['completed', 'not_imported']);
  });

  it('an intent (add not confirmed yet) is not watched nor counted; one confirmed during the poll counts as downloading', async () => {
    const lost = Object.assign(new FakeQbit(), { addTorrent: async () => ({ hash: 'x', name: 'x' }), waitFor: async () => undefined });
    await runQueue({ ...deps, qbit: lost, source: { downloadTorrent: async (id) => fakeTorrent(`book-${id}`) }, lockKey: `${dir}-q` }, [candidate(3)], queueSettings, undefined, () => at(0));
    assert.equal((await deps.downloads.get(key(3)))?.phase, 'intent');
    let r = await pollOnce(deps, watch, at(1));
    assert.deepEqual([r.events, r.counts.downloading], [[], 2]);
    // qbit-queue (its own lane) confirms book 3 while this poll asks qBittorrent.
    const racing = Object.assign(new FakeQbit(), { torrents: qbit.torrents, getTorrents: async (hashes: string[]) => {
      await deps.downloads.confirm(key(3), { queuedAt: at(1).toISOString() });
      return FakeQbit.prototype.getTorrents.call(qbit, hashes);
    } });
    r = await pollOnce({ ...deps, qbit: racing }, watch, at(2));
    assert.equal(r.counts.downloading, 3);
  });

  it('two stores are watched side by side: a slow poll of one does not hold up the other', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => { open = r; });
    const slow = Object.assign(new FakeQbit(), { getTorrents: async () => { await gate; return []; } });
    const stuck = pollOnce({ ...deps, qbit: slow, lockKey: 'store-a' }, watch, at(1));
    // Should the other store wait too, it is let go after a while, so the test fails instead of hanging.
    const other = pollOnce({ ...deps, lockKey: 'store-b' }, watch, at(1)).then((r) => r.counts.downloading);
    const first = await Promise.race([other, new Promise((r) => setTimeout(() => r('still waiting'), 5000))]);
    open();
    await stuck;
    assert.equal(first, 2);
  });

  it('works without a wanted store', async () => {
    await runQueue({ qbit, source: { downloadTorrent: async (id) => fakeTorrent(`book-${id}`) }, downloads: deps.downloads, lockKey: dir }, [candidate(3)], queueSettings, undefined, () => at(0));
    const bare = { ...deps, wanted: undefined };
    await pollOnce(bare, watch, at(1));
    Object.assign(torrent(1), { phase: 'completed', progress: 1, contentPath: '/dl/book-1001' });
    Object.assign(torrent(2), { phase: 'failed', state: 'error' });
    qbit.torrents.delete(torrent(3).hash);
    abs.items.push(raw('li', '/dl/book-1001', 'Book 1', 1));
    const r = await pollOnce(bare, watch, at(2));
    assert.deepEqual(r.events.map((e) => `${e.event}:${e.download.key.slice(-1)}`).sort(), ['completed:1', 'failed:2', 'failed:3', 'imported:1']);
    assert.deepEqual(r.warnings, []);
  });
});
