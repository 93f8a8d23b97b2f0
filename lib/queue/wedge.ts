// Spending the freeleech wedge mam-search planned on a candidate (Candidate.wedge). It happens
// here, for a candidate qbit-queue is really adding, right before its .torrent is fetched:
// never in a dry run, never for a candidate skipped, unapproved or over the per-run limit.
// Rule when MAM will not sell it: the candidate is not downloaded. It was planned as freeleech
// because the user's policy (only freeleech, the ratio floor, the wedge size) wanted it free;
// a paid download of it is what that policy refused.
import { errorMessage } from '../errors';
import type { WedgeOutcome } from '../mam/client';
import { redact } from '../secrets';
import { sessionUnusable } from '../mam/account-refusals';

export type WedgeBuyer = (torrentId: number) => Promise<WedgeOutcome>;

export type WedgeResult = { ok: true; outcome: WedgeOutcome } | { ok: false; reason: string };

/**
 * "bought", or MAM's word that the torrent is already free for us ("vip", "global_freeleech",
 * "already_personal": no wedge needed, go ahead). A purchase that timed out may have gone
 * through: the candidate is refused now and the next run's attempt answers "already_personal".
 * An expired session throws (it stops the whole run, as a refused .torrent download does).
 */
export async function spendWedge(buy: WedgeBuyer | undefined, torrentId: number): Promise<WedgeResult> {
  const refused = (why: string): WedgeResult => ({ ok: false, reason: `${why}; not downloaded as a paid torrent (mam-search planned it as freeleech with a wedge)` });
  if (!buy) return refused(`MyAnonamouse: torrent ${torrentId}: this MAM account client cannot spend freeleech wedges`);
  try {
    return { ok: true, outcome: await buy(torrentId) };
  } catch (err) {
    if (sessionUnusable(err)) throw err;
    const reason = redact(errorMessage(err));
    return refused(/^MyAnonamouse/.test(reason) ? reason : `MyAnonamouse: torrent ${torrentId}: ${reason}`);
  }
}

/** What the wanted record and the report say about the wedge. */
export function wedgeNote(outcome: WedgeOutcome): string {
  return outcome === 'bought' ? 'freeleech wedge spent' : `no wedge needed (${outcome.replace('_', ' ')})`;
}
