// The download-client adapter over @ctrl/qbittorrent. The library is ESM-only, so it is
// loaded with a dynamic import (module node16 keeps `import()` as an import in our CommonJS
// output). Every failure becomes a ServiceError that names qBittorrent and says what to do;
// the password is registered as a secret so it never reaches a message or a log.
import { Agent } from 'undici';
import { z } from 'zod';
import type { QBittorrent } from '@ctrl/qbittorrent' with { 'resolution-mode': 'import' };
import { ServiceError, errorMessage } from '../errors';
import { validate } from '../schema';
import { DEFAULT_MAX_BODY_BYTES } from '../http/client';
import { redact, registerSecret } from '../secrets';
import { isHeld, mapTorrentState } from './states';
import { readTorrentFile } from './torrent-file';
import { causeCode, readMagnet } from '../clients/common';
import type { AddOptions, ClientTorrent, DownloadClient } from '../clients/types';

export type { AddOptions } from '../clients/types';
/** A torrent as qBittorrent lists it: the client-neutral shape (lib/clients/types.ts). */
export type QbitTorrent = ClientTorrent;

export interface QbitOptions {
  baseUrl: string;
  username: string;
  password: string;
  timeoutMs?: number;
  /** Largest answer read (64 MiB; a WebUI with thousands of torrents answers a few MiB). */
  maxBodyBytes?: number;
}

const torrentSchema = z.object({
  hash: z.string(),
  name: z.string(),
  state: z.string(),
  progress: z.number(),
  content_path: z.string().optional(),
  save_path: z.string(),
  category: z.string().optional(),
  tags: z.string().optional(),
  completion_on: z.number().optional(),
});
const torrentsSchema = z.array(torrentSchema);
const categoriesSchema = z.record(z.string(), z.unknown());

/** True when an error in the cause chain carries this code (undici's own codes included). */
function hasCode(err: unknown, code: string): boolean {
  let cur: unknown = err;
  for (let i = 0; i < 6 && cur && typeof cur === 'object'; i++, cur = (cur as { cause?: unknown }).cause) {
    if ((cur as { code?: unknown }).code === code) return true;
  }
  return false;
}

/** The answer body an ofetch error carries (qBittorrent's ban notice is only there). */
function bodyText(err: unknown): string {
  const data = (err as { data?: unknown } | null)?.data;
  return typeof data === 'string' ? data : '';
}

function httpStatus(err: unknown): number | undefined {
  const e = err as { statusCode?: number; status?: number } | null;
  return e && typeof e === 'object' ? (e.statusCode ?? e.status) : undefined;
}

/**
 * The form fields for torrents/add. Both names for "add without starting" are sent: 4.x reads
 * `paused`, 5.x reads `stopped` and each ignores the other, so the right one lands even when
 * @ctrl/qbittorrent has not detected the version. A save path goes with an explicit
 * `autoTMM=false` (the real field; the library's `useAutoTMM` is ignored by qBittorrent), so
 * a category with its own path cannot move the download elsewhere.
 */
export function addFormFields(opts: AddOptions): Record<string, string> {
  const fields: Record<string, string> = {};
  if (opts.category) fields.category = opts.category;
  if (opts.tags?.length) fields.tags = opts.tags.join(',');
  if (opts.savePath) {
    fields.savepath = opts.savePath;
    fields.autoTMM = 'false';
  }
  if (opts.paused) {
    fields.paused = 'true';
    fields.stopped = 'true';
  }
  return fields;
}

export class QbitAdapter implements DownloadClient {
  readonly service = 'qBittorrent';
  readonly baseUrl: string;
  private client?: Promise<QBittorrent>;
  private closed = false;
  /** This config node's own connection pool, so close() really closes its sockets. */
  private readonly agent: Agent;

  constructor(private readonly options: QbitOptions) {
    this.agent = new Agent({ keepAliveTimeout: 10_000, connections: 4, maxResponseSize: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES });
    if (!/^https?:\/\//i.test(options.baseUrl)) throw new ServiceError('qBittorrent', `WebUI URL must start with http:// or https:// (got "${options.baseUrl}")`, { code: 'config' });
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    registerSecret(options.password);
  }

  private lib(): Promise<QBittorrent> {
    if (this.closed) return Promise.reject(new ServiceError('qBittorrent', 'client is closed (the config node was redeployed)', { code: 'closed' }));
    this.client ??= import('@ctrl/qbittorrent').then(({ QBittorrent }) => new QBittorrent({
      baseUrl: this.baseUrl, username: this.options.username, password: this.options.password, timeout: this.options.timeoutMs ?? 10_000,
      // Typed against undici-types (Node's fetch); the npm undici Agent speaks the same protocol.
      dispatcher: this.agent as never,
    }));
    return this.client;
  }

  /** Turns whatever the library threw into one clear, redacted ServiceError. */
  private wrap(err: unknown, what: string): ServiceError {
    if (err instanceof ServiceError) return err;
    const message = errorMessage(err);
    const status = httpStatus(err);
    const { code, innermost } = causeCode(err);
    if (hasCode(err, 'UND_ERR_RES_EXCEEDED_MAX_SIZE')) {
      const kib = Math.round((this.options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES) / 1024);
      return new ServiceError('qBittorrent', `the answer from ${this.baseUrl} to ${what} is larger than ${kib} KiB; not read`, { code: 'too-large', cause: err });
    }
    if (status === 403 && /auth\/login/.test(message) && /banned/i.test(bodyText(err))) {
      return new ServiceError('qBittorrent', 'banned this IP after too many failed logins (wait for the ban to end, or restart qBittorrent, then fix user and password)', { status, code: 'auth', cause: err });
    }
    if (/Auth Failed|Invalid cookie/i.test(message) || ((status === 401 || status === 403) && /auth\/login/.test(message))) {
      return new ServiceError('qBittorrent', 'login refused (check user and password)', { status, code: 'auth', cause: err });
    }
    if (code || /<no response>|fetch failed|timeout|aborted/i.test(message)) {
      const timedOut = /timeout|aborted/i.test(message) || code === 'ETIMEDOUT';
      return new ServiceError('qBittorrent', `cannot reach ${this.baseUrl} (${timedOut ? 'timed out' : (code ?? (innermost || 'no answer'))})`, {
        transient: true, code: timedOut ? 'timeout' : 'unreachable', cause: err,
      });
    }
    return new ServiceError('qBittorrent', redact(`${what} failed: ${message}`), { status, code: 'error', cause: err });
  }

  private async call<T>(what: string, fn: (c: QBittorrent) => Promise<T>): Promise<T> {
    const c = await this.lib();
    try {
      return await fn(c);
    } catch (err) {
      throw this.wrap(err, what);
    }
  }

  /** Logs in (if needed) and returns the application version, e.g. "v4.5.2". */
  async version(): Promise<string> {
    return this.call('version', async (c) => {
      if (!c.state.auth?.sid) await c.login();
      return z.string().parse(await c.getAppVersion());
    });
  }

  /** For the editor's Test button: "qBittorrent v4.5.2, 3 torrents". */
  async describe(): Promise<string> {
    const version = await this.version();
    const all = await this.call('list torrents', (c) => c.listTorrents());
    return `qBittorrent ${version}, ${all.length} torrent${all.length === 1 ? '' : 's'}`;
  }

  async ensureCategory(category: string): Promise<void> {
    if (!category) return;
    const existing = validate('qBittorrent', 'torrents/categories', categoriesSchema, await this.call('list categories', (c) => c.getCategories()));
    if (category in existing) return;
    await this.call(`create category "${category}"`, (c) => c.createCategory(category));
  }

  /** Adds a .torrent file and returns its info-hash (computed from the file). */
  async addTorrent(file: Uint8Array, opts: AddOptions = {}): Promise<{ hash: string; name: string }> {
    const facts = readTorrentFile(file);
    await this.ensureCategory(opts.category ?? '');
    const fields = addFormFields(opts);
    await this.version();
    const bytes = new Uint8Array(file.byteLength);
    bytes.set(file);
    await this.call('add torrent', (c) => c.addTorrent(bytes, fields)).catch((err: unknown) => this.unlessListed(facts.hash, err));
    return facts;
  }

  /** Adds a magnet link (public indexers); the hash is read from the link. */
  async addMagnet(uri: string, opts: AddOptions = {}): Promise<{ hash: string; name: string }> {
    const facts = await readMagnet('qBittorrent', uri);
    await this.ensureCategory(opts.category ?? '');
    await this.version();
    await this.call('add magnet', (c) => c.addMagnet(uri, addFormFields(opts))).catch((err: unknown) => this.unlessListed(facts.hash, err));
    return facts;
  }

  /** 4.x answers "Fails." for a hash it already has: that is the interface's "not an error". */
  private async unlessListed(hash: string, err: unknown): Promise<void> {
    if (err instanceof ServiceError && err.code !== 'error') throw err;
    if (!(await this.getTorrents([hash])).length) throw err;
  }

  async getTorrents(hashes: string[]): Promise<QbitTorrent[]> {
    if (!hashes.length) return [];
    const raw = await this.call('list torrents', (c) => c.listTorrents({ hashes: hashes.map((h) => h.toLowerCase()) }));
    return validate('qBittorrent', 'torrents/info', torrentsSchema, raw).map((t) => ({
      hash: t.hash.toLowerCase(),
      name: t.name,
      state: t.state,
      phase: mapTorrentState(t.state, t.progress),
      held: isHeld(t.state),
      progress: t.progress,
      contentPath: t.content_path ?? '',
      savePath: t.save_path,
      category: t.category ?? '',
      tags: (t.tags ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      completionOn: t.completion_on ?? 0,
    }));
  }

  /** Waits until qBittorrent lists a just-added hash (its add path is asynchronous). */
  async waitFor(hash: string, timeoutMs = 5000): Promise<QbitTorrent | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
      const [t] = await this.getTorrents([hash]);
      if (t || Date.now() >= deadline) return t;
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  async remove(hashes: string[], deleteFiles = false): Promise<void> {
    await this.call('remove torrents', (c) => c.removeTorrent(hashes, deleteFiles));
  }

  /** Refuses further calls and closes this adapter's sockets (a redeploy). */
  async close(): Promise<void> {
    this.closed = true;
    this.client = undefined;
    await this.agent.close().catch(() => undefined);
  }
}

/** A status-badge sized reason for the common qBittorrent failures ("cannot reach http:…" says nothing). */
export function shortQbitReason(err: unknown): string | undefined {
  if (!(err instanceof ServiceError) || err.service !== 'qBittorrent') return undefined;
  return ({ unreachable: 'qBittorrent down', timeout: 'qBittorrent timeout', auth: 'login refused' } as Record<string, string>)[err.code];
}
