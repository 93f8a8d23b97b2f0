// One ABS item is one download's import: a download whose content path holds another book's
// item (a multi-file torrent saved without a subfolder into the shared download folder) does not
// claim that item because the author agrees; the records of one omnibus torrent share theirs.
import assert from 'node:assert/strict';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue } from '../../lib/queue/queue';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Candidate } from '../../lib/types';
import { pollOnce, type WatchSettings } from '../../lib/watch/watcher';
import { type FakeQbit, candidate } from '../helpers/qbittorrent';
import type { FakeLibraryAbs } from '../helpers/abs-fake';
import { FAKE_SOURCE as source, QUEUE_SETTINGS as settings, at, openWatchWorld } from '../helpers/watch-world';

describe('lib/watch: an ABS item is claimed by one download (or one omnibus torrent)', () => {
  const watch: WatchSettings = { libraryId: 'lib1', scanOnComplete: false, stalledMinutes: 30, notImportedMinutes: 60 };
  let qbit: FakeQbit;
  let abs: FakeLibraryAbs;
  let downloads: DownloadStore;
  let wanted: WantedStore;
  let dir: string;
  const item = (id: string, path: string, title: string, minute: number) =>
    ({ id, path, addedAt: at(minute).getTime(), media: { duration: 0, numAudioFiles: 1, metadata: { title, authorName: 'James S. A. Corey' } } });
  const deps = () => ({ qbit, abs, source, downloads, wanted, lockKey: dir });
  const complete = (name: string, contentPath?: string) => {
    const t = [...qbit.torrents.values()].find((x) => x.name === name);
    assert.ok(t, `torrent ${name}`);
    Object.assign(t, { phase: 'completed', state: 'uploading', progress: 1 }, contentPath ? { contentPath } : {});
  };

  beforeEach(async () => {
    ({ dir, qbit, abs, wanted, downloads } = await openWatchWorld('abg-claimed-'));
  });
  afterEach(() => forgetStores());

  async function twoBooksOneFolder(samePoll: boolean) {
    const [a, b] = [candidate(1), candidate(2)];
    await wanted.syncGaps([a.gap, b.gap]);
    await runQueue(deps(), [a, b], settings, undefined, () => at(0));
    // Book 1 lands in its own folder; book 2 is a multi-file torrent saved into /dl itself.
    complete('book-1001');
    abs.items.push(item('li_a', '/dl/book-1001', 'Book 1', 2));
    if (!samePoll) await pollOnce(deps(), watch, at(3));
    complete('book-1002', '/dl');
    const r = await pollOnce(deps(), watch, at(4));
    return { r, a, b };
  }

  for (const samePoll of [false, true]) {
    it(`another book's item under a shared save path is not this book's import (${samePoll ? 'same poll' : 'a later poll'})`, async () => {
      const { b, a } = await twoBooksOneFolder(samePoll);
      assert.equal((await wanted.get(a.gap.key))?.state, 'imported');
      assert.equal((await wanted.get(b.gap.key))?.state, 'completed', 'book 2 waits for its own item');
      const [rb] = await downloads.list({ key: b.gap.key });
      assert.equal(rb.watch?.item, undefined);
    });
  }

  it('the gaps of one omnibus torrent share its item', async () => {
    const omni = (n: number): Candidate => ({ ...candidate(n), torrent: { ...candidate(1).torrent, id: 1100, title: 'Books 1-2', covers: ['1', '2'] } });
    const [c1, c2] = [omni(1), omni(2)];
    await wanted.syncGaps([c1.gap, c2.gap]);
    await runQueue(deps(), [c1, c2], settings, undefined, () => at(0));
    assert.equal(qbit.torrents.size, 1);
    complete('book-1100');
    // Found by path for both (its folder); the title names both books.
    abs.items.push(item('li_o', '/dl/book-1100', 'Book 1 and Book 2', 2));
    await pollOnce(deps(), watch, at(3));
    assert.deepEqual([(await wanted.get(c1.gap.key))?.state, (await wanted.get(c2.gap.key))?.state], ['imported', 'imported']);
  });
});
