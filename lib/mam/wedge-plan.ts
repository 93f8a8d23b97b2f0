// Freeleech wedges are PLANNED here, never spent. A wedge is scarce and irreversible, and
// mam-search cannot know whether its candidates will be downloaded at all (a dry run, an
// approval that never comes, qbit-queue's per-run limit, a refused download). So the search
// run only marks the candidate a wedge would make free, within the per-run cap and the wedges
// the account holds; qbit-queue spends it for a candidate it really adds. Pure.
import type { Gap } from '../types';
import { isFree, rankTorrents, type RankOptions, type Ranked, type Rejected } from './rank';
import type { MamTorrent } from './rows';

export interface WedgeRules {
  enabled: boolean;
  /** Only paid torrents at least this big are worth a wedge. */
  minBytes: number;
  /** Wedges planned per search run, at most. */
  perRun: number;
}

/** One run's wedge budget. */
export interface WedgeBudget {
  rules: WedgeRules;
  /** Wedges the account holds (user status); a plan beyond them would only fail later. */
  held: number;
  /** Torrents planned so far: one wedge per torrent, counted once (an omnibus for two gaps). */
  planned: Set<number>;
}

export interface WedgePlan {
  /** The accepted torrents, the planned one first. */
  found: Ranked[];
  wedge?: { torrentId: number; reason: string };
}

const MiB = 1024 * 1024;

/**
 * For a big paid torrent (never a free/VIP one, never one without seeders): the best accepted
 * one when it is paid, or, when nothing was accepted, the best of those refused only for not
 * being free (policy "only freeleech", ratio floor), ranked as if free.
 */
export function planWedge(gap: Gap, found: Ranked[], rejected: Rejected[], budget: WedgeBudget, rankOpts: Partial<RankOptions>): WedgePlan {
  const { rules, planned } = budget;
  if (!rules.enabled) return { found };
  const room = Math.min(rules.perRun, budget.held) - planned.size;
  const userIsVip = rankOpts.userIsVip ?? false;
  const eligible = (t: MamTorrent) => !isFree(t, userIsVip) && t.sizeBytes >= rules.minBytes && t.seeders > 0 && (room > 0 || planned.has(t.id));
  const pool = found.length
    ? (eligible(found[0].torrent) ? [found[0].torrent] : [])
    : rejected.filter((r) => r.wedgeable && eligible(r.torrent)).map((r) => r.torrent);
  const best = rankTorrents(gap, pool.map((t) => ({ ...t, personalFreeleech: true })), rankOpts).accepted[0];
  if (!best) return { found };
  // The candidate keeps MAM's real flags: it is not free until qbit-queue has bought the wedge.
  const torrent = pool.find((t) => t.id === best.torrent.id) as MamTorrent;
  planned.add(torrent.id);
  const reason = `freeleech wedge planned: paid torrent of ${Math.round(torrent.sizeBytes / MiB)} MiB (wedges from ${Math.round(rules.minBytes / MiB)} MiB); qbit-queue spends it only when it downloads this one`;
  const pick: Ranked = { ...best, torrent, reasons: [...best.reasons.filter((r) => r !== 'personal freeleech'), reason] };
  return { found: [pick, ...found.filter((f) => f.torrent.id !== torrent.id)], wedge: { torrentId: torrent.id, reason } };
}
