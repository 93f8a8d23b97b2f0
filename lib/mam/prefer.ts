// Preference among accepted torrents (rank.ts decides acceptance): format, freeleech, seeders,
// size within the configured bounds, title similarity. Pure.
import type { RankOptions } from './rank';
import { isFree } from './rank';
import type { MamTorrent } from './rows';

const MiB = 1024 * 1024;
const mib = (b: number) => `${Math.round(b / MiB)} MiB`;

export function prefer(t: MamTorrent, similarity: number, opts: RankOptions): { score: number; reasons: string[] } {
  const w = opts.weights;
  const reasons: string[] = [];
  let score = w.title * similarity;
  const types = t.filetype.split(/[\s,/]+/).filter(Boolean);
  const idx = Math.min(...types.map((x) => opts.formats.indexOf(x)).filter((i) => i >= 0), Number.POSITIVE_INFINITY);
  if (Number.isFinite(idx)) {
    score += (w.format * (opts.formats.length - idx)) / opts.formats.length;
    reasons.push(`format ${opts.formats[idx]} (preference ${idx + 1} of ${opts.formats.length})`);
  } else reasons.push(`format ${t.filetype || 'unknown'} is not a preferred one`);
  if (isFree(t, opts.userIsVip)) {
    score += w.freeleech * (opts.freeleechPolicy === 'prefer' ? 2 : 1);
    reasons.push(t.personalFreeleech ? 'personal freeleech' : t.freeleech ? 'freeleech' : 'VIP');
  }
  score += w.seeders * Math.min(Math.log10(1 + t.seeders) / 2, 1);
  reasons.push(t.seeders > 0 ? `${t.seeders} seeders` : 'no seeders');
  const size = sizeCheck(t, opts);
  score += size.inBounds ? w.size : -2 * w.size;
  reasons.push(size.reason);
  return { score: Math.round(score * 100) / 100, reasons };
}


function sizeCheck(t: MamTorrent, opts: RankOptions): { inBounds: boolean; reason: string } {
  if (t.durationSec) {
    const perHour = t.sizeBytes / (t.durationSec / 3600);
    const ok = perHour >= opts.minBytesPerHour && (!opts.maxBytesPerHour || perHour <= opts.maxBytesPerHour);
    return { inBounds: ok, reason: `${mib(perHour)} per hour${ok ? '' : ` outside ${mib(opts.minBytesPerHour)}–${mib(opts.maxBytesPerHour)}`}` };
  }
  const ok = t.sizeBytes >= opts.minBytes && (!opts.maxBytes || t.sizeBytes <= opts.maxBytes);
  return { inBounds: ok, reason: `size ${mib(t.sizeBytes)}${ok ? '' : ` outside ${mib(opts.minBytes)}–${mib(opts.maxBytes)}`}` };
}
