// MAM sessions are bound to an IP or an ASN when the user creates them. A request from another
// address is refused with a reason in the body; these are turned into errors that say what
// happened and what to do on MAM's side, instead of a generic "session expired":
//   401 "ip 203.0.113.9 does not match account"  (seen on download.php, through Prowlarr)
//   403 "Session ASN mismatch"                    (search and page calls; also dynamicSeedbox)
import { ServiceError } from '../errors';

const SECURITY_PAGE = 'Preferences → Security on MyAnonamouse';

/** The refusal an answer stands for, or undefined when it is not an IP/ASN refusal. */
export function networkRefusal(status: number, body: string): ServiceError | undefined {
  if (status !== 401 && status !== 403) return undefined;
  const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
  if (/ASN mismatch/i.test(text)) {
    return new ServiceError('MyAnonamouse',
      `refused the session: "Session ASN mismatch" (HTTP ${status}). The mam_id session is locked to another network (ASN) than the one Node-RED uses now (a VPN or a new provider?). `
      + `Under ${SECURITY_PAGE}, create a new session from the network Node-RED runs on (ASN-locked if your IP changes) and paste its mam_id, or send Node-RED's traffic through the network the session was made on.`,
      { status, code: 'asn_mismatch' });
  }
  const ip = /\bip\s+([0-9a-f.:]+)\s+does not match/i.exec(text);
  if (ip || /does not match (?:the )?account/i.test(text)) {
    const from = ip ? ` from ${ip[1]}` : '';
    return new ServiceError('MyAnonamouse',
      `refused the request${from}: the IP does not match the session (HTTP ${status}). The mam_id session is IP-locked to another address. `
      + `Under ${SECURITY_PAGE}, create a session for this address, or an ASN-locked one if your home IP changes, and paste its mam_id; `
      + 'if only the torrent client changed address, register it as the seedbox IP (mam-account: dynamic seedbox IP).',
      { status, code: 'ip_mismatch' });
  }
  return undefined;
}

/** True when no request with this session can succeed from here: the run stops at the first one. */
export function sessionUnusable(err: unknown): boolean {
  return err instanceof ServiceError && (err.code === 'session_expired' || err.code === 'ip_mismatch' || err.code === 'asn_mismatch');
}
