// Keeps MAM's rotated mam_id across restarts without putting a usable secret on disk.
// MAM invalidates a cookie once it hands out the next one, so the newest must survive a
// redeploy; Node-RED credentials are only written by the editor, so it lives in the store,
// encrypted (AES-256-GCM) under a key derived with scrypt from the ORIGINAL pasted mam_id and
// the config node's id. The file alone decrypts nothing, and pasting a new mam_id derives a
// new key, so the old rotated cookie is simply ignored from then on.
// One record per node AND original mam_id (told apart by a one-way id of the derived key): the
// editor's Test of another mam_id keeps its own chain and never overwrites the deployed one's.
import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt } from 'node:crypto';
import type { Collection } from '../store/store';

interface CookieDoc {
  kind: 'mam-cookie';
  nodeId: string;
  /** Which original mam_id the record belongs to: a hash of the derived key, never the key. */
  keyId?: string;
  iv: string;
  tag: string;
  data: string;
  savedAt: string;
}

export class RotatedCookieStore {
  private key?: Promise<Buffer>;

  constructor(private readonly db: Collection, private readonly nodeId: string, private readonly originalMamId: string) {}

  /** The newest rotated cookie saved for this node and this original mam_id, if any. */
  async load(): Promise<string | undefined> {
    // A record saved before records carried a keyId is tried too (it decrypts only with its key).
    const doc = ((await this.db.findOne(await this.query())) ?? (await this.db.findOne({ kind: 'mam-cookie', nodeId: this.nodeId, keyId: { $exists: false } }))) as CookieDoc | null;
    if (!doc) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', await this.derive(), Buffer.from(doc.iv, 'base64'));
      decipher.setAAD(Buffer.from(this.nodeId));
      decipher.setAuthTag(Buffer.from(doc.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(doc.data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      // Another original mam_id (the user pasted a new session) or a damaged record: start over.
      return undefined;
    }
  }

  async save(mamId: string): Promise<void> {
    // A fresh nonce for every encryption: GCM with a repeated nonce and key leaks the XOR of
    // the plaintexts and lets the tag be forged.
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', await this.derive(), iv);
    cipher.setAAD(Buffer.from(this.nodeId));
    const data = Buffer.concat([cipher.update(mamId, 'utf8'), cipher.final()]);
    const doc: CookieDoc = { kind: 'mam-cookie', nodeId: this.nodeId, keyId: await this.keyId(), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64'), savedAt: new Date().toISOString() };
    await this.db.update(await this.query(), doc as unknown as Record<string, unknown>, { upsert: true });
  }

  async clear(): Promise<void> {
    await this.db.remove(await this.query(), { multi: true });
  }

  /**
   * At deploy: the records of this node's other mam_ids (older ones, or tested and not
   * deployed) go, and so does a record from before keyIds once this mam_id has its own.
   */
  async pruneOthers(): Promise<void> {
    const mine = await this.keyId();
    const docs = (await this.db.find({ kind: 'mam-cookie', nodeId: this.nodeId })) as unknown as CookieDoc[];
    const haveMine = docs.some((d) => d.keyId === mine);
    for (const d of docs) {
      if (d.keyId === mine || (!d.keyId && !haveMine)) continue;
      await this.db.remove({ kind: 'mam-cookie', nodeId: this.nodeId, keyId: d.keyId ?? { $exists: false } }, { multi: true });
    }
  }

  private async keyId(): Promise<string> {
    return createHash('sha256').update('audiobook-gaps/mam-cookie-key-id').update(await this.derive()).digest('base64url').slice(0, 16);
  }

  private async query(): Promise<Record<string, unknown>> {
    return { kind: 'mam-cookie', nodeId: this.nodeId, keyId: await this.keyId() };
  }

  private derive(): Promise<Buffer> {
    this.key ??= new Promise((resolve, reject) => {
      scrypt(this.originalMamId, `audiobook-gaps/mam-account/${this.nodeId}`, 32, { N: 16384, r: 8, p: 1 }, (err, key) => (err ? reject(err) : resolve(key)));
    });
    return this.key;
  }
}
