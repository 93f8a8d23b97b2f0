// MAM search rows → TorrentInfo. MAM sends numbers as strings or numbers, flags as 0/1/"1"/
// true, sizes as text ("1.2 GiB"), and author/narrator/series as JSON *inside strings*. A row
// we cannot read safely is rejected with its reason; the rest of the search still counts.
import { z } from 'zod';
import type { TorrentInfo } from '../types';

/** What the ranking needs beyond the message contract; stripped before it leaves mam-search. */
export interface MamTorrent extends TorrentInfo {
  mainCat: number;
  mySnatched: boolean;
  /** Free only for VIP-class users (meaning disputed; see API-REFERENCE 2.3). */
  flVip: boolean;
  tags: string;
  /** Seconds of audio when MAM's mediainfo said so. */
  durationSec?: number;
}

export interface RowRejection {
  id: number | null;
  title: string;
  reason: string;
}

const num = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?$/)]).transform(Number);
const flag = z.union([z.boolean(), z.number(), z.string()]).nullish().transform((v) => v === true || v === 1 || v === '1' || v === 'true');
const text = z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? '' : String(v)));

const rowSchema = z.object({
  id: num,
  title: text.optional(),
  name: text.optional(),
  author_info: text,
  narrator_info: text,
  series_info: text,
  lang_code: text,
  main_cat: num.optional(),
  category: text,
  catname: text,
  size: z.union([z.string(), z.number()]),
  filetype: text,
  seeders: num.optional(),
  leechers: num.optional(),
  added: text,
  free: flag,
  vip: flag,
  personal_freeleech: flag,
  fl_vip: flag,
  my_snatched: flag,
  tags: text,
  mediainfo: text.optional(),
});

export const searchResponseSchema = z.union([
  z.object({ error: z.string() }),
  z.object({
    data: z.array(z.unknown()),
    total: num.optional(),
    found: num.optional(),
    total_found: num.optional(),
    perpage: num.optional(),
    start: num.optional(),
  }),
]);

export function parseRows(data: unknown[]): { torrents: MamTorrent[]; rejected: RowRejection[] } {
  const torrents: MamTorrent[] = [];
  const rejected: RowRejection[] = [];
  for (const raw of data) {
    const r = parseRow(raw);
    if ('reason' in r) rejected.push(r);
    else torrents.push(r);
  }
  return { torrents, rejected };
}

export function parseRow(raw: unknown): MamTorrent | RowRejection {
  const obj = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const idGuess = Number(obj.id);
  const base = { id: Number.isFinite(idGuess) ? idGuess : null, title: decodeEntities(String(obj.title ?? obj.name ?? '')) };
  const parsed = rowSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ...base, reason: `field "${issue.path.join('.') || '(row)'}" ${issue.message}` };
  }
  const row = parsed.data;
  const authors = namesFrom(row.author_info);
  if (authors === null) return { ...base, reason: 'author_info is not a JSON object of names' };
  const series = seriesFrom(row.series_info);
  if (series === null) return { ...base, reason: 'series_info is not a JSON object of [name, position]' };
  const sizeBytes = parseSize(row.size);
  if (sizeBytes === null) return { ...base, reason: `size "${String(row.size)}" is not a size` };
  const durationSec = durationFrom(row.mediainfo);
  return {
    id: row.id,
    title: decodeEntities(row.title || row.name || ''),
    authors,
    narrators: namesFrom(row.narrator_info) ?? [],
    series,
    filetype: row.filetype.toLowerCase().trim(),
    sizeBytes,
    seeders: row.seeders ?? 0,
    leechers: row.leechers ?? 0,
    added: toIso(row.added),
    freeleech: row.free,
    vip: row.vip,
    personalFreeleech: row.personal_freeleech,
    language: row.lang_code.toUpperCase(),
    category: row.catname || row.category,
    mainCat: row.main_cat ?? 0,
    mySnatched: row.my_snatched,
    flVip: row.fl_vip,
    tags: row.tags,
    ...(durationSec ? { durationSec } : {}),
  };
}

/** `{"123":"Name"}` → ["Name"]; empty → []; anything else → null. */
function namesFrom(raw: string): string[] | null {
  if (!raw.trim()) return [];
  const value = parseJsonText(raw);
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const names: string[] = [];
  for (const v of Object.values(value)) {
    if (typeof v !== 'string') return null;
    if (v.trim()) names.push(decodeEntities(v.trim()));
  }
  return names;
}

/** `{"567":["Series", "5", 5.0]}` → [{name, position}]; the position may be missing or a range. */
function seriesFrom(raw: string): TorrentInfo['series'] | null {
  if (!raw.trim()) return [];
  const value = parseJsonText(raw);
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const out: TorrentInfo['series'] = [];
  for (const v of Object.values(value)) {
    const arr = Array.isArray(v) ? v : [v];
    if (typeof arr[0] !== 'string') return null;
    const pos = arr[1];
    out.push({ name: decodeEntities(arr[0].trim()), position: typeof pos === 'string' || typeof pos === 'number' ? String(pos).trim() : '' });
  }
  return out;
}

function parseJsonText(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

const EXPONENT: Record<string, number> = { '': 0, K: 1, M: 2, G: 3, T: 4 };

/** "476.84 MiB", "1,016.2 KiB", "1.2 GB", "123456" → bytes (binary with "i", decimal without). */
export function parseSize(raw: string | number): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? Math.round(raw) : null;
  const m = /^\s*([\d,]+(?:\.\d+)?)\s*([kKMGT]?)(i?)B?\s*$/.exec(raw);
  if (!m || (m[3] && !m[2])) return null;
  const value = Number(m[1].replace(/,/g, ''));
  const base = m[3] === 'i' ? 1024 : 1000;
  return Math.round(value * base ** EXPONENT[m[2].toUpperCase()]);
}

/** MAM's "YYYY-MM-DD HH:MM:SS" is UTC. */
function toIso(added: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})/.exec(added);
  const date = m ? new Date(`${m[1]}T${m[2]}Z`) : new Date(added);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

/** mediainfo's General.Duration, in seconds (MAM writes it as seconds or "H:MM:SS"). */
function durationFrom(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const info = parseJsonText(raw) as { General?: { Duration?: unknown } } | undefined;
  const d = info?.General?.Duration;
  if (typeof d === 'number' && d > 0) return d;
  if (typeof d !== 'string') return undefined;
  const parts = d.split(':').map(Number);
  if (parts.some((p) => !Number.isFinite(p))) return undefined;
  const secs = parts.reduce((acc, p) => acc * 60 + p, 0);
  return secs > 0 ? secs : undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : all;
    }
    return ENTITIES[e.toLowerCase()] ?? all;
  });
}
