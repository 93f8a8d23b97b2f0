// One poll of abs-import-watch: asks its download client about the hashes this package queued
// through that client (and nothing else; lib/clients/ref.ts says which records are its own), turns state changes into events, asks ABS to scan once something completed,
// and matches completed downloads to new library items. Each event is persisted in the
// download's record BEFORE it is returned for sending, so a restart never repeats one.
import { isDeepStrictEqual } from 'node:util';
import type { Download, ImportEvent, ImportEventName } from '../types';
import { errorMessage } from '../errors';
import { redact } from '../secrets';
import type { ClientTorrent as QbitTorrent, DownloadClient } from '../clients/types';
import type { WantedStore } from '../store/wanted';
import type { DownloadRecord, DownloadStore, WatchState } from '../queue/downloads';
import { serialized } from '../queue/lock';
import { follows, type ClientScope } from '../clients/ref';
import { matchItem, toLibraryItem, type LibraryItemLite, type PathMapping } from './match';
import { expectedRuntime, judgeImport, type ImportVerdict } from './verify';

/** What the watcher needs from Audiobookshelf (lib/abs AbsClient fits). */
export interface AbsForWatch {
  listLibraries(): Promise<{ id: string; mediaType: string; folders?: { fullPath: string }[] }[]>;
  listItems(libraryId: string, opts: { limit: number; page: number; sort: string; desc?: boolean }): Promise<{ results: unknown[] }>;
  scanLibrary(libraryId: string): Promise<void>;
}

export interface WatchSettings {
  /** Empty: every book library. */
  libraryId: string;
  scanOnComplete: boolean;
  mapping?: PathMapping;
  stalledMinutes: number;
  notImportedMinutes: number;
  /** How many of the newest library items to compare against. */
  recentItems?: number;
}

export interface WatchDeps {
  qbit: Pick<DownloadClient, 'getTorrents'> & Partial<Pick<DownloadClient, 'service'>>;
  /** Which client `qbit` is: only the records queued through it are followed (none: qBittorrent of old). */
  scope?: ClientScope;
  abs?: AbsForWatch;
  downloads: DownloadStore;
  wanted?: WantedStore;
  lockKey: string;
}

/** An ImportEvent plus why, for failed / stalled / not_imported. */
export type WatchEvent = ImportEvent & { reason?: string };

export interface WatchCounts { downloading: number; completed: number; stalled: number; imported: number; failed: number; suspect: number }

export interface WatchResult {
  events: WatchEvent[];
  counts: WatchCounts;
  /** ABS trouble does not stop qBittorrent tracking; it is reported here. */
  warnings: string[];
}

const MINUTE = 60_000;
/** Progress is kept (and counts as progress) in whole percent: finer moves are not worth a write,
 *  and a torrent creeping below 1 % per stall period is as good as stalled. */
const PROGRESS_STEPS = 100;

export function progressStep(progress: number): number {
  return Math.floor(progress * PROGRESS_STEPS + 1e-9) / PROGRESS_STEPS;
}

function toDownload(rec: DownloadRecord, state: Download['state'], t?: QbitTorrent): Download {
  return {
    key: rec.key, hash: rec.hash ?? '', name: t?.name ?? rec.name ?? '', category: rec.category, tags: rec.tags,
    savePath: t?.savePath ?? rec.savePath, state, queuedAt: rec.queuedAt ?? rec.intentAt, torrentId: rec.torrentId,
    ...(rec.client ? { client: rec.client } : {}),
  };
}

export function pollOnce(deps: WatchDeps, settings: WatchSettings, now = new Date()): Promise<WatchResult> {
  return serialized(`watch:${deps.lockKey}`, () => poll(deps, settings, now));
}

async function poll(deps: WatchDeps, settings: WatchSettings, now: Date): Promise<WatchResult> {
  const result: WatchResult = { events: [], counts: { downloading: 0, completed: 0, stalled: 0, imported: 0, failed: 0, suspect: 0 }, warnings: [] };
  const active = (await deps.downloads.list({ phase: 'added' })).filter((r) => r.hash && !r.watch?.done && follows(deps.scope, r));
  const service = deps.qbit.service ?? 'qBittorrent';
  const torrents = new Map((await deps.qbit.getTorrents(active.map((r) => r.hash as string))).map((t) => [t.hash, t]));
  const at = now.toISOString();
  const states = new Map<string, WatchState>();
  const contentPaths = new Map<string, string>();

  for (const rec of active) {
    const w: WatchState = { ...(rec.watch ?? {}), emitted: [...(rec.watch?.emitted ?? [])] };
    const t = torrents.get(rec.hash as string);
    const emit = (event: ImportEventName, state: Download['state'], reason?: string) => {
      w.emitted.push(event);
      if (reason) w.reason = reason;
      result.events.push({ event, download: toDownload(rec, state, t), ...(reason ? { reason } : {}) });
    };
    if (t) contentPaths.set(rec.key, t.contentPath);
    if (!t && !w.completedAt) {
      emit('failed', 'failed', `removed from ${service}`);
      w.done = true;
      w.phase = 'missing';
      await deps.wanted?.setState(rec.key, 'failed', {}, `removed from ${service} before it completed`, now);
    } else if (t?.phase === 'failed') {
      emit('failed', 'failed', `${service} reports "${t.state}"`);
      w.done = true;
      await deps.wanted?.setState(rec.key, 'failed', {}, `${service} state ${t.state}`, now);
    } else if (t?.phase === 'completed' && !w.completedAt) {
      w.completedAt = at;
      emit('completed', 'completed');
      await deps.wanted?.setState(rec.key, 'completed', {}, 'download complete', now);
    } else if (t && t.phase !== 'completed' && !w.completedAt) {
      // (A completed torrent being rechecked or moved is neither downloading nor stalled.)
      if (w.phase === undefined) await deps.wanted?.setState(rec.key, 'downloading', {}, undefined, now);
      if (t.held) {
        // Added paused, or being checked/moved: the stall clock starts when it can run (the
        // flag is written once, not a new timestamp on every poll).
        w.held = true;
      } else if (w.held) {
        delete w.held;
        w.lastProgressAt = at;
      } else if (w.progress === undefined || progressStep(t.progress) > w.progress) {
        w.lastProgressAt = at;
        w.emitted = w.emitted.filter((e) => e !== 'stalled');
      } else if (now.getTime() - Date.parse(w.lastProgressAt ?? rec.queuedAt ?? at) >= settings.stalledMinutes * MINUTE && !w.emitted.includes('stalled')) {
        emit('stalled', 'stalled', `no progress for ${settings.stalledMinutes} min (${Math.round(t.progress * 100)} %, ${t.state})`);
      }
    }
    if (t) { w.progress = progressStep(t.progress); w.phase = t.phase; }
    states.set(rec.key, w);
  }

  await importStep(deps, settings, active, states, contentPaths, result, now);

  // Only a change a user can see is written: nedb appends a whole record per update, so
  // rewriting every active download on every poll grew the file without bound.
  for (const rec of active) {
    const w = states.get(rec.key) as WatchState;
    if (!isDeepStrictEqual(w, rec.watch)) await deps.downloads.setWatch(rec.key, w);
  }
  await count(deps, result.counts);
  return result;
}

async function importStep(
  deps: WatchDeps, settings: WatchSettings, active: DownloadRecord[], states: Map<string, WatchState>,
  contentPaths: Map<string, string>, result: WatchResult, now: Date,
): Promise<void> {
  const waiting = active.filter((r) => { const w = states.get(r.key); return w?.completedAt && !w.done; });
  if (!waiting.length) return;
  if (!deps.abs) return;
  try {
    // The library folders too: a content path that is a library root proves no import.
    const all = await deps.abs.listLibraries();
    const libraries = settings.libraryId ? [settings.libraryId] : all.filter((l) => l.mediaType === 'book').map((l) => l.id);
    const folders = all.flatMap((l) => (l.folders ?? []).map((f) => f.fullPath));
    if (settings.scanOnComplete && waiting.some((r) => !states.get(r.key)?.scanRequestedAt)) {
      for (const id of libraries) await deps.abs.scanLibrary(id);
      for (const r of waiting) (states.get(r.key) as WatchState).scanRequestedAt ??= now.toISOString();
    }
    const items: LibraryItemLite[] = [];
    for (const id of libraries) {
      const page = await deps.abs.listItems(id, { limit: settings.recentItems ?? 200, page: 0, sort: 'addedAt', desc: true });
      for (const raw of page.results) { const item = toLibraryItem(raw); if (item) items.push(item); }
    }
    const ledger = await deps.downloads.list({});
    for (const rec of waiting) {
      const w = states.get(rec.key) as WatchState;
      const download = { contentPath: contentPaths.get(rec.key) ?? '', gap: rec.gap, name: rec.name, queuedAt: rec.queuedAt ?? rec.intentAt };
      const claimed = claimedElsewhere(rec, ledger, states);
      const match = matchItem(download, items.filter((i) => !claimed.has(i.id)), settings.mapping, folders);
      if (match) {
        w.item = { id: match.item.id, title: match.item.title, path: match.item.path };
        // What ABS measured against the book wanted: a doubt is shown, never swallowed.
        const verdict = await verifyImport(deps, rec, match.item);
        const event = verdict.suspect ? 'imported_suspect' : 'imported';
        w.emitted.push(event);
        w.done = true;
        w.verify = { reasons: verdict.reasons, evidence: verdict.evidence };
        if (verdict.suspect) w.reason = `suspect import: ${verdict.reasons.join('; ')}`;
        result.events.push({ event, download: toDownload(rec, event), item: w.item, match: match.by, verify: w.verify, ...(verdict.suspect ? { reason: w.reason } : {}) });
        const where = `in Audiobookshelf as "${match.item.title}" (matched by ${match.by})`;
        await deps.wanted?.setState(rec.key, event, {}, verdict.suspect ? `${where}, but suspect: ${verdict.reasons.join('; ')}` : where, now);
      }
    }
  } catch (err) {
    result.warnings.push(redact(errorMessage(err)));
  }
  for (const rec of waiting) {
    const w = states.get(rec.key) as WatchState;
    if (w.done || w.emitted.includes('not_imported')) continue;
    if (now.getTime() - Date.parse(w.completedAt as string) >= settings.notImportedMinutes * MINUTE) {
      w.emitted.push('not_imported');
      const reason = `no Audiobookshelf item after ${settings.notImportedMinutes} min`;
      w.reason = reason;
      result.events.push({ event: 'not_imported', download: toDownload(rec, 'not_imported'), reason });
    }
  }
}

/**
 * The ABS items other downloads already became: one item is one download's import. Two books of
 * one author saved without a subfolder into the same place would otherwise both claim the first
 * one's item (the path and the author agree). The one exception is an omnibus: the records of one
 * torrent (same hash) share its item, unless a record is an earlier, retired attempt of this book
 * (a refused suspect import still in the library is never this attempt's import). Items matched
 * earlier in this same poll count too (they are saved after the loop).
 */
function claimedElsewhere(rec: DownloadRecord, ledger: DownloadRecord[], states: Map<string, WatchState>): Set<string> {
  const claimed = new Set<string>();
  for (const r of ledger) {
    if (r.key === rec.key) continue;
    const id = (states.get(r.key)?.item ?? r.watch?.item)?.id;
    if (id && (r.retiredFrom === rec.key || r.hash !== rec.hash)) claimed.add(id);
  }
  return claimed;
}

/** The queued candidate's evidence (kept on the wanted record) gives the runtime if the gap has none. */
async function verifyImport(deps: WatchDeps, rec: DownloadRecord, item: LibraryItemLite): Promise<ImportVerdict> {
  const kept = (await deps.wanted?.get(rec.key))?.candidates?.find((c) => c.torrent.id === rec.torrentId);
  return judgeImport(rec.gap, item, expectedRuntime(rec.gap, kept?.evidence));
}

async function count(deps: WatchDeps, counts: WatchCounts): Promise<void> {
  for (const r of await deps.downloads.list({ phase: 'added' })) {
    if (!follows(deps.scope, r)) continue;
    const w = r.watch;
    if (w?.item && w.emitted.includes('imported_suspect')) counts.suspect++;
    else if (w?.item) counts.imported++;
    else if (w?.done) counts.failed++;
    else if (w?.completedAt) counts.completed++;
    else if (w?.emitted.includes('stalled')) counts.stalled++;
    else counts.downloading++;
  }
}
