// What qbit-queue makes of its input and settings: the Candidate[] check, the approval gate,
// the tags of a torrent and the Download a ledger record becomes.
import { z } from 'zod';
import type { Candidate, Download } from '../types';
import type { DownloadRecord } from './downloads';

export interface QueueSettings {
  category: string;
  tags: string[];
  savePath: string;
  paused: boolean;
  maxPerRun: number;
  dryRun: boolean;
  requireApproval: boolean;
}

export const TAG = 'audiobook-gaps';

const candidatesSchema = z.array(z.object({
  gap: z.object({ key: z.string().min(1), series: z.string().optional() }).passthrough(),
  // A MAM torrent has its positive MAM id; an indexer-search result a negative one and the
  // source its .torrent is fetched from.
  torrent: z.object({ id: z.number().int(), title: z.string(), source: z.object({ kind: z.literal('indexer') }).passthrough().optional() }).passthrough()
    .refine((t) => t.id > 0 || (t.id < 0 && t.source !== undefined), { message: 'is neither a MAM id (positive) nor an indexer result (negative, with its source)', path: ['id'] }),
}).passthrough());

export function parseCandidates(payload: unknown): Candidate[] {
  const result = candidatesSchema.safeParse(payload);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`qbit-queue expects msg.payload to be Candidate[] from mam-search or indexer-search: ${issue.path.join('.') || 'payload'} ${issue.message}`);
  }
  return result.data as unknown as Candidate[];
}

/** msg.approved: true approves all, an array approves those keys (or torrent ids). */
export function approvedKeys(approved: unknown, candidates: Candidate[]): Set<string> {
  if (approved === true) return new Set(candidates.map((c) => c.gap.key));
  if (Array.isArray(approved)) {
    const ok = new Set(approved.map(String));
    return new Set(candidates.filter((c) => ok.has(c.gap.key) || ok.has(String(c.torrent.id))).map((c) => c.gap.key));
  }
  return new Set();
}

export function tagsFor(c: Candidate, settings: QueueSettings): string[] {
  const tags = [TAG, ...settings.tags, ...(c.gap.series ? [c.gap.series] : [])];
  // qBittorrent splits tags on commas.
  return [...new Set(tags.map((t) => t.replace(/,/g, ' ').trim()).filter(Boolean))];
}

export function toDownload(rec: DownloadRecord, dryRun = false): Download {
  return {
    key: rec.key, hash: rec.hash ?? '', name: rec.name ?? '', category: rec.category, tags: rec.tags, savePath: rec.savePath,
    state: 'queued', queuedAt: rec.queuedAt ?? rec.intentAt, torrentId: rec.torrentId, ...(dryRun ? { dryRun: true } : {}),
    ...(rec.client ? { client: rec.client } : {}),
  };
}
