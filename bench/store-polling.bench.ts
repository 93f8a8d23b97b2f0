// The downloads store under the watcher: one hour of polling every 10 s (360 polls) with 50
// active downloads, on the real nedb files. 20 downloads are stuck at 0 %, 20 creep along at
// different speeds (a few percent to a few tens of percent in the hour), 10 finish. Prints
// the file's bytes and lines before the hour, after it (before compaction), and after the
// scheduled compaction, plus what rewriting every active record on every poll (the old
// behaviour) would have appended. Not a pass/fail test.
// Run: npm run bench store   (or: node --import tsx bench/store-polling.bench.ts)
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DownloadStore } from '../lib/queue/downloads';
import { runQueue } from '../lib/queue/queue';
import { closeStores, collection } from '../lib/store/store';
import { WantedStore } from '../lib/store/wanted';
import { pollOnce, type WatchSettings } from '../lib/watch/watcher';
import { FakeQbit, candidate, fakeTorrent } from '../test/helpers/qbittorrent';

const DOWNLOADS = 50;
const POLL_S = 10;
const POLLS = 3600 / POLL_S;
const watch: WatchSettings = { libraryId: '', scanOnComplete: false, stalledMinutes: 30, notImportedMinutes: 60 };
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'abg-bench-store-'));
  const file = join(dir, 'downloads.db');
  const file0 = () => ({ bytes: statSync(file).size, lines: readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).length });
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  const qbit = new FakeQbit();
  const wanted = await WantedStore.open(dir);
  const cands = Array.from({ length: DOWNLOADS }, (_, i) => candidate(i + 1));
  await wanted.syncGaps(cands.map((c) => c.gap));
  const downloads = await DownloadStore.open(dir);
  await runQueue({ qbit, source: { downloadTorrent: async (id) => fakeTorrent(`book-${id}`) }, downloads, wanted, lockKey: dir },
    cands, { category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: DOWNLOADS, dryRun: false, requireApproval: false }, undefined, () => new Date(t0));
  const deps = { qbit, downloads, wanted, lockKey: dir };
  const torrents = [...qbit.torrents.values()];
  // Per-poll progress: stuck, creeping (0.01 %–0.1 % per poll), finishing within the hour.
  const rate = torrents.map((_, i) => (i < 20 ? 0 : i < 40 ? 0.0001 * (1 + ((i - 20) % 10)) : 1 / (60 + 20 * (i - 40))));

  await pollOnce(deps, watch, new Date(t0 + 1000)); // the first poll records every download once
  const before = file0();
  let events = 0;
  const started = performance.now();
  for (let p = 1; p <= POLLS; p++) {
    torrents.forEach((t, i) => {
      t.progress = Math.min(1, t.progress + rate[i]);
      if (t.progress >= 1) Object.assign(t, { phase: 'completed', state: 'stalledUP' });
    });
    events += (await pollOnce(deps, watch, new Date(t0 + 1000 + p * POLL_S * 1000))).events.length;
  }
  const ms = performance.now() - started;
  const after = file0();
  const db = await collection(dir, 'downloads');
  await (db as unknown as { compactDatafileAsync(): Promise<void> }).compactDatafileAsync(); // what the scheduled compaction does
  const compacted = file0();
  const recordBytes = compacted.bytes / compacted.lines;
  const active = torrents.length; // the old watcher rewrote every not-done download each poll
  console.log(`store polling bench: ${DOWNLOADS} active downloads, ${POLLS} polls at ${POLL_S} s (one simulated hour), ${events} events, ${(ms / POLLS).toFixed(1)} ms per poll`);
  console.log(`  downloads.db before the hour     ${kb(before.bytes).padStart(9)}  ${before.lines} lines`);
  console.log(`  after the hour (not compacted)   ${kb(after.bytes).padStart(9)}  ${after.lines} lines  (+${after.lines - before.lines} lines: state changes and whole-percent steps only)`);
  console.log(`  after the scheduled compaction   ${kb(compacted.bytes).padStart(9)}  ${compacted.lines} lines  (one per download)`);
  console.log(`  rewriting every active record every poll would have appended ≈ ${POLLS * active} lines ≈ ${kb(POLLS * active * recordBytes)}`);
  closeStores();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
