// Admin endpoints for the editor (Test connection, library pickers). They live under
// RED.httpAdmin, require the node type's write permission, and never answer with a secret.
import type { NodeAPI } from 'node-red';
import { redact } from '../../lib/secrets';
import { errorMessage } from '../../lib/errors';

type Body = Record<string, unknown> & { id?: string; credentials?: Record<string, string> };

/**
 * The editor sends the form's current values. A password field the user did not touch
 * arrives as "__PWRD__" (or empty), so we fall back to the deployed node's stored credentials.
 */
export function resolveCredentials(RED: NodeAPI, body: Body, fields: string[]): Record<string, string> {
  const stored = (body.id ? RED.nodes.getCredentials(body.id) : undefined) as Record<string, string> | undefined;
  const out: Record<string, string> = {};
  for (const field of fields) {
    const given = body.credentials?.[field];
    out[field] = given && given !== '__PWRD__' ? given : (stored?.[field] ?? '');
  }
  return out;
}

export function adminPost(RED: NodeAPI, type: string, action: string, handler: (body: Body) => Promise<unknown>): void {
  RED.httpAdmin.post(`/audiobook-gaps/${type}/${action}`, RED.auth.needsPermission(`${type}.write`), (req, res) => {
    handler((req.body ?? {}) as Body)
      .then((result) => res.json({ ok: true, result }))
      .catch((err: unknown) => res.status(200).json({ ok: false, error: redact(errorMessage(err)) }));
  });
}
