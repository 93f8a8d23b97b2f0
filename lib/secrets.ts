// Secrets must never reach msg, status text, logs or errors. Clients register the secrets
// they hold, and every message that leaves lib/ for a user passes through redact().

const known = new Set<string>();

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) known.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of known) {
    if (out.includes(secret)) out = out.split(secret).join('***');
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join('***');
  }
  return out;
}

/** An Error whose message has been through redact(), keeping its class and fields. */
export function redactError<E>(err: E): E {
  if (err instanceof Error) {
    err.message = redact(err.message);
    if (err.stack) err.stack = redact(err.stack);
  }
  return err;
}

/** Any thrown value as an Error fit for done(err): redacted, keeping a ServiceError's class. */
export function toUserError(err: unknown): Error {
  return redactError(err instanceof Error ? err : new Error(String(err)));
}
