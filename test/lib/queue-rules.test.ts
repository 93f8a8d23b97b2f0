// qbit-queue's rules one by one, with an in-memory MAM and qBittorrent: what the user sees
// added, skipped or failed (and why), what the ledger and the wanted record say afterwards.
import assert from 'node:assert/strict';
import { ServiceError } from '../../lib/errors';
import type { AddOptions } from '../../lib/qbit/adapter';
import { readTorrentFile } from '../../lib/qbit/torrent-file';
import { DownloadStore } from '../../lib/queue/downloads';
import { partialReport, runQueue, type QueueDeps, type QueueSettings } from '../../lib/queue/queue';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Candidate } from '../../lib/types';
import { tempStoreDir } from '../helpers/node-red';
import { FakeQbit, candidate, fakeTorrent } from '../helpers/qbittorrent';

const settings = (over: Partial<QueueSettings> = {}): QueueSettings => ({ category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false, ...over });
const T0 = Date.parse('2030-05-01T00:00:00Z');
const at = (h: number) => () => new Date(T0 + h * 3600_000);
const key = (n: number) => candidate(n).gap.key;
const hashOf = (id: number) => readTorrentFile(fakeTorrent(`book-${id}`)).hash;
/** Candidate n offered with another torrent (a backup mam-search ranked lower). */
const withTorrent = (n: number, id: number): Candidate => { const c = candidate(n); c.torrent = { ...c.torrent, id }; return c; };
const reasons = (r: { skipped: { key: string; reason: string }[] }) => r.skipped.map((s) => `${s.key.slice(-1)}: ${s.reason}`);

/** qBittorrent that records what each add asked for, and can answer an add with an error. */
class RecordingQbit extends FakeQbit {
  asked: AddOptions[] = [];
  addError: ((file: Uint8Array) => Promise<{ hash: string; name: string }>) | undefined;
  override async addTorrent(file: Uint8Array, opts: AddOptions = {}) {
    this.asked.push(opts);
    if (this.addError) return this.addError(file);
    return super.addTorrent(file, opts);
  }
}

describe('lib/queue rules (in-memory MAM and qBittorrent)', () => {
  let dir: string;
  let qbit: RecordingQbit;
  let wanted: WantedStore;
  let deps: QueueDeps;
  let fetched: number[];
  const fails = new Map<number, unknown>();
  const source = { downloadTorrent: async (id: number) => { fetched.push(id); if (fails.has(id)) throw fails.get(id); return fakeTorrent(`book-${id}`); } };

  beforeEach(async () => {
    forgetStores();
    dir = tempStoreDir('abg-queue-rules-');
    qbit = new RecordingQbit();
    fetched = [];
    fails.clear();
    wanted = await WantedStore.open(dir);
    await wanted.syncGaps([1, 2, 3].map((n) => candidate(n).gap), new Date(T0));
    deps = { qbit, source, downloads: await DownloadStore.open(dir), wanted, lockKey: dir };
  });

  describe('refused torrents', () => {
    it('a torrent refused for a book is skipped, not fetched; the book\'s next candidate is queued', async () => {
      await wanted.refuse(key(1), { torrentId: 1001, reason: 'stalled', at: at(0)().toISOString() });
      const report = await runQueue(deps, [candidate(1), withTorrent(1, 2001), candidate(2)], settings(), undefined, at(1));
      assert.deepEqual(reasons(report), ['1: torrent 1001 was refused for this book before']);
      assert.deepEqual(report.downloads.map((d) => [d.key, d.torrentId]), [[key(1), 2001], [key(2), 1002]]);
      assert.deepEqual(fetched, [2001, 1002]);
    });

    it('a torrent whose hash was refused for the book (under another id) is not added; the next candidate is', async () => {
      await wanted.refuse(key(1), { torrentId: 999, hash: hashOf(1001), reason: 'failed', at: at(0)().toISOString() });
      const report = await runQueue(deps, [candidate(1), withTorrent(1, 2001)], settings(), undefined, at(1));
      assert.deepEqual(report.failed, [{ key: key(1), reason: `torrent 1001 is ${hashOf(1001)}, refused for this book before` }]);
      assert.deepEqual(report.downloads.map((d) => d.torrentId), [2001]);
      assert.deepEqual([qbit.adds, (await deps.downloads.get(key(1)))?.hash], [1, hashOf(2001)]);
    });
  });

  describe('what qBittorrent is asked and answers', () => {
    it('the add carries category, tags, save path and paused; an empty save path leaves qBittorrent\'s default', async () => {
      await runQueue(deps, [candidate(1)], settings({ category: 'books', tags: ['x'], savePath: '/books', paused: true }), undefined, at(1));
      await runQueue(deps, [candidate(2)], settings(), undefined, at(1));
      assert.deepEqual(qbit.asked, [
        { category: 'books', tags: ['audiobook-gaps', 'x', 'The Expanse'], savePath: '/books', paused: true },
        { category: 'audiobooks', tags: ['audiobook-gaps', 'The Expanse'], savePath: undefined, paused: false },
      ]);
      assert.deepEqual([(await deps.downloads.get(key(1)))?.savePath, (await deps.downloads.get(key(2)))?.savePath], ['/books', '/dl']);
    });

    it('the wanted record names the hash and the torrent (by its .torrent name), and says it was added', async () => {
      const nameless = { downloadTorrent: async (id: number) => fakeTorrent(id === 1002 ? '' : `book-${id}`) };
      await runQueue({ ...deps, source: nameless }, [candidate(1), candidate(2)], settings(), undefined, at(1));
      const rec = await wanted.get(key(1));
      assert.deepEqual([rec?.state, rec?.hash, rec?.torrent], ['queued', hashOf(1001), { id: 1001, title: 'book-1001' }]);
      assert.equal(rec?.history.at(-1)?.note, `added to qBittorrent (${hashOf(1001)})`);
      assert.deepEqual((await wanted.get(key(2)))?.torrent, { id: 1002, title: 'Book 2' }, 'a .torrent without a name: MAM\'s title');
    });

    it('"Fails." for a hash qBittorrent already holds (added a moment ago) is an adoption, not a failure', async () => {
      qbit.addError = async (file) => { await FakeQbit.prototype.addTorrent.call(qbit, file); throw new ServiceError('qBittorrent', 'Fails.'); };
      const report = await runQueue(deps, [candidate(1)], settings(), undefined, at(1));
      assert.deepEqual([report.downloads.map((d) => d.key), report.failed], [[key(1)], []]);
      assert.equal((await deps.downloads.get(key(1)))?.adopted, true);
      assert.equal((await wanted.get(key(1)))?.history.at(-1)?.note, 'already in qBittorrent, adopted');
    });

    it('"Fails." for a torrent qBittorrent does not hold fails that book (no intent kept, no backup tried); the rest go on', async () => {
      qbit.addError = async (file) => { if (readTorrentFile(file).name === 'book-1001') throw new ServiceError('qBittorrent', 'Fails.'); return FakeQbit.prototype.addTorrent.call(qbit, file); };
      const report = await runQueue(deps, [candidate(1), withTorrent(1, 2001), candidate(2)], settings(), undefined, at(1));
      assert.deepEqual(report.failed, [{ key: key(1), reason: 'qBittorrent: Fails.' }]);
      assert.deepEqual(reasons(report), ['1: backup candidate not tried: the one before it failed (see msg.failed)']);
      assert.deepEqual(report.downloads.map((d) => d.key), [key(2)]);
      assert.equal(await deps.downloads.get(key(1)), null);
      assert.equal((await wanted.get(key(1)))?.state, 'wanted');
    });

    for (const code of ['unreachable', 'auth']) {
      it(`qBittorrent ${code} during the add stops the run; no intent is kept, so the next run adds it`, async () => {
        const down = new ServiceError('qBittorrent', `went ${code}`, { code });
        qbit.addError = async () => { throw down; };
        await assert.rejects(runQueue(deps, [candidate(1), candidate(2)], settings(), undefined, at(1)), (e) => e === down);
        assert.deepEqual(await deps.downloads.list(), []);
        qbit.addError = undefined;
        const again = await runQueue(deps, [candidate(1)], settings(), undefined, at(2));
        assert.deepEqual([again.healed, again.downloads.map((d) => d.key), qbit.adds], [[], [key(1)], 1]);
      });
    }
  });

  describe('MAM refusals: the reason names MAM and the torrent', () => {
    it('an error that does not start with the service name gets it; one that does is kept as it is', async () => {
      fails.set(1001, new Error('socket hang up'));
      fails.set(1002, new Error('bad answer from MyAnonamouse'));
      fails.set(1003, new ServiceError('MyAnonamouse', 'torrent 1003 not found (404)', { code: 'not_found' }));
      const report = await runQueue(deps, [candidate(1), candidate(2), candidate(3)], settings(), undefined, at(1));
      assert.deepEqual(report.failed.map((f) => f.reason), [
        'MyAnonamouse: torrent 1001: socket hang up',
        'MyAnonamouse: torrent 1002: bad answer from MyAnonamouse',
        'MyAnonamouse: torrent 1003 not found (404)',
      ]);
    });
  });

  describe('the order of a gap\'s candidates', () => {
    it('an ignored book\'s other candidates are skipped too; the stored candidates are the gap\'s own, without the gap', async () => {
      await wanted.setIgnored(key(1), true);
      const report = await runQueue(deps, [candidate(1), withTorrent(1, 2001), candidate(2), withTorrent(2, 2002), candidate(3)], settings(), undefined, at(1));
      assert.deepEqual(reasons(report), ['1: ignored', '1: duplicate in this message', '2: backup candidate not needed: the book is queued']);
      const kept = (await wanted.get(key(2)))?.candidates ?? [];
      assert.deepEqual(kept.map((c) => c.torrent.id), [1002, 2002]);
      assert.ok(kept.every((c) => !('gap' in c)));
    });

    it('a planned wedge MAM will not sell fails the book; its backup is not tried in this run', async () => {
      const report = await runQueue(deps, [{ ...candidate(1), wedge: { reason: 'planned' } }, withTorrent(1, 2001)], settings(), undefined, at(1));
      assert.match(report.failed[0]?.reason ?? '', /cannot spend freeleech wedges/);
      assert.deepEqual(reasons(report), ['1: backup candidate not tried: the one before it failed (see msg.failed)']);
      assert.deepEqual(fetched, []);
    });
  });

  describe('dry run and approval', () => {
    it('a dry run needs no qBittorrent, heals nothing, counts toward the limit and skips a queued book\'s backup', async () => {
      await deps.downloads.recordIntent({ key: key(3), gap: candidate(3).gap, torrentId: 1003, category: 'audiobooks', tags: [], savePath: '', paused: false, intentAt: at(0)().toISOString() });
      qbit.down = new ServiceError('qBittorrent', 'cannot reach', { code: 'unreachable' });
      const report = await runQueue(deps, [candidate(1), withTorrent(1, 2001), candidate(2), candidate(3)], settings({ dryRun: true, maxPerRun: 1 }), undefined, at(1));
      assert.deepEqual(report.downloads.map((d) => [d.key, d.dryRun]), [[key(1), true]]);
      assert.deepEqual(reasons(report), ['1: backup candidate not needed: the book is queued', '2: limit of 1 per run reached', '3: being queued']);
      assert.deepEqual([report.healed, report.approvalNeeded, qbit.asked, fetched], [[], false, [], []]);
      assert.equal((await deps.downloads.get(key(3)))?.phase, 'intent');
    });

    it('approval is needed only while approval is required and nothing is approved', async () => {
      assert.equal((await runQueue(deps, [candidate(1)], settings(), undefined, at(1))).approvalNeeded, false);
      const approved = await runQueue(deps, [candidate(2)], settings({ requireApproval: true }), true, at(1));
      assert.deepEqual([approved.approvalNeeded, approved.downloads.map((d) => d.dryRun)], [false, [undefined]]);
    });
  });

  describe('healing what a dead run left', () => {
    it('an intent without its .torrent (the run died before MAM answered) is dropped and the book queued afresh', async () => {
      for (const n of [1, 2]) await deps.downloads.recordIntent({ key: key(n), gap: candidate(n).gap, torrentId: 1000 + n, category: 'audiobooks', tags: [], savePath: '', paused: false, intentAt: at(0)().toISOString() });
      await deps.downloads.update(key(2), { hash: hashOf(1002) }); // a hash without the file cannot be added either
      const report = await runQueue(deps, [candidate(1), candidate(2)], settings(), undefined, at(1));
      assert.deepEqual([report.healed, report.downloads.map((d) => d.key), fetched, qbit.adds], [[], [key(1), key(2)], [1001, 1002], 2]);
    });

    it('a heal that is still not confirmed is reported failed, not healed, and stays for the next run', async () => {
      const lost = Object.assign(new FakeQbit(), { addTorrent: async (file: Uint8Array) => readTorrentFile(file) });
      await runQueue({ ...deps, qbit: lost }, [candidate(1)], settings(), undefined, at(1));
      const again = await runQueue({ ...deps, qbit: lost }, [candidate(2)], settings(), undefined, at(2));
      assert.deepEqual(again.healed, []);
      assert.deepEqual(again.failed.map((f) => f.key), [key(1), key(2)]);
      assert.match(again.failed[0].reason, /does not list it/);
      assert.equal((await deps.downloads.get(key(1)))?.phase, 'intent');
    });
  });

  describe('an error mid-run', () => {
    it('with nothing queued yet the error carries no report; thrown values pass through unchanged', async () => {
      const expired = new ServiceError('MyAnonamouse', 'MAM session expired', { code: 'session_expired' });
      fails.set(1001, expired);
      const err = await runQueue(deps, [candidate(1), candidate(2)], settings(), undefined, at(1)).catch((e: unknown) => e);
      assert.equal(err, expired);
      assert.equal(partialReport(err), undefined);
      assert.equal(partialReport(null), undefined);
      assert.equal(partialReport('boom'), undefined);
      for (const thrown of ['crash', null]) {
        const crash = { ...deps, hooks: { afterIntent: (k: string) => { if (k === key(3)) throw thrown; } } };
        await assert.rejects(runQueue(crash, [candidate(2), candidate(3)], settings(), undefined, at(2)), (e) => e === thrown);
        await deps.downloads.drop(key(3));
      }
    });

    it('the partial report is attached to the error without becoming part of it, and lists healed books as queued', async () => {
      const lost = Object.assign(new FakeQbit(), { addTorrent: async (file: Uint8Array) => readTorrentFile(file) });
      await runQueue({ ...deps, qbit: lost }, [candidate(1)], settings(), undefined, at(1));
      const down = new ServiceError('qBittorrent', 'cannot reach', { code: 'unreachable' });
      const dying = { downloadTorrent: async (id: number) => { if (id === 1002) qbit.down = down; return source.downloadTorrent(id); } };
      const err = await runQueue({ ...deps, source: dying }, [candidate(2), candidate(1), candidate(3), withTorrent(3, 2003)], settings(), undefined, at(2)).catch((e: unknown) => e);
      assert.equal(err, down);
      const partial = partialReport(err);
      assert.deepEqual([partial?.healed, partial?.downloads.map((d) => d.key)], [[key(1)], [key(1)]]);
      // The healed book is not "not queued"; a book with two candidates is listed once.
      assert.deepEqual(partial?.failed, [key(2), key(3)].map((k) => ({ key: k, reason: 'not queued: qBittorrent: cannot reach' })));
      assert.deepEqual(Object.keys(err as object), Object.keys(new ServiceError('qBittorrent', 'x', { code: 'unreachable' })));
    });
  });

  describe('the ledger\'s unique key', () => {
    it('is the last guard: a look-up that missed the record (another writer, in between) still adds nothing twice', async () => {
      await runQueue(deps, [candidate(1)], settings(), undefined, at(1));
      const blind = Object.assign(Object.create(deps.downloads) as DownloadStore, { get: async () => null });
      const again = await runQueue({ ...deps, downloads: blind, wanted: undefined }, [candidate(1)], settings(), undefined, at(2));
      assert.deepEqual([reasons(again), again.downloads, qbit.adds], [['1: already queued'], [], 1]);
    });
  });

  describe('without a wanted store (the ledger alone)', () => {
    it('queues, fails a book MAM refuses, and never re-adds a removed download (no Retry can be recorded)', async () => {
      const bare = { ...deps, wanted: undefined };
      fails.set(1002, new ServiceError('MyAnonamouse', 'torrent 1002 not found (404)', { code: 'not_found' }));
      const first = await runQueue(bare, [candidate(1), candidate(2)], settings(), undefined, at(1));
      assert.deepEqual([first.downloads.map((d) => d.key), first.failed.map((f) => f.key)], [[key(1)], [key(2)]]);
      qbit.torrents.clear();
      await deps.downloads.setWatch(key(1), { emitted: ['failed'], done: true, reason: 'removed from qBittorrent' });
      const again = await runQueue(bare, [candidate(1)], settings(), undefined, at(2));
      assert.deepEqual([reasons(again), qbit.adds], [['1: already queued'], 1]);
    });
  });
});
