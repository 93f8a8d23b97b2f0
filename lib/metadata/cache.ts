// Provider responses cached in the store's `cache` collection, with a TTL, so a re-run within
// the TTL makes no request at all. Entries are keyed "<provider>:<region>:<what>:<id>";
// "not found" answers are cached too (as null), or every run would ask again.
import { collection, type Collection } from '../store/store';

export const DEFAULT_TTL_MS = 7 * 24 * 3600 * 1000;

export interface CacheStats { hits: number; misses: number }

export class MetadataCache {
  readonly stats: CacheStats = { hits: 0, misses: 0 };

  private constructor(private readonly db: Collection | null, private readonly ttlMs: number, private readonly now: () => number) {}

  static async open(dir: string, ttlMs = DEFAULT_TTL_MS, now: () => number = Date.now): Promise<MetadataCache> {
    const db = await collection(dir, 'cache');
    await db.ensureIndex({ fieldName: 'key', unique: true });
    return new MetadataCache(db, ttlMs, now);
  }

  /** A cache that forgets everything (tests, or a TTL of 0). */
  static memoryless(): MetadataCache {
    return new MetadataCache(null, 0, Date.now);
  }

  /** The cached value, `undefined` when absent or older than the TTL (null is a cached "not found"). */
  async get<T>(key: string): Promise<T | null | undefined> {
    if (!this.db || this.ttlMs <= 0) {
      this.stats.misses++;
      return undefined;
    }
    const doc = (await this.db.findOne({ key })) as { at: number; value: T | null } | null;
    if (!doc || this.now() - doc.at > this.ttlMs) {
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    return doc.value;
  }

  async set<T>(key: string, value: T | null): Promise<void> {
    if (!this.db || this.ttlMs <= 0) return;
    await this.db.updateOne({ key }, { key, at: this.now(), value }, { upsert: true });
  }

  /** get, or compute and store. */
  async through<T>(key: string, load: () => Promise<T | null>): Promise<T | null> {
    const hit = await this.get<T>(key);
    if (hit !== undefined) return hit;
    const value = await load();
    await this.set(key, value);
    return value;
  }
}
