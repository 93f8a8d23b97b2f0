// The whole pipeline through the lib layer, as the nodes run it: abs-library (readLibrary) →
// series-gaps (findGaps + persistGaps) → mam-search (runSearch; or indexer-search in an
// indexer world, indexer-world.ts) → qbit-queue (runQueue), then
// one abs-import-watch poll (pollOnce, qBittorrent side), as a real flow's watcher runs between
// two nightly runs: what it records (a removed torrent is failed) is what the next run sees.
// Every run makes fresh clients (like a deploy) on the world's store directory, and stops at
// the first stage that throws, recording which one and the error.
import { AbsClient } from '../../lib/abs/client';
import { readLibrary } from '../../lib/abs/library-reader';
import { findGaps, persistGaps } from '../../lib/gaps/find';
import { explainMissing } from '../../lib/abs/missing';
import { MamClient } from '../../lib/mam/client';
import { RotatedCookieStore } from '../../lib/mam/cookie-store';
import { runSearch } from '../../lib/mam/search-run';
import { AudibleProvider } from '../../lib/metadata/audible';
import { MetadataCache } from '../../lib/metadata/cache';
import { GoodreadsProvider } from '../../lib/metadata/goodreads';
import type { MetadataProvider } from '../../lib/metadata/provider';
import { adapter } from './checks';
import { indexerStage } from './indexer-world';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue, type QueueDeps, type QueueReport, type QueueSettings } from '../../lib/queue/queue';
import { collection } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import { pollOnce } from '../../lib/watch/watcher';
import type { Gap, NotFound } from '../../lib/types';
import type { World } from './world';

export type Stage = 'abs-library' | 'series-gaps' | 'mam-search' | 'indexer-search' | 'qbit-queue' | 'abs-import-watch';

export interface RunOptions {
  now?: Date;
  absTimeoutMs?: number;
  /** Point a client somewhere else (a dead port: the service is down). */
  absUrl?: string;
  metaUrl?: string;
  mamUrl?: string;
  qbitUrl?: string;
  qbitPassword?: string;
  /** An indexer world's Prowlarr / Torznab at another URL or with another API key. */
  indexerUrl?: string;
  indexerKey?: string;
  provider?: 'audible' | 'goodreads';
  hooks?: QueueDeps['hooks'];
  maxPerRun?: number;
}

export interface RunOutcome {
  stage?: Stage;
  error?: Error;
  books: number;
  gaps: Gap[];
  warnings: string[];
  notFound: NotFound[];
  searchStoppedBy?: string;
  /** The search node that ran: mam-search, or indexer-search in an indexer world. */
  searchNode: 'mam-search' | 'indexer-search';
  queue?: QueueReport;
  requests: { abs: number; metadata: number; mam: number };
}

export const queueSettings = (w: World, maxPerRun = 10): QueueSettings => ({
  category: 'audiobooks', tags: ['fault-matrix'], savePath: w.qbit.downloads, paused: false, maxPerRun, dryRun: false, requireApproval: false,
});

export async function runPipeline(w: World, opts: RunOptions = {}): Promise<RunOutcome> {
  const now = opts.now ?? new Date();
  const out: RunOutcome = { books: 0, gaps: [], warnings: [], notFound: [], searchNode: w.indexer ? 'indexer-search' : 'mam-search', requests: { abs: 0, metadata: 0, mam: 0 } };
  const abs = new AbsClient({ baseUrl: opts.absUrl ?? w.abs.url, token: w.abs.token, timeoutMs: opts.absTimeoutMs ?? 3000, retries: 1, pageSize: 2 });
  const cache = await MetadataCache.open(w.dir, 7 * 86400_000, () => now.getTime());
  const provider: MetadataProvider = opts.provider === 'goodreads'
    ? new GoodreadsProvider({ baseUrl: opts.metaUrl ?? w.meta.url, cache, minIntervalMs: 0 })
    : new AudibleProvider({ baseUrl: opts.metaUrl ?? w.meta.url, cache, minIntervalMs: 0, retries: 1, backoffMs: 20, timeoutMs: 3000 });
  const cookies = new RotatedCookieStore(await collection(w.dir, 'state'), 'fault-mam-account', w.mamId);
  const mam = new MamClient({
    baseUrl: opts.mamUrl ?? w.mam.url, mamId: w.mamId, minIntervalMs: 0, retries: 1, backoffMs: 20, timeoutMs: 3000,
    restoreCookie: () => cookies.load(), onCookieRotated: (next) => cookies.save(next),
  });
  // The world's client (qBittorrent, Transmission or Deluge); every record names it (scope).
  const qbit = adapter(w, opts.qbitUrl ?? w.qbit.url, opts.qbitPassword ?? w.qbit.password);
  const scope = { ref: { type: w.client } };
  const indexer = w.indexer ? indexerStage(w.indexer, { url: opts.indexerUrl, apiKey: opts.indexerKey }) : undefined;
  let stage: Stage = 'abs-library';
  try {
    const { books, warnings, missing } = await readLibrary(abs, { libraryIds: [w.libraryId], pageSize: 2 });
    out.books = books.length;
    out.warnings.push(...warnings);
    stage = 'series-gaps';
    const wanted = await WantedStore.open(w.dir);
    const found = await findGaps(books, [provider]);
    // As series-gaps does with abs-library's msg.missingBooks.
    explainMissing(found.gaps, missing);
    const saved = await persistGaps(wanted, found, now);
    out.gaps = [...found.gaps, ...saved.kept];
    out.warnings.push(...found.warnings);
    stage = out.searchNode;
    const cacheStore = await collection(w.dir, 'cache');
    const search = indexer
      ? await indexer.search(out.gaps, { wanted, cache: cacheStore, now })
      : await runSearch(out.gaps, { api: mam, wanted, cache: cacheStore, now: () => now }, { maxSearches: 30, retryDays: [1, 3] });
    out.notFound = search.notFound;
    out.searchStoppedBy = search.stats.stoppedBy;
    stage = 'qbit-queue';
    const deps: QueueDeps = { qbit, scope, source: indexer?.source ?? mam, downloads: await DownloadStore.open(w.dir), wanted, lockKey: w.dir, hooks: opts.hooks };
    out.queue = await runQueue(deps, search.candidates, queueSettings(w, opts.maxPerRun), undefined, () => now);
    stage = 'abs-import-watch';
    await pollOnce({ qbit, scope, downloads: deps.downloads, wanted, lockKey: w.dir }, { libraryId: w.libraryId, scanOnComplete: false, stalledMinutes: 60, notImportedMinutes: 60 }, now);
  } catch (err) {
    out.stage = stage;
    out.error = err as Error;
  } finally {
    out.requests = { abs: abs.requestCount, metadata: provider.requestCount(), mam: mam.requestCount };
    void qbit.close();
    await Promise.all([abs.close(), provider.close(), mam.close(), indexer?.close()]);
  }
  return out;
}

/** The first line of what a user would read for this run: the error, or the warnings / not-found reasons. */
export function userText(o: RunOutcome): string {
  if (o.error) return o.error.message;
  const parts = [...o.warnings, ...(o.searchStoppedBy ? [`${o.searchNode} stopped: ${o.searchStoppedBy}`] : []), ...o.notFound.map((n) => n.reason), ...(o.queue?.failed.map((f) => f.reason) ?? [])];
  return parts[0] ?? '';
}
