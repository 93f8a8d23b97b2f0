// MAM's JSON API as this package reads it: the query and answer shapes, and the zod schemas of
// the user-status and wedge answers (the search rows are in rows.ts).
import { z } from 'zod';
import type { MamTorrent, RowRejection } from './rows';

export type SearchType = 'all' | 'active' | 'inactive' | 'fl' | 'fl-VIP' | 'VIP' | 'nVIP';
export type SearchField = 'title' | 'author' | 'narrator' | 'series';

export interface MamSearchQuery {
  text: string;
  srchIn: SearchField[];
  searchType?: SearchType;
  /** 13 audiobooks, 14 e-books. */
  mainCat?: number[];
  /** MAM language ids (1 = English); empty = all. */
  langs?: number[];
  perpage?: number;
  startNumber?: number;
}

export interface MamSearchResult {
  torrents: MamTorrent[];
  rejected: RowRejection[];
  found: number;
}

export interface MamUserStatus {
  username: string;
  uid: number;
  classname: string;
  ratio: number;
  uploadedBytes: number;
  downloadedBytes: number;
  seedbonus: number;
  wedges: number;
  unsatisfied: { count: number; limit: number } | null;
}

export type WedgeOutcome = 'bought' | 'vip' | 'global_freeleech' | 'already_personal';

const n = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform(Number);
export const userSchema = z.object({
  username: z.string().min(1),
  uid: n,
  classname: z.string().default(''),
  ratio: z.union([n, z.string()]).transform((v) => (typeof v === 'number' ? v : Number.POSITIVE_INFINITY)),
  uploaded_bytes: n.default(0),
  downloaded_bytes: n.default(0),
  seedbonus: n.default(0),
  wedges: n.default(0),
  unsat: z.object({ count: n, limit: n.optional() }).passthrough().optional(),
});
export const wedgeSchema = z.object({ success: z.union([z.boolean(), z.number()]), error: z.string().optional() });
