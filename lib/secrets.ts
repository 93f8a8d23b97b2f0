// Secrets must never reach msg, status text, logs or errors. Clients register the secrets
// they hold, and every message that leaves lib/ for a user passes through redact().

const known = new Set<string>();
/** Secrets that replace each other (MAM's rotated mam_id): one value per slot, not one per rotation. */
const slots = new Map<string, string>();

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) known.add(value);
}

/**
 * The current value of a secret that rotates. MAM invalidates a mam_id once it hands out the
 * next, so the old value is no longer a secret worth a pass of every message: it is replaced.
 */
export function replaceSecret(slot: string, value: string | undefined): void {
  if (value && value.length >= 4) slots.set(slot, value);
  else slots.delete(slot);
}

/** How many secrets redact() checks (tests read it: it must not grow with each rotation). */
export function registeredSecretCount(): number {
  return known.size + slots.size;
}

export function redact(text: string): string {
  let out = text;
  for (const secret of [...known, ...slots.values()]) {
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
