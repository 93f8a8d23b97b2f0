// "Why was nothing picked?" answered with the nearest misses: the rejected rows that came
// closest (fewest rules failed, then title, author and position agreeing), each with the one
// rule it failed first, so a person can act on it (allow omnibus, fix an author, wait). Pure.
import type { Rejected } from './rank';

export interface NearMiss {
  id: number;
  title: string;
  /** The rule it failed (the first, where it failed several). */
  rule: string;
  /** How many rules it failed in all. */
  failed: number;
}

/** Rejected rows, nearest first. */
export function byNearness(rejected: Rejected[]): Rejected[] {
  return [...rejected].sort((a, b) => a.reasons.length - b.reasons.length || b.nearness - a.nearness || b.torrent.seeders - a.torrent.seeders);
}

export function nearestMisses(rejected: Rejected[], n = 3): NearMiss[] {
  return byNearness(rejected).slice(0, n).map((r) => ({ id: r.torrent.id, title: r.torrent.title, rule: r.reasons[0] ?? 'rejected', failed: r.reasons.length }));
}

/** The not-found verdict: "3 result(s), none acceptable; nearest misses: "X" (#12): rule; …". */
export function missVerdict(rejected: Rejected[], n = 3): string {
  const misses = nearestMisses(rejected, n);
  const list = misses.map((m) => `"${m.title}" (#${m.id}): ${m.rule}${m.failed > 1 ? ` (+${m.failed - 1} more)` : ''}`).join('; ');
  return `${rejected.length} result(s), none acceptable; nearest miss${misses.length > 1 ? 'es' : ''}: ${list}`;
}
