// The account at a glance for a dashboard or an alert: class, ratio, the download buffer left
// before the ratio floor, unsatisfied torrents of the class limit, wedges, bonus points and the
// seedbox IP state, with the alerts a flow can switch on. Read-only: nothing here spends.
import type { MamUserStatus } from './client';
import type { SeedboxStatus } from './account-seedbox';

export interface AccountSummary {
  username: string;
  classname: string;
  /** Infinity when nothing was downloaded yet (MAM sends text then). */
  ratio: number;
  /** The mam-account's ratio floor, or 1 (MAM's own "buffer" is upload − download) when it is off. */
  ratioFloor: number;
  /** Bytes that can still be downloaded (paid) before the ratio reaches the floor; negative below it. */
  bufferBytes: number;
  uploadedBytes: number;
  downloadedBytes: number;
  unsatisfied: { count: number; limit: number; margin: number } | null;
  wedges: number;
  bonusPoints: number;
  seedbox: SeedboxStatus | { state: 'off'; message: string };
  /** Conditions a flow may alert on; empty when all is well. */
  alerts: string[];
  at: string;
}

export interface SummaryRules { ratioFloor: number; unsatMargin: number }

const GiB = 1024 ** 3;
const TROUBLE = new Set(['asn_refused', 'not_allowed', 'session_refused', 'error']);

export function accountSummary(user: MamUserStatus, rules: SummaryRules, seedbox: SeedboxStatus | undefined, now = new Date()): AccountSummary {
  const floor = rules.ratioFloor > 0 ? rules.ratioFloor : 1;
  const bufferBytes = Math.round(user.uploadedBytes / floor - user.downloadedBytes);
  const unsatisfied = user.unsatisfied ? { ...user.unsatisfied, margin: rules.unsatMargin } : null;
  const alerts: string[] = [];
  if (rules.ratioFloor > 0 && user.ratio < rules.ratioFloor) alerts.push(`ratio ${user.ratio.toFixed(2)} is below your floor ${rules.ratioFloor}: only freeleech/VIP torrents are grabbed`);
  else if (bufferBytes < 0) alerts.push(`ratio ${user.ratio.toFixed(2)} is below 1: download buffer ${gib(bufferBytes)}`);
  if (unsatisfied && Number.isFinite(unsatisfied.limit) && unsatisfied.count >= unsatisfied.limit - unsatisfied.margin) {
    alerts.push(`${unsatisfied.count} of ${unsatisfied.limit} unsatisfied (margin ${unsatisfied.margin}): no more grabs until some are seeded 72 h`);
  }
  if (seedbox && TROUBLE.has(seedbox.state)) alerts.push(seedbox.message);
  return {
    username: user.username,
    classname: user.classname,
    ratio: user.ratio,
    ratioFloor: floor,
    bufferBytes,
    uploadedBytes: user.uploadedBytes,
    downloadedBytes: user.downloadedBytes,
    unsatisfied,
    wedges: user.wedges,
    bonusPoints: user.seedbonus,
    seedbox: seedbox ?? { state: 'off', message: 'dynamic seedbox IP registration is off (mam-account)' },
    alerts,
    at: now.toISOString(),
  };
}

/** The node badge, under 20 characters: "ratio 2.31 · 12/50". */
export function summaryBadge(s: AccountSummary): string {
  const ratio = Number.isFinite(s.ratio) ? s.ratio.toFixed(2) : '∞';
  const unsat = s.unsatisfied && Number.isFinite(s.unsatisfied.limit) ? ` · ${s.unsatisfied.count}/${s.unsatisfied.limit}` : '';
  return `ratio ${ratio}${unsat}`.slice(0, 19);
}

function gib(bytes: number): string {
  return `${(bytes / GiB).toFixed(1)} GiB`;
}
