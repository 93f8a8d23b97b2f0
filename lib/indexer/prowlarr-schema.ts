// Prowlarr's JSON at the boundary (Prowlarr.Api.V1): GET /api/v1/indexer → IndexerResource[]
// (id, name, enable, protocol, privacy, capabilities { limitsMax, categories [{ id, name,
// subCategories }] , bookSearchParams }), GET /api/v1/search → ReleaseResource[] (guid, title,
// size, indexerId, indexer, publishDate, downloadUrl, magnetUrl, infoHash, seeders, leechers,
// categories, protocol, indexerFlags).
import { z } from 'zod';
import type { IndexerCaps, IndexerRelease } from './types';
import { toIso } from './torznab-schema';

interface Category { id: number; subCategories?: Category[] }
const category: z.ZodType<Category> = z.lazy(() => z.object({ id: z.number(), subCategories: z.array(category).optional() }).loose());

export const indexerSchema = z.object({
  id: z.number(),
  name: z.string(),
  enable: z.boolean().optional(),
  protocol: z.string().optional(),
  privacy: z.string().optional(),
  capabilities: z.object({
    limitsMax: z.number().nullish(),
    categories: z.array(category).nullish(),
    bookSearchParams: z.array(z.string()).nullish(),
  }).loose().nullish(),
}).loose();
export type ProwlarrIndexer = z.infer<typeof indexerSchema>;
export const indexerListSchema = z.array(indexerSchema);

/** GET /api/v1/indexerstatus: IndexerStatusResource (only indexers with a failure on record are listed). */
export const indexerStatusSchema = z.array(z.object({ indexerId: z.number(), mostRecentFailure: z.string().nullish(), disabledTill: z.string().nullish() }).loose());

export const releaseSchema = z.object({
  guid: z.string(),
  title: z.string(),
  size: z.number().nullish(),
  indexerId: z.number(),
  indexer: z.string().nullish(),
  publishDate: z.string().nullish(),
  downloadUrl: z.string().nullish(),
  magnetUrl: z.string().nullish(),
  infoHash: z.string().nullish(),
  seeders: z.number().nullish(),
  leechers: z.number().nullish(),
  protocol: z.string().nullish(),
  indexerFlags: z.array(z.string()).nullish(),
  categories: z.array(category).nullish(),
}).loose();
export const releaseListSchema = z.array(z.unknown());

export function capsOf(ix: ProwlarrIndexer): IndexerCaps {
  const flat = (cats: Category[]): number[] => cats.flatMap((c) => [c.id, ...flat(c.subCategories ?? [])]);
  const params = (ix.capabilities?.bookSearchParams ?? []).map((p) => p.toLowerCase()).filter((p): p is 'q' | 'author' | 'title' => ['q', 'author', 'title'].includes(p));
  return { categories: flat(ix.capabilities?.categories ?? []), bookParams: params, limitMax: ix.capabilities?.limitsMax ?? 100 };
}

/** One ReleaseResource, or why it cannot be used (usenet, unreadable). */
export function releaseOf(raw: unknown, indexerName: string): IndexerRelease | { title: string; reason: string } {
  const r = releaseSchema.safeParse(raw);
  const title = (raw as { title?: unknown } | null)?.title;
  if (!r.success) return { title: typeof title === 'string' ? title : '(no title)', reason: `unreadable: field "${r.error.issues[0].path.join('.')}" ${r.error.issues[0].message}` };
  const x = r.data;
  if (x.protocol && x.protocol !== 'torrent') return { title: x.title, reason: `a ${x.protocol} release, not a torrent` };
  if (!x.downloadUrl && !x.magnetUrl) return { title: x.title, reason: 'no download link' };
  const cats = (x.categories ?? []).flatMap((c) => [c.id, ...(c.subCategories ?? []).map((s) => s.id)]);
  return {
    guid: x.guid, title: x.title, indexer: x.indexer ?? indexerName, sizeBytes: x.size ?? 0,
    ...(x.seeders != null ? { seeders: x.seeders } : {}), ...(x.leechers != null ? { leechers: x.leechers } : {}),
    categories: [...new Set(cats)], freeleech: (x.indexerFlags ?? []).some((f) => /^freeleech$/i.test(f)),
    published: toIso(x.publishDate),
    ...(x.infoHash ? { infoHash: x.infoHash.toLowerCase() } : {}),
    ...(x.downloadUrl ? { downloadUrl: x.downloadUrl } : {}), ...(x.magnetUrl ? { magnetUrl: x.magnetUrl } : {}),
  };
}
