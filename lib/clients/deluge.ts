// The Deluge adapter over @ctrl/deluge, through deluge-web's JSON-RPC (the library logs in
// with the web password and connects the web UI to its first daemon host when needed).
// The library does not throw on a JSON-RPC error answer, so every answer is validated here
// and its "error" turned into a ServiceError. Adds go through core.add_torrent_file, which
// names the hash and refuses a hash Deluge already has ("already in session": the existing
// torrent is adopted, never relabelled or moved). The category is the Label plugin's label;
// Deluge has no tags.
import { join } from 'node:path';
import { Agent } from 'undici';
import { z } from 'zod';
import type { Deluge } from '@ctrl/deluge' with { 'resolution-mode': 'import' };
import { ServiceError } from '../errors';
import { validate } from '../schema';
import { registerSecret } from '../secrets';
import { readTorrentFile } from '../qbit/torrent-file';
import { plural, pollFor, readMagnet, wrapClientError } from './common';
import { mapDeluge } from './states';
import type { AddedTorrent, AddOptions, ClientTorrent, DownloadClient } from './types';

export interface DelugeOptions {
  /** deluge-web's address, e.g. http://host:8112 */
  baseUrl: string;
  /** The web UI password (deluge-web has no user name). */
  password: string;
  timeoutMs?: number;
}

const SERVICE = 'Deluge';
const DEFAULT_PASSWORD = 'deluge';
const KEYS = ['name', 'state', 'progress', 'num_seeds', 'num_peers', 'download_location', 'label', 'completed_time'];
/** The Label plugin's rule for a label (deluge_label/core.py RE_VALID). */
const VALID_LABEL = /^[a-z0-9_.-]+$/;

const answer = <T extends z.ZodType>(result: T) => z.object({ result, error: z.null().optional() });
const torrentSchema = z.object({
  name: z.string(), state: z.string(), progress: z.number(), num_seeds: z.number(), num_peers: z.number(),
  download_location: z.string(), label: z.string().optional(), completed_time: z.number().optional(),
});
const statusSchema = answer(z.record(z.string(), torrentSchema));

/** The parsed JSON of a raw library request (its type is declared one promise too deep). */
const body = (res: unknown): unknown => (res as { _data?: unknown })._data;

export class DelugeAdapter implements DownloadClient {
  readonly service = SERVICE;
  readonly baseUrl: string;
  private client?: Promise<Deluge>;
  private closed = false;
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, connections: 4 });

  constructor(private readonly options: DelugeOptions) {
    if (!/^https?:\/\//i.test(options.baseUrl)) throw new ServiceError(SERVICE, `web UI URL must start with http:// or https:// (got "${options.baseUrl}")`, { code: 'config' });
    this.baseUrl = options.baseUrl.replace(/\/+$/, '').replace(/\/json$/i, '');
    // Deluge's well-known default password is no secret, and registering it would turn every
    // "deluge" (a docker host name, a path) in messages into "***".
    if (options.password !== DEFAULT_PASSWORD) registerSecret(options.password);
  }

  private lib(): Promise<Deluge> {
    if (this.closed) return Promise.reject(new ServiceError(SERVICE, 'client is closed (the config node was redeployed)', { code: 'closed' }));
    this.client ??= import('@ctrl/deluge').then(({ Deluge }) => new Deluge({
      baseUrl: this.baseUrl, password: this.options.password, timeout: this.options.timeoutMs ?? 10_000, dispatcher: this.agent as never,
    }));
    return this.client;
  }

  /** One JSON-RPC call (method, params), validated; a JSON-RPC error becomes a ServiceError. */
  private async rpc<T>(method: string, params: unknown[], schema: z.ZodType<{ result: T }>): Promise<T> {
    const c = await this.lib();
    let raw: unknown;
    try {
      raw = body(await c.request(method, params));
    } catch (err) {
      throw wrapClientError(SERVICE, this.baseUrl, err, method, (_s, message) => /Auth failed|Invalid Auth/i.test(message), 'login refused (check the web UI password)');
    }
    const error = (raw as { error?: { message?: unknown } | null } | null)?.error;
    if (error) {
      const text = String(error.message ?? 'error');
      // deluge-web answers "Unknown method" for every daemon call while it has no daemon.
      if (/Unknown method/i.test(text)) throw new ServiceError(SERVICE, `${method} failed: the web UI is not connected to a daemon (check its Connection Manager)`, { code: 'unreachable', transient: true });
      throw new ServiceError(SERVICE, `${method} failed: ${text}`, { code: /already in session/i.test(text) ? 'duplicate' : 'error' });
    }
    return validate(SERVICE, method, schema, raw).result;
  }

  async version(): Promise<string> {
    return this.rpc('daemon.get_version', [], answer(z.string()));
  }

  async describe(): Promise<string> {
    const version = await this.version();
    const ids = await this.rpc('core.get_session_state', [], answer(z.array(z.string())));
    return `Deluge ${version}, ${plural(ids.length, 'torrent')}`;
  }

  /** The label for a category, created if missing; refuses one the Label plugin cannot hold. */
  private async ensureLabel(category: string): Promise<string> {
    const label = category.trim().toLowerCase();
    if (!label) return '';
    if (!VALID_LABEL.test(label)) throw new ServiceError(SERVICE, `category "${category}" cannot be a Deluge label (only a-z, 0-9, "_", "-", ".")`, { code: 'config' });
    const plugins = await this.rpc('core.get_enabled_plugins', [], answer(z.array(z.string())));
    if (!plugins.includes('Label')) throw new ServiceError(SERVICE, `the Label plugin is off: enable it in Deluge (Preferences → Plugins) or leave the category empty`, { code: 'config' });
    const labels = await this.rpc('label.get_labels', [], answer(z.array(z.string())));
    if (!labels.includes(label)) await this.rpc('label.add', [label], answer(z.unknown()));
    return label;
  }

  async addTorrent(file: Uint8Array, opts: AddOptions = {}): Promise<AddedTorrent> {
    const facts = readTorrentFile(file);
    const dump = Buffer.from(file.buffer, file.byteOffset, file.byteLength).toString('base64');
    await this.add(facts.hash, opts, (options) => this.rpc('core.add_torrent_file', [`${facts.name || facts.hash}.torrent`, dump, options], answer(z.string().nullable())));
    return facts;
  }

  async addMagnet(uri: string, opts: AddOptions = {}): Promise<AddedTorrent> {
    const facts = await readMagnet(SERVICE, uri);
    await this.add(facts.hash, opts, (options) => this.rpc('core.add_torrent_magnet', [uri, options], answer(z.string().nullable())));
    return facts;
  }

  private async add(hash: string, opts: AddOptions, fn: (options: Record<string, unknown>) => Promise<string | null>): Promise<void> {
    const label = await this.ensureLabel(opts.category ?? '');
    const options: Record<string, unknown> = { add_paused: !!opts.paused };
    if (opts.savePath) options.download_location = opts.savePath;
    try {
      await fn(options);
    } catch (err) {
      if (err instanceof ServiceError && err.code === 'duplicate') return;
      throw err;
    }
    if (label) await this.rpc('label.set_torrent', [hash, label], answer(z.unknown()));
  }

  async getTorrents(hashes: string[]): Promise<ClientTorrent[]> {
    if (!hashes.length) return [];
    const ids = hashes.map((h) => h.toLowerCase());
    const found = await this.rpc('core.get_torrents_status', [{ id: ids }, KEYS], statusSchema);
    return Object.entries(found).map(([hash, t]) => ({
      hash: hash.toLowerCase(), name: t.name, ...mapDeluge(t), progress: t.progress / 100,
      contentPath: join(t.download_location, t.name), savePath: t.download_location,
      category: t.label ?? '', tags: [], completionOn: t.completed_time ?? 0,
    }));
  }

  waitFor(hash: string, timeoutMs = 5000): Promise<ClientTorrent | undefined> {
    return pollFor((h) => this.getTorrents(h), hash, timeoutMs);
  }

  async remove(hashes: string[], deleteFiles = false): Promise<void> {
    if (!hashes.length) return;
    // Answers a list of (id, error) pairs; a hash Deluge does not have is not an error here.
    await this.rpc('core.remove_torrents', [hashes.map((h) => h.toLowerCase()), deleteFiles], answer(z.unknown()));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.client = undefined;
    await this.agent.close().catch(() => undefined);
  }
}
