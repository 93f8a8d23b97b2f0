// The recent import events (abs-import-watch output) a dashboard lists, kept in the `state`
// collection beside the series summary, so the list survives a restart.
import type { ImportEvent } from '../types';
import { collection } from './store';

const ID = 'import-events';
export const IMPORT_EVENTS_KEPT = 50;

export interface ImportEventRow {
  time: string;
  event: string;
  /** The book's title (or "Series #n"), never the torrent's name. */
  book: string;
  /** The library item it became, once imported. */
  item: string;
  reason: string;
}

export async function recordImportEvent(dir: string, row: ImportEventRow): Promise<ImportEventRow[]> {
  const db = await collection(dir, 'state');
  const rows = [row, ...await loadImportEvents(dir)].slice(0, IMPORT_EVENTS_KEPT);
  await db.update({ _id: ID }, { _id: ID, rows }, { upsert: true });
  return rows;
}

export async function loadImportEvents(dir: string): Promise<ImportEventRow[]> {
  const db = await collection(dir, 'state');
  const doc = (await db.findOne({ _id: ID })) as { rows?: ImportEventRow[] } | null;
  return doc?.rows ?? [];
}

/** True when `payload` looks like an abs-import-watch event. */
export function isImportEvent(payload: unknown): payload is ImportEvent {
  const e = payload as Partial<ImportEvent> | null;
  return !!e && typeof e.event === 'string' && !!e.download && typeof e.download.key === 'string';
}
