// The account-health side of the MAM simulator: the dynamic seedbox endpoint (on MAM it lives on
// t.myanonamouse.net; here on the same server) with MAM's answers from API-REFERENCE 2.9, and the
// refusals of an IP- or ASN-locked session used from another network (401 "ip … does not
// match account" on downloads, 403 "Session ASN mismatch"). mam-sim.ts hands requests here first.
import type { ServerResponse } from 'node:http';

export const SEEDBOX_PATH = '/json/dynamicSeedbox.php';

export interface SeedboxSim {
  /** The caller's address as MAM would see it. */
  callerIp: string;
  /** What MAM has registered (undefined: nothing yet). */
  registeredIp?: string;
  /** ms of the last change (the sim's clock). */
  lastChange?: number;
  /** The session was created with "Allow Session to set Dynamic Seedbox". */
  allowed: boolean;
  /** The session is ASN-locked to another network than the caller's. */
  asnMismatch: boolean;
  /** The mam_id is a browser cookie, not an API session. */
  nonApi: boolean;
  requests: number;
}

/** ip: 401 "ip … does not match account"; asn: 403 "Session ASN mismatch"; plain: 403 with no reason. */
export type NetworkRefusal = { kind: 'ip' | 'asn' | 'plain'; path?: string } | null;

export function createAccountSim(clock: () => number = Date.now) {
  const seedbox: SeedboxSim = { callerIp: '198.51.100.7', allowed: true, asnMismatch: false, nonApi: false, requests: 0 };
  let refusal: NetworkRefusal = null;

  function answer(res: ServerResponse, status: number, value: unknown): true {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=UTF-8');
    res.end(JSON.stringify(value));
    return true;
  }

  function dynamicSeedbox(res: ServerResponse): true {
    seedbox.requests++;
    const where = { ip: seedbox.callerIp, ASN: 64500, AS: 'SIM-NET Example Provider' };
    if (seedbox.nonApi) return answer(res, 403, { Success: false, msg: 'Incorrect session type - non-API session' });
    if (!seedbox.allowed) return answer(res, 403, { Success: false, msg: 'Incorrect session type - not allowed this function' });
    if (seedbox.asnMismatch) return answer(res, 403, { Success: false, msg: 'Invalid session - ASN mismatch' });
    if (seedbox.registeredIp === seedbox.callerIp) return answer(res, 200, { Success: true, msg: 'No Change', ...where });
    if (seedbox.lastChange !== undefined && clock() - seedbox.lastChange < 3600_000) return answer(res, 429, { Success: false, msg: 'Last change too recent', ...where });
    seedbox.registeredIp = seedbox.callerIp;
    seedbox.lastChange = clock();
    return answer(res, 200, { Success: true, msg: 'Completed', ...where });
  }

  return {
    seedbox,
    /** Refuse requests (to `path`, or all) as an IP- or ASN-locked session from another network would be. */
    refuse(r: NetworkRefusal) { refusal = r; },
    /** Answers the request when it is the account sim's; false lets mam-sim go on. */
    handle(pathname: string, sessionOk: boolean, res: ServerResponse): boolean {
      if (refusal && (!refusal.path || pathname.startsWith(refusal.path))) {
        if (refusal.kind === 'asn') { res.statusCode = 403; res.end('Session ASN mismatch'); return true; }
        if (refusal.kind === 'plain') { res.statusCode = 403; res.end(); return true; }
        res.statusCode = 401;
        res.end(`ip ${seedbox.callerIp} does not match account`);
        return true;
      }
      if (pathname !== SEEDBOX_PATH) return false;
      if (!sessionOk) return answer(res, 403, { Success: false, msg: 'Invalid session' });
      return dynamicSeedbox(res);
    },
  };
}

export type AccountSim = ReturnType<typeof createAccountSim>;
