// The in-memory world of the watcher's unit tests: a FakeQbit, an in-memory Audiobookshelf and
// the two stores in a fresh directory, a clock in minutes from one start, the queue's settings
// and a source whose .torrent for id N is a distinct fake torrent "book-N".
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DownloadStore } from '../../lib/queue/downloads';
import type { QueueSettings } from '../../lib/queue/queue';
import { WantedStore } from '../../lib/store/wanted';
import { FakeLibraryAbs } from './abs-fake';
import { FakeQbit, fakeTorrent } from './qbittorrent';

const T0 = Date.parse('2025-01-01T00:00:00Z');

/** The test clock: `min` minutes after the start. */
export const at = (min: number): Date => new Date(T0 + min * 60_000);

export const QUEUE_SETTINGS: QueueSettings = { category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false };

export const FAKE_SOURCE = { downloadTorrent: async (id: number) => fakeTorrent(`book-${id}`) };

export interface WatchWorld { dir: string; qbit: FakeQbit; abs: FakeLibraryAbs; wanted: WantedStore; downloads: DownloadStore }

export async function openWatchWorld(prefix: string): Promise<WatchWorld> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, qbit: new FakeQbit(), abs: new FakeLibraryAbs(), wanted: await WantedStore.open(dir), downloads: await DownloadStore.open(dir) };
}
