// What the Transmission and Deluge adapters share: turning whatever their @ctrl library threw
// into one clear, redacted ServiceError naming the client, polling for a just-added hash,
// and reading the info-hash of a magnet link.
import { ServiceError, errorMessage } from '../errors';
import { redact } from '../secrets';
import type { ClientService, ClientTorrent } from './types';

/** Walks an error's cause chain for a system error code (ECONNREFUSED, ENOTFOUND…). */
export function causeCode(err: unknown): { code?: string; innermost: string } {
  let cur: unknown = err;
  let innermost = '';
  for (let i = 0; i < 6 && cur && typeof cur === 'object'; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+/.test(code)) return { code, innermost };
    innermost = errorMessage(cur);
    cur = (cur as { cause?: unknown }).cause;
  }
  return { innermost };
}

export function httpStatus(err: unknown): number | undefined {
  const e = err as { statusCode?: number; status?: number } | null;
  return e && typeof e === 'object' ? (e.statusCode ?? e.status) : undefined;
}

/**
 * One ServiceError for a failed call. `authRefused` says whether this client's library
 * signalled a refused login (a 401, Deluge's "Auth failed").
 */
export function wrapClientError(
  service: ClientService, baseUrl: string, err: unknown, what: string,
  authRefused: (status: number | undefined, message: string) => boolean, refusedText = 'login refused (check user and password)',
): ServiceError {
  if (err instanceof ServiceError) return err;
  const message = errorMessage(err);
  const status = httpStatus(err);
  if (authRefused(status, message)) return new ServiceError(service, refusedText, { status, code: 'auth', cause: err });
  const { code, innermost } = causeCode(err);
  if (code || /<no response>|fetch failed|timeout|aborted/i.test(message)) {
    const timedOut = /timeout|aborted/i.test(message) || code === 'ETIMEDOUT';
    return new ServiceError(service, `cannot reach ${baseUrl} (${timedOut ? 'timed out' : (code ?? (innermost || 'no answer'))})`, {
      transient: true, code: timedOut ? 'timeout' : 'unreachable', cause: err,
    });
  }
  return new ServiceError(service, redact(`${what} failed: ${message}`), { status, code: 'error', cause: err });
}

/** Polls until the client lists a hash, backing off from 50 ms to 500 ms. */
export async function pollFor(get: (hashes: string[]) => Promise<ClientTorrent[]>, hash: string, timeoutMs: number): Promise<ClientTorrent | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    const [t] = await get([hash]);
    if (t || Date.now() >= deadline) return t;
    await new Promise((r) => setTimeout(r, delay));
  }
}

export const NOT_A_MAGNET = 'not a magnet link with a v1 info-hash (urn:btih)';

/** The v1 info-hash (lower-case hex; a base32 urn:btih is converted) and display name of a magnet link, or undefined. */
export async function decodeMagnet(uri: string): Promise<{ hash: string; name: string } | undefined> {
  const { magnetDecode } = await import('@ctrl/magnet-link');
  const decoded = /^magnet:\?/i.test(uri) ? magnetDecode(uri) : undefined;
  const hash = decoded?.infoHash?.toLowerCase() ?? '';
  if (!/^[0-9a-f]{40}$/.test(hash)) return undefined;
  return { hash, name: typeof decoded?.name === 'string' ? decoded.name : '' };
}

/** decodeMagnet, or a clear error naming the client. */
export async function readMagnet(service: ClientService, uri: string): Promise<{ hash: string; name: string }> {
  const facts = await decodeMagnet(uri);
  if (!facts) throw new ServiceError(service, NOT_A_MAGNET, { code: 'bad_input' });
  return facts;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
