// Reads the demo's `wanted` store file from outside Node-RED. nedb appends one JSON line per
// insert/update (the last line for an _id wins; {$$deleted} removes it), so reading the file
// never touches the datastore Node-RED has open.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type StateCounts = Record<string, number> & { total: number };

export function readStates(storeDir: string): StateCounts {
  const file = join(storeDir, 'wanted.db');
  const docs = new Map<string, { state?: string; ignored?: boolean }>();
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      let doc: { _id?: string; $$deleted?: boolean; state?: string; ignored?: boolean };
      try { doc = JSON.parse(line); } catch { continue; } // a line being written right now
      if (!doc._id) continue;
      if (doc.$$deleted) docs.delete(doc._id);
      else docs.set(doc._id, doc);
    }
  }
  const counts = { total: 0 } as StateCounts;
  for (const d of docs.values()) {
    const state = d.ignored ? 'ignored' : d.state ?? 'unknown';
    counts[state] = (counts[state] ?? 0) + 1;
    counts.total++;
  }
  return counts;
}

/** "4 wanted books: 1 not_found · 2 downloading · 1 imported" */
export function summary(c: StateCounts): string {
  if (!c.total) return 'waiting for the first run (no wanted books in the store yet)';
  const order = ['wanted', 'unreleased', 'not_found', 'found', 'queued', 'downloading', 'completed', 'imported', 'failed', 'ignored', 'resolved'];
  const parts = Object.keys(c).filter((k) => k !== 'total').sort((a, b) => order.indexOf(a) - order.indexOf(b)).map((k) => `${c[k]} ${k}`);
  return `${c.total} wanted books: ${parts.join(' · ')}`;
}
