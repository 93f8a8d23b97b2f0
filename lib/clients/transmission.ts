// The Transmission adapter over @ctrl/transmission (ESM-only, loaded with a dynamic import).
// Transmission has no categories: the category becomes the torrent's first label and the
// tags the further labels (labels exist since Transmission 3.00). A save path is always sent
// because the library would otherwise send its own "/downloads"; without one the daemon's
// download-dir is used. A hash the daemon already has comes back as "torrent-duplicate": the
// existing torrent is left as it is (adopted by the queue), never relabelled or moved.
import { join } from 'node:path';
import { Agent, fetch as undiciFetch } from 'undici';
import { z } from 'zod';
import type { Transmission } from '@ctrl/transmission' with { 'resolution-mode': 'import' };
import { ServiceError } from '../errors';
import { validate } from '../schema';
import { registerSecret } from '../secrets';
import { readTorrentFile } from '../qbit/torrent-file';
import { plural, pollFor, readMagnet, wrapClientError } from './common';
import { mapTransmission } from './states';
import type { AddedTorrent, AddOptions, ClientTorrent, DownloadClient } from './types';

export interface TransmissionOptions {
  /** e.g. http://host:9091 (the RPC path /transmission/rpc is added) */
  baseUrl: string;
  username: string;
  password: string;
  timeoutMs?: number;
}

const SERVICE = 'Transmission';
const FIELDS = ['hashString', 'name', 'status', 'error', 'errorString', 'percentDone', 'metadataPercentComplete', 'peersSendingToUs', 'isStalled', 'downloadDir', 'labels', 'doneDate'];

const rpc = <T extends z.ZodType>(args: T) => z.object({ result: z.string(), arguments: args });
const sessionSchema = rpc(z.object({ version: z.string(), 'download-dir': z.string() }));
const torrentSchema = z.object({
  hashString: z.string(), name: z.string(), status: z.number(), error: z.number(), errorString: z.string(),
  percentDone: z.number(), metadataPercentComplete: z.number(), peersSendingToUs: z.number(), isStalled: z.boolean(),
  downloadDir: z.string(), labels: z.array(z.string()).optional(), doneDate: z.number(),
});
const listSchema = rpc(z.object({ torrents: z.array(torrentSchema) }));
const countSchema = rpc(z.object({ torrents: z.array(z.object({ id: z.number() })) }));
const addedSchema = rpc(z.object({
  'torrent-added': z.object({ hashString: z.string(), name: z.string() }).optional(),
  'torrent-duplicate': z.object({ hashString: z.string(), name: z.string() }).optional(),
}));
const plainSchema = rpc(z.unknown());

/** The parsed JSON of a raw library request (its type is declared one promise too deep). */
const body = (res: unknown): unknown => (res as { _data?: unknown })._data;

/** Labels may not contain a comma in Transmission; empty ones are dropped. */
function labelsFor(opts: AddOptions): string[] {
  return [opts.category ?? '', ...(opts.tags ?? [])].map((l) => l.replace(/,/g, ' ').trim()).filter(Boolean);
}

export class TransmissionAdapter implements DownloadClient {
  readonly service = SERVICE;
  readonly baseUrl: string;
  private client?: Promise<Transmission>;
  private closed = false;
  private readonly agent = new Agent({ keepAliveTimeout: 10_000, connections: 4 });

  constructor(private readonly options: TransmissionOptions) {
    if (!/^https?:\/\//i.test(options.baseUrl)) throw new ServiceError(SERVICE, `RPC URL must start with http:// or https:// (got "${options.baseUrl}")`, { code: 'config' });
    // Users paste the web UI address; the library adds /transmission/rpc itself.
    this.baseUrl = options.baseUrl.replace(/\/+$/, '').replace(/\/transmission(\/rpc|\/web)?$/i, '');
    registerSecret(options.password);
  }

  private lib(): Promise<Transmission> {
    if (this.closed) return Promise.reject(new ServiceError(SERVICE, 'client is closed (the config node was redeployed)', { code: 'closed' }));
    this.client ??= import('@ctrl/transmission').then(({ Transmission }) => new Transmission({
      baseUrl: this.baseUrl, username: this.options.username, password: this.options.password,
      timeout: this.options.timeoutMs ?? 10_000, dispatcher: this.agent as never,
    }));
    return this.client;
  }

  /** One RPC call, validated; "result" other than "success" is Transmission's own error text. */
  private async call<S extends z.ZodType>(what: string, schema: S, fn: (c: Transmission) => Promise<unknown>): Promise<z.infer<S>> {
    const c = await this.lib();
    let raw: unknown;
    try {
      raw = await fn(c);
    } catch (err) {
      throw wrapClientError(SERVICE, this.baseUrl, await this.withoutAnswer(err), what, (status) => status === 401);
    }
    const result = (raw as { result?: unknown } | null)?.result;
    if (typeof result === 'string' && result !== 'success') throw new ServiceError(SERVICE, `${what} failed: ${result}`, { code: 'error' });
    return validate(SERVICE, what, schema, raw);
  }

  /**
   * When no HTTP answer came (refused, timed out), the library's own error handler trips over
   * the missing response and throws a TypeError that hides why. One plain request to the same
   * URL then tells the real cause (ECONNREFUSED, timeout) for the message.
   */
  private async withoutAnswer(err: unknown): Promise<unknown> {
    if (!(err instanceof TypeError) || !/reading 'status'/.test(err.message)) return err;
    try {
      await undiciFetch(`${this.baseUrl}/transmission/rpc`, { method: 'POST', dispatcher: this.agent, signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000) });
      return err;
    } catch (cause) {
      return cause;
    }
  }

  private session() {
    return this.call('session-get', sessionSchema, (c) => c.getSession());
  }

  async version(): Promise<string> {
    return (await this.session()).arguments.version.replace(/\s*\(.*\)$/, '');
  }

  async describe(): Promise<string> {
    const version = await this.version();
    const all = await this.call('torrent-get', countSchema, (c) => c.request('torrent-get', { fields: ['id'] }).then(body));
    return `Transmission ${version}, ${plural(all.arguments.torrents.length, 'torrent')}`;
  }

  async addTorrent(file: Uint8Array, opts: AddOptions = {}): Promise<AddedTorrent> {
    const facts = readTorrentFile(file);
    const bytes = new Uint8Array(file.byteLength);
    bytes.set(file);
    await this.add((c, args) => c.addTorrent(bytes, args), opts);
    return facts;
  }

  async addMagnet(uri: string, opts: AddOptions = {}): Promise<AddedTorrent> {
    const facts = await readMagnet(SERVICE, uri);
    await this.add((c, args) => c.addMagnet(uri, args), opts);
    return facts;
  }

  private async add(fn: (c: Transmission, args: { 'download-dir': string; paused: boolean }) => Promise<unknown>, opts: AddOptions): Promise<void> {
    const dir = opts.savePath || (await this.session()).arguments['download-dir'];
    const res = await this.call('torrent-add', addedSchema, (c) => fn(c, { 'download-dir': dir, paused: !!opts.paused }));
    const added = res.arguments['torrent-added'];
    const labels = labelsFor(opts);
    if (added && labels.length) await this.call('torrent-set labels', plainSchema, (c) => c.setTorrent(added.hashString, { labels }));
  }

  async getTorrents(hashes: string[]): Promise<ClientTorrent[]> {
    if (!hashes.length) return [];
    const ids = hashes.map((h) => h.toLowerCase());
    const res = await this.call('torrent-get', listSchema, (c) => c.request('torrent-get', { ids, fields: FIELDS }).then(body));
    return res.arguments.torrents.map((t) => {
      const [category = '', ...tags] = t.labels ?? [];
      const done = t.percentDone >= 1 && t.doneDate > 0;
      return {
        hash: t.hashString.toLowerCase(), name: t.name, ...mapTransmission(t), progress: t.percentDone,
        contentPath: join(t.downloadDir, t.name), savePath: t.downloadDir, category, tags, completionOn: done ? t.doneDate : 0,
      };
    });
  }

  waitFor(hash: string, timeoutMs = 5000): Promise<ClientTorrent | undefined> {
    return pollFor((h) => this.getTorrents(h), hash, timeoutMs);
  }

  async remove(hashes: string[], deleteFiles = false): Promise<void> {
    if (!hashes.length) return;
    await this.call('torrent-remove', plainSchema, (c) => c.removeTorrent(hashes.map((h) => h.toLowerCase()), deleteFiles));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.client = undefined;
    await this.agent.close().catch(() => undefined);
  }
}
