// Periodic compaction of the store files. nedb appends a line for every update and rewrites
// the file only on load, so a Node-RED that runs for weeks without a deploy would keep every
// superseded record on disk. Each open file is compacted on a schedule, and only when it grew
// since the last compaction (an idle store is not rewritten). The timer never keeps the
// process alive and is cleared when the store handles are closed.
import { statSync } from 'node:fs';
import type { Collection } from './store';

export const DEFAULT_COMPACT_EVERY_MS = 30 * 60_000;

/** The timer functions, injectable so a test can tick the schedule without waiting. */
export interface Timers {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

const realTimers: Timers = {
  setInterval: (fn, ms) => setInterval(fn, ms).unref(),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

let everyMs = DEFAULT_COMPACT_EVERY_MS;
let timers: Timers = realTimers;
const running = new Map<string, { handle: unknown; stop: () => void }>();

/** Changes the schedule for files opened from now on (tests, the bench). */
export function configureCompaction(opts: { everyMs?: number; timers?: Timers }): void {
  if (opts.everyMs !== undefined) everyMs = Math.max(5_000, opts.everyMs);
  if (opts.timers) timers = opts.timers;
}

export function resetCompaction(): void {
  stopAllCompaction();
  everyMs = DEFAULT_COMPACT_EVERY_MS;
  timers = realTimers;
}

function size(filename: string): number {
  try { return statSync(filename).size; } catch { return 0; }
}

/** Rewrites the file when it grew since the last compaction; resolves true when it did. */
export async function compactIfGrown(db: Collection, filename: string, last: { bytes: number }): Promise<boolean> {
  if (size(filename) <= last.bytes) return false;
  await (db as unknown as { compactDatafileAsync(): Promise<void> }).compactDatafileAsync();
  last.bytes = size(filename);
  return true;
}

/** Starts the schedule for one open file (its size now, right after nedb's load-time compaction, is the baseline). */
export function startCompaction(db: Collection, filename: string): void {
  stopCompaction(filename);
  const last = { bytes: size(filename) };
  const handle = timers.setInterval(() => { compactIfGrown(db, filename, last).catch(() => undefined); }, everyMs);
  const owner = timers;
  running.set(filename, { handle, stop: () => owner.clearInterval(handle) });
}

export function stopCompaction(filename: string): void {
  running.get(filename)?.stop();
  running.delete(filename);
}

export function stopAllCompaction(): void {
  for (const name of [...running.keys()]) stopCompaction(name);
}
