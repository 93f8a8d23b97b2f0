// Fault matrix, store row: a crash in the middle of a compaction (the scheduled one, or the one
// after every add that drops the .torrent bytes). nedb rewrites a file by writing `<file>~`,
// flushing it, then renaming it over the file; a crash can stop at each step. The files each
// crash point leaves are made by hand from a real ledger, then the store is opened as after a
// restart: every record must be there, a re-run must add nothing twice, and the next compaction
// must leave one clean file.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DownloadStore, type DownloadRecord } from '../../lib/queue/downloads';
import { runQueue } from '../../lib/queue/queue';
import { closeStores, collection } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import { pollOnce } from '../../lib/watch/watcher';
import { FakeQbit, candidate, fakeTorrent } from '../helpers/qbittorrent';
import { printMatrixAtEnd, record } from './matrix';

printMatrixAtEnd();

const settings = { category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false };
const watch = { libraryId: '', scanOnComplete: false, stalledMinutes: 60, notImportedMinutes: 60 };
const view = (recs: DownloadRecord[]) => recs.map((r) => [r.key, r.phase, r.hash, r.watch?.progress]).sort();

describe('fault matrix: store compaction cut by a crash', () => {
  it('temp file half-written, complete but not renamed, or left alone: every record kept, nothing added twice, one clean file after', async () => {
    const qbit = new FakeQbit();
    const source = { downloadTorrent: async (id: number) => fakeTorrent(`book-${id}`) };
    const cands = [1, 2, 3].map((n) => candidate(n));
    // A real ledger: three adds, then progress the watcher writes (appended lines).
    const base = mkdtempSync(join(tmpdir(), 'abg-compact-crash-'));
    let downloads = await DownloadStore.open(base);
    const wanted = await WantedStore.open(base);
    await wanted.syncGaps(cands.map((c) => c.gap));
    await runQueue({ qbit, source, downloads, wanted, lockKey: base }, cands, settings);
    for (const [i, t] of [...qbit.torrents.values()].entries()) t.progress = 0.1 * (i + 1);
    await pollOnce({ qbit, downloads, wanted, lockKey: base }, watch);
    const expected = view(await downloads.list());
    closeStores();
    const file = join(base, 'downloads.db');
    const appended = readFileSync(file, 'utf8');
    // What the compaction was writing: the same records, one line each.
    const copy = mkdtempSync(join(tmpdir(), 'abg-compact-full-'));
    cpSync(base, copy, { recursive: true });
    await (await collection(copy, 'downloads') as unknown as { compactDatafileAsync(): Promise<void> }).compactDatafileAsync();
    closeStores();
    const compacted = readFileSync(join(copy, 'downloads.db'), 'utf8');
    assert.ok(compacted.length < appended.length, 'compaction drops superseded lines');

    const crashes: [string, (dir: string) => void][] = [
      ['temp half-written', (dir) => writeFileSync(join(dir, 'downloads.db~'), compacted.slice(0, Math.floor(compacted.length / 2)))],
      ['temp complete, not renamed', (dir) => writeFileSync(join(dir, 'downloads.db~'), compacted)],
      ['only the temp left', (dir) => { writeFileSync(join(dir, 'downloads.db~'), compacted); rmSync(join(dir, 'downloads.db')); }],
    ];
    for (const [label, crash] of crashes) {
      const dir = mkdtempSync(join(tmpdir(), 'abg-compact-at-'));
      cpSync(base, dir, { recursive: true });
      crash(dir);
      downloads = await DownloadStore.open(dir);
      assert.deepEqual(view(await downloads.list()), expected, `${label}: every record kept`);
      const again = await runQueue({ qbit, source, downloads, wanted: await WantedStore.open(dir), lockKey: dir }, cands, settings);
      assert.deepEqual(again.downloads, [], `${label}: nothing added twice`);
      await (await collection(dir, 'downloads') as unknown as { compactDatafileAsync(): Promise<void> }).compactDatafileAsync();
      assert.equal(existsSync(join(dir, 'downloads.db~')), false, `${label}: no temp file left`);
      assert.equal(readFileSync(join(dir, 'downloads.db'), 'utf8'), compacted, `${label}: one line per record (and the key index), as a clean compaction writes`);
      closeStores();
    }
    assert.equal(qbit.adds, 3);
    record({ row: 'crash during store compaction (3 crash points)', service: 'Store', outcome: 'every record kept', error: '', rerun: 'nothing added twice; next compaction leaves one clean file' });
  });
});
