// Persistent state: one nedb file per collection under <userDir>/audiobook-gaps/. A file
// is opened once per process, so every node that shares a directory shares one Datastore
// (nedb is not safe with two instances on one file). A file that fails to load is copied
// aside and reported, never silently replaced with an empty one. The files hold the wanted
// list, the ledger and the encrypted MAM cookie: the directory is 0700 and every file 0600.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Datastore from 'nedb-promises';
import { ServiceError } from '../errors';
import { startCompaction, stopAllCompaction } from './compaction';

export type Collection = Datastore<Record<string, unknown>>;
export type CollectionName = 'wanted' | 'downloads' | 'cache' | 'searches' | 'state';

const open = new Map<string, Promise<Collection>>();

/** Owner only: the store is nobody else's business on a shared machine. */
export const STORE_DIR_MODE = 0o700;
export const STORE_FILE_MODE = 0o600;

export function storeDir(userDir: string): string {
  return join(userDir, 'audiobook-gaps');
}

export function collection(dir: string, name: CollectionName): Promise<Collection> {
  const filename = join(dir, `${name}.db`);
  let ready = open.get(filename);
  if (!ready) {
    ready = load(dir, filename);
    open.set(filename, ready);
    // A failed load must not be cached: the user may repair the file and redeploy.
    ready.catch(() => open.delete(filename));
  }
  return ready;
}

async function load(dir: string, filename: string): Promise<Collection> {
  mkdirSync(dir, { recursive: true, mode: STORE_DIR_MODE });
  // A directory or file made by an older version (0755/0644) is tightened, not left as it was.
  tighten(dir, STORE_DIR_MODE);
  if (existsSync(filename)) tighten(filename, STORE_FILE_MODE);
  // No timestampData: records keep their own ISO timestamps (nedb would overwrite
  // `updatedAt` with a Date on every update).
  // corruptAlertThreshold 0: nedb would otherwise drop unreadable lines (under 10% of the
  // file) without a word and rewrite the file; we check every line ourselves first.
  // modes: nedb writes new files, appends and compactions (temp file + rename) with these.
  const db = Datastore.create({ filename, autoload: false, corruptAlertThreshold: 0, modes: { fileMode: STORE_FILE_MODE, dirMode: STORE_DIR_MODE } } as Parameters<typeof Datastore.create>[0]) as Collection;
  try {
    checkLines(filename);
    await db.load();
  } catch (err) {
    const backup = existsSync(filename) ? trySetAside(filename) : '';
    const where = backup ? `; a copy was saved as ${backup}` : '';
    throw new ServiceError('Store', `cannot read ${filename}: ${(err as Error).message}${where}. Fix or remove the file, then redeploy.`, { code: 'corrupt', cause: err });
  }
  // nedb compacts the append-only file on every load (each deploy), and on a schedule after
  // that (lib/store/compaction.ts); the timer is unref'd and stopped by closeStores().
  startCompaction(db, filename);
  return db;
}

/** A file that cannot even be copied (a directory in its place, no permission) is named as it is. */
function trySetAside(filename: string): string {
  try {
    return setAside(filename);
  } catch {
    return '';
  }
}

/**
 * Copies a broken file aside once: a restart loop (systemd, Docker) reopening the same broken
 * file finds the identical copy and names it instead of writing another one each time.
 */
function setAside(filename: string): string {
  const content = readFileSync(filename);
  const dir = dirname(filename);
  const prefix = `${basename(filename)}.corrupt-`;
  const same = readdirSync(dir).filter((f) => f.startsWith(prefix)).sort().find((f) => readFileSync(join(dir, f)).equals(content));
  if (same) return join(dir, same);
  const backup = `${filename}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  copyFileSync(filename, backup);
  tighten(backup, STORE_FILE_MODE);
  return backup;
}

function tighten(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch {
    // Not ours to change (a store directory owned by another user): nedb still works.
  }
}

/**
 * Every line of an nedb file is one JSON document. A line that is not (a crash in the middle
 * of an append leaves a half-written last line) stops the load with its number, so the user
 * decides; nothing is dropped behind their back.
 */
function checkLines(filename: string): void {
  if (!existsSync(filename)) return;
  const lines = readFileSync(filename, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    try {
      JSON.parse(line);
    } catch {
      const last = lines.slice(i + 1).every((l) => !l.trim());
      const what = last ? 'its last line is half-written (a crash while saving?)' : `line ${i + 1} is not a valid record`;
      throw new Error(`${what}: ${JSON.stringify(line.slice(0, 40))}`);
    }
  });
}

/** Drops the cached handles (tests and redeploys of a different store directory). */
export function forgetStores(): void {
  closeStores();
}

/** Stops every compaction schedule and drops the handles (shutdown, tests). */
export function closeStores(): void {
  stopAllCompaction();
  open.clear();
}
