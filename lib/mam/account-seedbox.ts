// Opt-in dynamic seedbox IP registration (GET https://t.myanonamouse.net/json/dynamicSeedbox.php
// with the session cookie): MAM registers the CALLER's IP as the account's seedbox IP, so the
// torrent client's announces from a changing home IP are accepted. MAM allows one change an
// hour; we ask at most once an hour (the clock is injected, the last attempt is kept in the
// store so a redeploy does not ask again), and map each answer to a status a user can act on.
import type { HttpResponse } from '../http/client';
import { redact } from '../secrets';
import type { Collection } from '../store/store';

export const MAM_SEEDBOX_URL = 'https://t.myanonamouse.net';
export const SEEDBOX_PATH = '/json/dynamicSeedbox.php';
export const HOUR_MS = 60 * 60_000;

export type SeedboxState = 'updated' | 'unchanged' | 'too_recent' | 'asn_refused' | 'not_allowed' | 'session_refused' | 'error';

export interface SeedboxStatus {
  state: SeedboxState;
  /** One sentence for a dashboard or an alert; says what to do where something is to be done. */
  message: string;
  /** The IP MAM now has for the seedbox (its answer), when it said. */
  ip?: string;
  asn?: number;
  as?: string;
  /** When we asked (ISO). */
  at: string;
  /** No request before this time (ISO). */
  nextAt: string;
  /** True when this status is the remembered answer and no request was sent now. */
  cached?: boolean;
}

export interface SeedboxMemory {
  load(): Promise<SeedboxStatus | undefined>;
  save(status: SeedboxStatus): Promise<void>;
}

interface SeedboxAnswer { Success?: boolean; msg?: string; ip?: string; ASN?: number | string; AS?: string }

const SECURITY = 'Preferences → Security on MyAnonamouse';

/** MAM's answer (status and body) as a SeedboxStatus. */
export function mapSeedboxAnswer(status: number, body: string, now: Date): SeedboxStatus {
  let answer: SeedboxAnswer = {};
  try { answer = JSON.parse(body) as SeedboxAnswer; } catch { answer = { msg: body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim() }; }
  const msg = String(answer.msg ?? '').slice(0, 120);
  const where = { ip: answer.ip, asn: answer.ASN === undefined ? undefined : Number(answer.ASN), as: answer.AS };
  const at = now.toISOString();
  const nextAt = new Date(now.getTime() + HOUR_MS).toISOString();
  const make = (state: SeedboxState, message: string): SeedboxStatus => ({ state, message: redact(message), ...strip(where), at, nextAt });
  const ipText = answer.ip ? ` ${answer.ip}` : '';
  if (status === 0) return make('error', `seedbox IP: could not reach MAM (${msg}); tried again in an hour`);
  if (status === 200 && /^no change/i.test(msg)) return make('unchanged', `seedbox IP unchanged${ipText}: MAM already has this address`);
  if (status === 200 && (answer.Success === true || /^completed/i.test(msg))) return make('updated', `seedbox IP set to${ipText || ' this address'}`);
  if (status === 429 || /too recent/i.test(msg)) return make('too_recent', 'seedbox IP: last change too recent (MAM allows one an hour); tried again in an hour, nothing to do');
  if (/ASN/i.test(msg)) {
    return make('asn_refused', `seedbox IP refused: "${msg}". This session is locked to another network (ASN) than the one Node-RED leaves through; under ${SECURITY}, create the session from the network the torrent client uses and paste its mam_id`);
  }
  if (/not allowed this function/i.test(msg)) {
    return make('not_allowed', `seedbox IP refused: this session may not set it. Under ${SECURITY}, create a session with "Allow Session to set Dynamic Seedbox" and paste its mam_id`);
  }
  if (/non-API session/i.test(msg)) {
    return make('not_allowed', `seedbox IP refused: the mam_id is a browser cookie. Under ${SECURITY}, create a session for this package (with "Allow Session to set Dynamic Seedbox") and paste its mam_id`);
  }
  if (status === 401 || status === 403) {
    return make('session_refused', `seedbox IP refused: "${msg || `HTTP ${status}`}" (the session is invalid, or locked to another IP); under ${SECURITY}, check the session and paste a new mam_id`);
  }
  return make('error', `seedbox IP: MAM answered HTTP ${status}${msg ? ` "${msg}"` : ''}; tried again in an hour`);
}

function strip<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(typeof v === 'number' && Number.isNaN(v)))) as Partial<T>;
}

export interface SeedboxOptions {
  /** MAM's tracker host (the simulator's URL in tests). */
  baseUrl?: string;
  now?: () => Date;
  memory?: SeedboxMemory;
}

/** Registers the seedbox IP at most once an hour; between two requests it answers the last status. */
export class SeedboxRegistrar {
  private last?: SeedboxStatus;
  private loaded = false;
  private running?: Promise<SeedboxStatus>;

  constructor(private readonly client: { rawGet(url: string): Promise<HttpResponse> }, private readonly opts: SeedboxOptions = {}) {}

  /** The last status, without asking MAM. */
  async current(): Promise<SeedboxStatus | undefined> {
    await this.restore();
    return this.last;
  }

  async register(): Promise<SeedboxStatus> {
    // Two callers at once (the hourly timer and a status request) share one request.
    this.running ??= this.run().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async run(): Promise<SeedboxStatus> {
    await this.restore();
    const now = (this.opts.now ?? (() => new Date()))();
    if (this.last && now.getTime() < Date.parse(this.last.nextAt)) return { ...this.last, cached: true };
    let status: SeedboxStatus;
    try {
      const res = await this.client.rawGet(`${(this.opts.baseUrl ?? MAM_SEEDBOX_URL).replace(/\/+$/, '')}${SEEDBOX_PATH}`);
      status = mapSeedboxAnswer(res.status, res.text(), now);
    } catch (err) {
      // Network trouble also waits an hour: the limit is on our requests, not only MAM's changes.
      status = mapSeedboxAnswer(0, redact((err as Error).message), now);
    }
    this.last = status;
    await this.opts.memory?.save(status).catch(() => undefined);
    return status;
  }

  private async restore(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    this.last ??= await this.opts.memory?.load().catch(() => undefined);
  }
}

/** The last seedbox status of one mam-account, in the store's `state` collection (no secret in it). */
export function seedboxMemory(db: Collection, nodeId: string): SeedboxMemory {
  const query = { kind: 'mam-seedbox', nodeId };
  return {
    async load() {
      const doc = (await db.findOne(query)) as { status?: SeedboxStatus } | null;
      return doc?.status;
    },
    async save(status) {
      await db.update(query, { ...query, status } as unknown as Record<string, unknown>, { upsert: true });
    },
  };
}
