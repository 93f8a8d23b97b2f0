// Admin endpoints for the editor (Test connection, library pickers). They live under
// RED.httpAdmin, require the node type's write permission, and never answer with a secret.
// Test connection is a request Node-RED makes on the caller's behalf, so it is held to rules:
// JSON bodies only (a web page can send a form-encoded "simple" request cross-origin, it cannot
// send JSON without the browser asking Node-RED first), the dialog's values are what is tested,
// a stored secret goes only to the deployed node's own server, and the answer is a verdict,
// never a piece of what the tested server sent back.
import type { NodeAPI } from 'node-red';
import { redact } from '../../lib/secrets';
import { errorMessage } from '../../lib/errors';

type Body = Record<string, unknown> & { id?: string; credentials?: Record<string, unknown> };

/** What Node-RED's editor puts in a password field whose stored value the user did not touch. */
export const UNCHANGED_PASSWORD = '__PWRD__';

/** Largest answer a test client reads (undici stops reading beyond it). */
export const TEST_BODY_LIMIT = 2 * 1024 * 1024;

export function originOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url.trim()).origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The credentials to test with, field by field, from the dialog:
 * - a typed value is used as typed;
 * - an emptied field ("") is empty: it never falls back to the stored secret;
 * - "__PWRD__" (untouched) or an absent field (a picker that sends only the node id) means the
 *   stored secret, which is sent only to the deployed node's own origin; for any other URL the
 *   secret must be typed, and the error says so.
 */
export function formCredentials(RED: NodeAPI, body: Body, labels: Record<string, string>, target: { service: string; url: string; deployedUrl?: string }): Record<string, string> {
  const stored = (body.id ? RED.nodes.getCredentials(body.id) : undefined) as Record<string, unknown> | undefined;
  const out: Record<string, string> = {};
  for (const [field, label] of Object.entries(labels)) {
    const given = body.credentials?.[field];
    if (given !== undefined && given !== UNCHANGED_PASSWORD) {
      out[field] = typeof given === 'string' ? given : '';
      continue;
    }
    const secret = typeof stored?.[field] === 'string' ? (stored[field] as string) : '';
    if (!secret) { out[field] = ''; continue; }
    const to = originOf(target.url);
    const home = originOf(target.deployedUrl);
    if (!to || to !== home) {
      throw new Error(`${target.service}: type the ${label} to test ${to ?? 'this URL'}: the stored one is only sent to the deployed node's ${home ?? 'server'}`);
    }
    out[field] = secret;
  }
  return out;
}

/**
 * The error as a verdict: the parts of our messages that quote what a server answered (a body
 * snippet, an error text from the far side) are cut, so Test cannot be used to read a page.
 */
export function verdict(message: string): string {
  return redact(message)
    // "not JSON (HTTP 200: "<html>…")", a MAM refusal "(HTTP 403: <page text>)"
    .replace(/\(HTTP (\d{3}): .*\)$/s, '(HTTP $1)')
    // Audiobookshelf's "(403: <text>) — the key's user…", "not found (404: <text>)"
    .replace(/\((\d{3}): .*?\)(?= —|$)/s, '($1)')
    // "unexpected HTTP 418 on … ("<text>")"
    .replace(/ \(".*"\)$/s, '')
    .replace(/MAM said ".*"/s, 'MAM answered with an error')
    .replace(/(GraphQL error for [^:]+): .*$/s, '$1')
    // qBittorrent: "<what> failed: <the library's text>"
    .replace(/ failed: .*$/s, ' failed')
    .replace(/\s+/g, ' ')
    .trim();
}

export function adminPost(RED: NodeAPI, type: string, action: string, handler: (body: Body) => Promise<unknown>): void {
  RED.httpAdmin.post(`/audiobook-gaps/${type}/${action}`, RED.auth.needsPermission(`${type}.write`), (req, res) => {
    if (!req.is('application/json') || typeof req.body !== 'object' || req.body === null || Array.isArray(req.body)) {
      res.status(415).json({ ok: false, error: `${type}: send the form as JSON (Content-Type: application/json)` });
      return;
    }
    handler(req.body as Body)
      .then((result) => res.json({ ok: true, result }))
      .catch((err: unknown) => res.status(200).json({ ok: false, error: verdict(errorMessage(err)) }));
  });
}
