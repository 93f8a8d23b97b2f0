// lib/watch/match: an import is proven, not guessed. Each rule has a case that a looser rule
// (the old "either path is a parent of the other, before anything else") gets wrong.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue } from '../../lib/queue/queue';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import { matchItem, toLibraryItem, type LibraryItemLite } from '../../lib/watch/match';
import { pollOnce, type WatchDeps, type WatchSettings } from '../../lib/watch/watcher';
import { FakeQbit, candidate, fakeTorrent } from '../helpers/qbittorrent';
import { FakeLibraryAbs } from '../helpers/abs-fake';

const QUEUED = '2025-01-01T00:00:00.000Z';
const queuedMs = Date.parse(QUEUED);
const gap = candidate(1).gap; // "Book 1" by James S. A. Corey
const mapping = { from: '/dl', to: '/audiobooks' };
const it_ = (id: string, path: string, over: Partial<LibraryItemLite> = {}): LibraryItemLite =>
  ({ id, path, title: 'Other Book', authors: ['Someone Else'], addedAt: queuedMs + 60_000, ...over });
const match = (contentPath: string, items: LibraryItemLite[], folders: string[] = []) =>
  matchItem({ contentPath, gap, queuedAt: QUEUED }, items, mapping, folders);

describe('lib/watch/match: proven imports', () => {
  it('path: the item is the content path or inside it, added after queueing, and its title agrees', () => {
    const m = match('/dl/Book 1', [it_('a', '/audiobooks/Other'), it_('b', '/audiobooks/Book 1', { title: 'Book 1: Leviathan Wakes' })]);
    assert.deepEqual([m?.item.id, m?.by], ['b', 'path']);
    const inside = match('/dl/Pack', [it_('c', '/audiobooks/Pack/Book 1', { title: 'book 1' })]);
    assert.deepEqual([inside?.item.id, inside?.by], ['c', 'path']);
  });

  it('path: the author agreeing is enough when the title is spelled differently', () => {
    const m = match('/dl/Leviathan', [it_('a', '/audiobooks/Leviathan', { title: 'Leviathan Wakes', authors: ['James S.A. Corey'] })]);
    assert.deepEqual([m?.item.id, m?.by], ['a', 'path']);
  });

  it('path: an item further up than the content path is not proven by the path', () => {
    // A torrent folder saved inside an existing folder that ABS lists as an item: the old rule matched "a".
    assert.equal(match('/dl/Shelf/Book 1', [it_('a', '/audiobooks/Shelf', { title: 'Book 1' })]), undefined);
    assert.equal(match('/dl/Shelf/Book 1/part1.m4b', [it_('a', '/audiobooks/Shelf', { title: 'Book 1' })]), undefined, 'two levels up');
  });

  it('path: a single-file torrent (content path = the file) matches the folder holding that file, exactly', () => {
    const m = match('/dl/Book 1/Book 1.m4b', [it_('a', '/audiobooks/Book 1', { title: 'Book 1' })]);
    assert.deepEqual([m?.item.id, m?.by], ['a', 'path']);
    assert.equal(match('/dl/Book 1/Book 1.m4b', [it_('a', '/audiobooks/Book 1/Other', { title: 'Book 1' })]), undefined, 'a sibling is not it');
    assert.equal(match('/dl/Book 1/notes', [it_('a', '/audiobooks/Book 1', { title: 'Book 1' })]), undefined, 'not a media file: a folder');
    // The file saved straight into the library root: its holder is the root, which proves nothing.
    assert.equal(match('/dl/book1.mp3', [it_('a', '/audiobooks', { title: 'Book 1' })], ['/audiobooks']), undefined);
    assert.equal(match('/dl/book1.mp3', [it_('a', '/audiobooks/book1.mp3', { title: 'Book 1' })], ['/audiobooks'])?.by, 'path', 'ABS lists a root file as its own item');
  });

  it('path: an item added before the download was queued is somebody else\'s', () => {
    const old = it_('a', '/audiobooks/Book 1', { title: 'Book 1', addedAt: queuedMs - 3_600_000 });
    assert.equal(match('/dl/Book 1', [old]), undefined);
    assert.equal(match('/dl/Book 1', [{ ...old, addedAt: undefined }]), undefined, 'no addedAt: not proven');
    assert.equal(matchItem({ contentPath: '/dl/Book 1', gap }, [{ ...old, addedAt: queuedMs + 1 }], mapping), undefined, 'no queue time: not proven');
    assert.equal(match('/dl/Book 1', [{ ...old, addedAt: queuedMs + 1 }])?.by, 'path');
  });

  it('path: neither title nor author agreeing is not an import, whatever the path says', () => {
    assert.equal(match('/dl/Book 1', [it_('a', '/audiobooks/Book 1')]), undefined);
    // "Book 1" is not a whole-word part of "Book 10".
    assert.equal(match('/dl/Book 1', [it_('a', '/audiobooks/Book 1', { title: 'Book 10' })]), undefined);
  });

  it('a multi-file torrent saved without a subfolder (content path = library root) proves nothing by path', () => {
    // Every item lies under the root; the newest one, added after queueing by the same author, is not it.
    const newest = it_('newest', '/audiobooks/James S. A. Corey/Book 7', { title: 'Book 7', authors: ['James S. A. Corey'] });
    assert.equal(match('/dl', [newest], ['/audiobooks']), undefined);
    assert.equal(match('/dl/', [newest], ['/audiobooks/']), undefined, 'trailing slashes');
    assert.equal(match('/', [newest], ['/audiobooks']), undefined, 'a path above the library folder');
    // The file itself, once scanned, still matches by title + author.
    const own = it_('own', '/audiobooks/book1.m4b', { title: 'Book 1', authors: ['James S. A. Corey'] });
    assert.deepEqual(match('/dl', [newest, own], ['/audiobooks'])?.by, 'title-author');
  });

  it('falls through to ASIN, then title + author (both needed)', () => {
    assert.equal(match('/elsewhere', [it_('a', '/q', { asin: 'B0ABC' })]), undefined, 'the gap has no ASIN');
    assert.deepEqual(matchItem({ contentPath: '', gap: { ...gap, asin: 'b0abc' } }, [it_('a', '/q', { asin: 'B0ABC' })])?.by, 'asin');
    const same = it_('t', '/x/y', { title: 'book 1', authors: ['James S.A. Corey'], addedAt: 0 });
    assert.deepEqual(match('/elsewhere', [same])?.by, 'title-author');
    assert.equal(match('/elsewhere', [{ ...same, authors: ['Somebody Else'] }]), undefined, 'a title match needs the author');
    assert.equal(matchItem({ contentPath: '', gap: { ...gap, title: 'Book 9' } }, [same]), undefined);
  });

  it('an item whose files are gone (flagged missing or invalid by ABS) proves no import', () => {
    const same = toLibraryItem({ id: 'm', path: '/audiobooks/Book 1', addedAt: queuedMs + 1, isMissing: true, media: { metadata: { title: 'Book 1', authorName: 'James S. A. Corey', asin: 'B0ABC' } } })!;
    assert.equal(same.missing, true);
    assert.equal(match('/dl/Book 1', [same]), undefined);
    assert.equal(matchItem({ contentPath: '', gap: { ...gap, asin: 'B0ABC' } }, [same]), undefined);
    const invalid = toLibraryItem({ id: 'i', path: '/x', isInvalid: true, media: { metadata: { title: 'Book 1', authorName: 'James S. A. Corey' } } })!;
    assert.equal(match('/elsewhere', [invalid]), undefined);
    assert.equal(match('/elsewhere', [{ ...invalid, missing: undefined }])?.by, 'title-author');
  });

  it('reads addedAt from ABS items (list and expanded)', () => {
    assert.deepEqual(toLibraryItem({ id: 'x', path: '/p', addedAt: 5, isMissing: false, media: { metadata: { title: 'T', authorName: 'A & B' } } }), { id: 'x', title: 'T', path: '/p', authors: ['A', 'B'], addedAt: 5 });
  });
});

describe('lib/watch pollOnce: imports and removals', () => {
  const watch: WatchSettings = { libraryId: 'lib1', scanOnComplete: true, mapping, stalledMinutes: 30, notImportedMinutes: 60 };
  const t0 = Date.parse('2025-01-01T00:00:00Z');
  const at = (min: number) => new Date(t0 + min * 60_000);
  let qbit: FakeQbit;
  let abs: FakeLibraryAbs;
  let deps: WatchDeps;
  const raw = (id: string, path: string, title: string, authorName: string, addedMin: number) => ({ id, path, addedAt: at(addedMin).getTime(), media: { metadata: { title, authorName } } });

  beforeEach(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'abg-match-'));
    qbit = new FakeQbit();
    abs = new FakeLibraryAbs();
    const wanted = await WantedStore.open(dir);
    await wanted.syncGaps([candidate(1).gap]);
    const downloads = await DownloadStore.open(dir);
    const settings = { category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false };
    await runQueue({ qbit, source: { downloadTorrent: async (id) => fakeTorrent(`book-${id}`) }, downloads, wanted, lockKey: dir }, [candidate(1)], settings, undefined, () => at(0));
    deps = { qbit, abs, downloads, wanted, lockKey: dir };
  });
  afterEach(() => forgetStores());
  const torrent = () => [...qbit.torrents.values()][0];

  it('a multi-file torrent saved into the library root does not mark the newest item imported', async () => {
    // qBittorrent reports content_path = save path for a torrent without a root folder.
    Object.assign(torrent(), { phase: 'completed', state: 'uploading', progress: 1, contentPath: '/dl', savePath: '/dl' });
    abs.items.push(raw('newest', '/audiobooks/Someone/Other Book', 'Other Book', 'James S. A. Corey', 1), raw('older', '/audiobooks/X/Y', 'Y', 'X', -100));
    const r = await pollOnce(deps, watch, at(2));
    assert.deepEqual(r.events.map((e) => e.event), ['completed']);
    assert.equal((await deps.wanted?.get(gap.key))?.state, 'completed', 'the wanted book is not marked imported');
    // The book's own file appears after the next scan: matched by title + author, and it says so.
    abs.items.unshift(raw('own', '/audiobooks/Book 1.m4b', 'Book 1', 'James S. A. Corey', 3));
    const later = await pollOnce(deps, watch, at(4));
    assert.deepEqual(later.events.map((e) => [e.event, e.item?.id, e.match]), [['imported', 'own', 'title-author']]);
    assert.match((await deps.wanted?.get(gap.key))?.history.at(-1)?.note ?? '', /matched by title-author/);
  });

  it('a completed torrent removed afterwards (moved by the user or ABS) is not a failure, and is still imported', async () => {
    Object.assign(torrent(), { phase: 'completed', state: 'uploading', progress: 1 });
    assert.deepEqual((await pollOnce(deps, watch, at(1))).events.map((e) => e.event), ['completed']);
    qbit.torrents.clear();
    const r = await pollOnce(deps, watch, at(2));
    assert.deepEqual(r.events.map((e) => e.event), [], 'no "failed" for a torrent that had completed');
    assert.equal((await deps.wanted?.get(gap.key))?.state, 'completed');
    assert.deepEqual(r.counts, { downloading: 0, completed: 1, stalled: 0, imported: 0, failed: 0, suspect: 0 });
    abs.items.push(raw('li', '/audiobooks/Corey/Book 1', 'Book 1', 'James S. A. Corey', 3));
    assert.deepEqual((await pollOnce(deps, watch, at(4))).events.map((e) => [e.event, e.match]), [['imported', 'title-author']]);
  });
});
