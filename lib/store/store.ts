// Persistent state: one nedb file per collection under <userDir>/audiobook-gaps/. A file
// is opened once per process, so every node that shares a directory shares one Datastore
// (nedb is not safe with two instances on one file). A file that fails to load is copied
// aside and reported, never silently replaced with an empty one.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Datastore from 'nedb-promises';
import { ServiceError } from '../errors';

export type Collection = Datastore<Record<string, unknown>>;
export type CollectionName = 'wanted' | 'downloads' | 'cache' | 'searches' | 'state';

const open = new Map<string, Promise<Collection>>();

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
  mkdirSync(dir, { recursive: true });
  // No timestampData: records keep their own ISO timestamps (nedb would overwrite
  // `updatedAt` with a Date on every update).
  const db = Datastore.create({ filename, autoload: false }) as Collection;
  try {
    await db.load();
  } catch (err) {
    let backup = '';
    if (existsSync(filename)) {
      backup = `${filename}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      copyFileSync(filename, backup);
    }
    const where = backup ? `; a copy was saved as ${backup}` : '';
    throw new ServiceError('Store', `cannot read ${filename}: ${(err as Error).message}${where}. Fix or remove the file, then redeploy.`, { code: 'corrupt', cause: err });
  }
  // nedb compacts the append-only file on every load (each deploy); no timer is left running.
  return db;
}

/** Drops the cached handles (tests and redeploys of a different store directory). */
export function forgetStores(): void {
  open.clear();
}
