// What kind of Audiobookshelf token a user pasted, read from its JWT claims (not verified:
// only ABS can do that). ABS answers every auth failure with a bare 401 "Unauthorized", so
// these claims are the only way to tell the user WHY: a login access token that expired
// after its hour, a refresh token (never valid for requests), or an API key past its expiry.
export type TokenKind = 'api-key' | 'access' | 'refresh' | 'legacy' | 'unknown';

export interface TokenFacts {
  kind: TokenKind;
  /** From the `exp` claim, when there is one. */
  expiresAt?: Date;
}

export function describeToken(token: string): TokenFacts {
  const parts = token.trim().split('.');
  if (parts.length !== 3) return { kind: 'unknown' };
  let claims: { type?: unknown; exp?: unknown; userId?: unknown };
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return { kind: 'unknown' };
  }
  if (!claims || typeof claims !== 'object') return { kind: 'unknown' };
  const expiresAt = typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : undefined;
  const kind: TokenKind = claims.type === 'api' ? 'api-key' : claims.type === 'access' ? 'access' : claims.type === 'refresh' ? 'refresh'
    : typeof claims.userId === 'string' ? 'legacy' : 'unknown';
  return expiresAt ? { kind, expiresAt } : { kind };
}

function when(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The text after "rejected the API key (401)": the likely reason for this token. */
export function unauthorizedHint(token: string, now = new Date()): string {
  const { kind, expiresAt } = describeToken(token);
  const expired = expiresAt !== undefined && expiresAt.getTime() <= now.getTime();
  const useKey = 'create an API key (Settings → API Keys, switched on) and paste that instead';
  if (kind === 'access') {
    return expired
      ? `: this is a login access token and it expired at ${when(expiresAt)} (they last one hour) — ${useKey}`
      : ` — this is a login access token (they last one hour); ${useKey}`;
  }
  if (kind === 'refresh') return `: this is a refresh token, which ABS never accepts for requests — ${useKey}`;
  if (kind === 'api-key' && expired) return `: the API key expired at ${when(expiresAt)} — create a new one (Settings → API Keys)`;
  if (kind === 'api-key') return ' — check in Settings → API Keys that the key exists and is switched on (new keys start inactive)';
  return ' — check that it is correct, active and not expired';
}

/** A warning for a token that works now but will stop working on its own (null if none). */
export function expiryWarning(token: string, now = new Date()): string | null {
  const { kind, expiresAt } = describeToken(token);
  if (kind === 'access') return `the key is a login access token that expires${expiresAt ? ` at ${when(expiresAt)}` : ' within an hour'}; nightly runs will then fail — use an API key`;
  if (kind === 'refresh') return 'the key is a refresh token, which ABS does not accept for requests — use an API key';
  if (kind === 'api-key' && expiresAt && expiresAt.getTime() > now.getTime()) return `the API key expires at ${when(expiresAt)}`;
  return null;
}
