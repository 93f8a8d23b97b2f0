// The add itself and its healing: adopt the hash when the client already has it, else add the
// .torrent or magnet (payload.ts); confirm only once the client lists the hash. `heal` finishes
// the adds a dead run left half-done, from the payload stored with the intent.
import type { AddOptions } from '../clients/types';
import { follows } from '../clients/ref';
import { ServiceError, errorMessage } from '../errors';
import { redact } from '../secrets';
import type { DownloadRecord } from './downloads';
import { toDownload } from './candidates';
import { addPayload, storedPayload, type TorrentPayload } from './payload';
import type { Outcome, QueueDeps, QueueReport } from './queue';
import { wedgeNote } from './wedge';

export async function addAndConfirm(deps: QueueDeps, rec: DownloadRecord, file: TorrentPayload, now: () => Date): Promise<Outcome> {
  const { downloads, qbit } = deps;
  const hash = rec.hash as string;
  let adopted = (await qbit.getTorrents([hash])).length > 0;
  if (!adopted) {
    const opts: AddOptions = { category: rec.category, tags: rec.tags, savePath: rec.savePath || undefined, paused: rec.paused };
    try {
      await addPayload(qbit, file, opts);
    } catch (err) {
      // A timeout may have added it: keep the intent so the next run looks the hash up.
      if (err instanceof ServiceError && err.code === 'timeout') throw err;
      const fatal = err instanceof ServiceError && (err.code === 'unreachable' || err.code === 'auth');
      // qBittorrent 4.x answers "Fails." for a hash it already has (e.g. added a moment ago).
      if (fatal || (await qbit.getTorrents([hash])).length === 0) {
        await downloads.drop(rec.key);
        if (fatal) throw err;
        return { ok: false, reason: redact(errorMessage(err)) };
      }
      adopted = true;
    }
  }
  await deps.hooks?.afterAdd?.(rec.key);
  return confirm(deps, rec, adopted, now);
}

async function confirm(deps: QueueDeps, rec: DownloadRecord, adopted: boolean, now: () => Date): Promise<Outcome> {
  const queuedAt = now().toISOString();
  const service = deps.qbit.service ?? 'qBittorrent';
  // "Ok." is not proof: qBittorrent lists a new torrent a moment later, and one that dies in
  // between never lists it. Only a listed hash is confirmed; otherwise the intent (with its
  // .torrent) stays for the next run to heal. A qBittorrent that went away throws here.
  const t = await deps.qbit.waitFor(rec.hash as string);
  if (!t) return { ok: false, reason: `${service}: accepted torrent ${rec.hash} but does not list it; it will be added again on the next run` };
  const patch: Partial<DownloadRecord> = { queuedAt, adopted, savePath: t.savePath, name: t.name };
  await deps.downloads.confirm(rec.key, patch);
  await deps.wanted?.setState(rec.key, 'queued', { hash: rec.hash, torrent: { id: rec.torrentId, title: rec.name ?? '' } }, `${adopted ? `already in ${service}, adopted` : `added to ${service} (${rec.hash})`}${rec.wedge ? `; ${wedgeNote(rec.wedge)}` : ''}`);
  return { ok: true, download: toDownload({ ...rec, ...patch, phase: 'added' }) };
}

/** Finishes adds that a dead run left half-done: present in the client → confirm; absent → add. Another client's intents are left to it. */
export async function heal(deps: QueueDeps, report: Pick<QueueReport, 'healed' | 'downloads' | 'failed'>, now: () => Date): Promise<void> {
  for (const rec of await deps.downloads.list({ phase: 'intent' })) {
    if (!follows(deps.scope, rec)) continue;
    const payload = storedPayload(rec);
    if (!rec.hash || !payload) {
      // Died before the .torrent was fetched: nothing can be in qBittorrent; start over later.
      await deps.downloads.drop(rec.key);
      continue;
    }
    const outcome = await addAndConfirm(deps, rec, payload, now);
    if (outcome.ok) {
      report.healed.push(rec.key);
      report.downloads.push(outcome.download);
    } else {
      report.failed.push({ key: rec.key, reason: outcome.reason });
    }
  }
}