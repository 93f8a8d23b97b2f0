// Queues accepted candidates in a download client, each book once across all clients. Per book: ledger
// intent (naming the client) → the wedge mam-search planned, if any (wedge.ts) → .torrent (or an indexer's magnet,
// payload.ts) → hash known (stored with the payload) → adopt if the client has the hash, else add → confirm → wanted "queued". A run
// starts by healing its client's intents a dead run left (downloads.ts); runs on one store are serialized (lock.ts).
import type { Candidate, Download } from '../types';
import { errorMessage } from '../errors';
import { redact } from '../secrets';
import { HAS_DOWNLOAD, type WantedStore } from '../store/wanted';
import type { DownloadClient } from '../clients/types';
import { payloadFacts, payloadFields, type TorrentPayload } from './payload';
import { addAndConfirm, heal } from './add';
import type { DownloadRecord, DownloadStore } from './downloads';
import { serialized } from './lock';
import { approvedKeys, tagsFor, toDownload, type QueueSettings } from './candidates';
import type { WedgeOutcome } from '../mam/client';
import { perRunSource, type TorrentSource } from './source';
import { spendWedge } from './wedge';
import { retiredForRetry } from './retry';
import { sessionUnusable } from '../mam/account-refusals';
import { isRefused } from '../store/refused';
import type { ClientScope } from '../clients/ref';

export { parseCandidates, type QueueSettings } from './candidates';
export { heal } from './add';

export type { TorrentSource } from './source';

/** Any download client (qBittorrent, Transmission, Deluge: lib/clients/types.ts). */
export type QbitLike = Pick<DownloadClient, 'version' | 'addTorrent' | 'addMagnet' | 'getTorrents' | 'waitFor'> & Partial<Pick<DownloadClient, 'service'>>;

export interface QueueDeps {
  qbit: QbitLike;
  source: TorrentSource;
  downloads: DownloadStore;
  wanted?: WantedStore;
  /** Serialization key: the store directory. */
  lockKey: string;
  /** Which client `qbit` is: written on every record, and only its own half-done adds are healed (none: qBittorrent of old). */
  scope?: ClientScope;
  /** Test hooks to simulate a crash at the two dangerous points. */
  hooks?: { afterIntent?: (key: string) => Promise<void> | void; afterAdd?: (key: string) => Promise<void> | void };
}

export interface QueueReport {
  downloads: Download[];
  skipped: { key: string; reason: string }[];
  failed: { key: string; reason: string }[];
  healed: string[];
  approvalNeeded: boolean;
  /** The planned wedges of this run's adds: "bought" (one spent) or why none was needed. */
  wedges: { key: string; torrentId: number; outcome: WedgeOutcome }[];
}

/** Why a gap's later candidate is not tried, by how the earlier one ended. */
const BACKUP_SKIP: Record<string, string> = {
  queued: 'backup candidate not needed: the book is queued',
  failed: 'backup candidate not tried: the one before it failed (see msg.failed)',
};

/** Runs fn in the queue's lane for this store: never alongside a qbit-queue run (lib/heal uses it). */
export function inQueueLane<T>(lockKey: string, fn: () => Promise<T>): Promise<T> {
  return serialized(`queue:${lockKey}`, fn);
}

export async function runQueue(deps: QueueDeps, candidates: Candidate[], settings: QueueSettings, approved: unknown = undefined, now = () => new Date()): Promise<QueueReport> {
  return inQueueLane(deps.lockKey, () => run(deps, candidates, settings, approved, now));
}

/**
 * The downloads a run had already queued when it stopped on an error (qBittorrent went away
 * mid-run), or undefined. They are real and recorded, so the node still sends them (with the
 * rest listed as not attempted) before it reports the error: a later run only skips them.
 * Also set when only freeleech wedges were spent (msg.wedges).
 */
export function partialReport(err: unknown): QueueReport | undefined {
  return (err as { queueReport?: QueueReport } | null)?.queueReport;
}

async function run(deps: QueueDeps, candidates: Candidate[], settings: QueueSettings, approved: unknown, now: () => Date): Promise<QueueReport> {
  const report: QueueReport = { downloads: [], skipped: [], failed: [], healed: [], approvalNeeded: false, wedges: [] };
  const okKeys = settings.requireApproval ? approvedKeys(approved, candidates) : null;
  const planOnly = settings.dryRun || (okKeys !== null && okKeys.size === 0);
  report.approvalNeeded = okKeys !== null && okKeys.size === 0;
  // Fails first (unreachable, login refused) so nothing is recorded when qBittorrent is down.
  if (!planOnly) await deps.qbit.version();
  const done = new Set<string>();
  try {
    if (!planOnly) await heal(deps, report, now);
    // A healed book is queued: should the run stop before its candidate, it is not "not queued".
    for (const key of report.healed) done.add(key);
    await runCandidates(deps, candidates, settings, { okKeys, planOnly }, now, report, done);
  } catch (err) {
    // A wedge spent is as real as a torrent added: the user must hear of it either way.
    if ((report.downloads.length || report.wedges.length) && err && typeof err === 'object') {
      const reason = `not queued: ${redact(errorMessage(err))}`;
      // Once per book, however many candidates it had.
      for (const key of new Set(candidates.map((c) => c.gap.key))) if (!done.has(key)) report.failed.push({ key, reason });
      Object.defineProperty(err, 'queueReport', { value: report, enumerable: false });
    }
    throw err;
  }
  return report;
}

async function runCandidates(
  deps: QueueDeps, candidates: Candidate[], settings: QueueSettings, gate: { okKeys: Set<string> | null; planOnly: boolean },
  now: () => Date, report: QueueReport, done: Set<string>,
): Promise<void> {
  const { downloads, wanted } = deps;
  const { okKeys, planOnly } = gate;

  // A gap's backup candidates (mam-search sends up to a few per book, best first) are tried
  // in order until one is queued or the book is skipped for a reason of its own; one that MAM
  // no longer serves (gone, 404) is failed and the next one is tried in this same run.
  const settled = new Map<string, string>();
  let queued = 0;
  deps = { ...deps, source: perRunSource(deps.source) };
  for (const [i, c] of candidates.entries()) {
    const key = c.gap.key;
    const skip = (reason: string) => { done.add(key); settled.set(key, reason); report.skipped.push({ key, reason }); };
    const prior = settled.get(key);
    if (prior !== undefined) { done.add(key); report.skipped.push({ key, reason: BACKUP_SKIP[prior] ?? 'duplicate in this message' }); continue; }
    if (okKeys && !planOnly && !okKeys.has(key)) { skip('not approved'); continue; }
    const rec = await wanted?.get(key);
    // Not settled: the gap's next candidate is still tried.
    if (isRefused(rec, c.torrent)) { report.skipped.push({ key, reason: `torrent ${c.torrent.id} was refused for this book before` }); continue; }
    const existing = await downloads.get(key);
    if (existing && !(await retiredForRetry(deps, existing, rec, planOnly))) { skip(existing.phase === 'added' ? 'already queued' : 'being queued'); continue; }
    if (rec?.ignored) { skip('ignored'); continue; }
    if (rec && HAS_DOWNLOAD.includes(rec.state)) { skip(`already ${rec.state}`); continue; }
    if (rec?.state === 'failed') { skip('failed before: queued again only after the user presses Retry'); continue; }
    if (queued >= settings.maxPerRun) { skip(`limit of ${settings.maxPerRun} per run reached`); continue; }

    const base: Omit<DownloadRecord, 'phase'> = {
      key, gap: c.gap, torrentId: c.torrent.id, ...(c.torrent.source ? { source: c.torrent.source } : {}), name: c.torrent.title, category: settings.category,
      tags: tagsFor(c, settings), savePath: settings.savePath, paused: settings.paused, intentAt: now().toISOString(), ...(deps.scope ? { client: deps.scope.ref } : {}),
    };
    if (planOnly) {
      report.downloads.push(toDownload({ ...base, phase: 'intent' }, true));
      settled.set(key, 'queued');
      queued++;
      continue;
    }
    if (!(await downloads.recordIntent(base))) { skip('already queued'); continue; }
    // The rest of the gap's candidates, for lib/heal to try should this torrent stall or fail.
    await wanted?.keepCandidates(key, candidates.filter((o) => o.gap.key === key).map(({ gap: _gap, ...o }) => o));
    // Reported as soon as it is spent: a wedge is gone even when the download then fails.
    const onWedge = c.wedge ? (outcome: WedgeOutcome) => { report.wedges.push({ key, torrentId: base.torrentId, outcome }); } : undefined;
    const backup = candidates.slice(i + 1).find((o) => o.gap.key === key);
    const outcome = await queueOne(deps, base, onWedge, now, backup?.torrent.id);
    done.add(key);
    if (outcome.ok) {
      report.downloads.push(outcome.download);
      settled.set(key, 'queued');
      queued++;
    } else {
      report.failed.push({ key, reason: outcome.reason });
      if (!outcome.nextCandidate) settled.set(key, 'failed');
    }
  }
}

/** nextCandidate: this torrent failed, not the book: the gap's next candidate may be tried. */
export type Outcome = { ok: true; download: Download } | { ok: false; reason: string; nextCandidate?: boolean };

export async function queueOne(deps: QueueDeps, base: Omit<DownloadRecord, 'phase'>, onWedge: ((o: WedgeOutcome) => void) | undefined, now: () => Date, backupId?: number): Promise<Outcome> {
  const { downloads, wanted } = deps;
  let file: TorrentPayload;
  let facts: { hash: string; name: string };
  let wedge: WedgeOutcome | undefined;
  try {
    // The last moment before the download: everything that could skip this book is decided.
    if (onWedge) {
      const spent = await spendWedge(deps.source.buyWedge, base.torrentId);
      if (!spent.ok) { await downloads.drop(base.key); return spent; }
      onWedge((wedge = spent.outcome));
    }
    file = await deps.source.downloadTorrent(base.torrentId, base.source);
    facts = await payloadFacts(file);
  } catch (err) {
    // MAM refused this one (gone: HTML that is not the login page, 404): the gap's next
    // candidate and the other books go on. An expired session refuses them all: stop with
    // that one error, as mam-search does.
    await downloads.drop(base.key);
    if (sessionUnusable(err)) throw err;
    const said = redact(errorMessage(err));
    const from = base.source ? `${base.source.indexer}` : 'MyAnonamouse';
    const reason = /^(?:MyAnonamouse|Prowlarr|Torznab)\b/.test(said) ? said : `${from}: torrent ${base.torrentId}: ${said}`;
    if (backupId !== undefined) return { ok: false, reason: `${reason}; trying the next candidate (torrent ${backupId})`, nextCandidate: true };
    // The last candidate: the book needs the user now (Retry searches MAM afresh).
    await wanted?.setState(base.key, 'failed', {}, reason);
    return { ok: false, reason };
  }
  if (isRefused(await wanted?.get(base.key), { hash: facts.hash })) {
    await downloads.drop(base.key);
    return { ok: false, reason: `torrent ${base.torrentId} is ${facts.hash}, refused for this book before`, nextCandidate: true };
  }
  const known = { hash: facts.hash, name: facts.name || base.name, ...(wedge ? { wedge } : {}) };
  await downloads.update(base.key, { ...known, ...payloadFields(file) });
  await deps.hooks?.afterIntent?.(base.key);
  return addAndConfirm(deps, { ...base, ...known, phase: 'intent' }, file, now);
}
