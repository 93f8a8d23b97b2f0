// Length as evidence of what a torrent holds. The wanted book's expected duration comes from
// the metadata provider (Audible's runtime) or, less surely, from the owned books of its series
// or author (ABS durations). Against it, a torrent's size gives bytes per hour of the book; no
// audiobook encoding gives less than ~10 MiB/h (≈ 24 kbit/s) nor, lossy, more than ~160 MiB/h
// (≈ 370 kbit/s) or, lossless, ~450 MiB/h (spoken-word FLAC): outside that it is a fragment or
// a bundle. A duration from MAM's mediainfo is compared directly. Without an expected length a
// size no single audiobook reaches (50 hours at the top rate) is still absurd. Pure.
import type { Gap } from '../types';

const MiB = 1024 * 1024;
const HOUR = 3600;
export const MIN_BYTES_PER_HOUR = 10 * MiB;
const MAX_LOSSY_PER_HOUR = 160 * MiB;
const MAX_LOSSLESS_PER_HOUR = 450 * MiB;
const LONGEST_BOOK_HOURS = 50;
const LOSSY = new Set(['m4b', 'm4a', 'mp3', 'aac', 'ogg', 'opus', 'wma', 'mp4']);

export interface LengthEvidence {
  /** kbit/s the title or tags state ("64 kbps"): with the size, the audio's length. */
  statedKbps?: number;
  expectedSec?: number;
  expectedFrom?: NonNullable<Gap['expectedDurationFrom']>;
  /** Seconds of audio MAM's mediainfo reports. */
  durationSec?: number;
  /** Bytes per hour of the torrent's own duration, else of the expected length. */
  bytesPerHour?: number;
}

export type LengthProblem = 'absurd' | 'bundle' | 'fragment';

export interface LengthVerdict {
  evidence: LengthEvidence;
  problem?: LengthProblem;
  reason: string;
}

const mib = (b: number) => `${Math.round(b / MiB)} MiB`;
const hours = (s: number) => `${(s / HOUR).toFixed(s < 10 * HOUR ? 1 : 0)} h`;

/** The highest bytes per hour any encoding of these file types gives. */
function maxPerHour(filetype: string): number {
  const types = filetype.split(/[\s,/]+/).filter(Boolean);
  return types.length && types.every((x) => LOSSY.has(x)) ? MAX_LOSSY_PER_HOUR : MAX_LOSSLESS_PER_HOUR;
}

/**
 * `books`: how many books the torrent is accepted to hold (an omnibus covering the gap), so its
 * expected length is that many times the book's.
 */
/** "64 kbps", "128k", "32kbit" in the title or tags: the encoder's rate, when stated once. */
export function statedKbps(text: string): number | undefined {
  const rates = [...new Set([...text.matchAll(/\b(\d{2,3})\s*k(?:bps|bit(?:\/s)?|b\/s)?\b/gi)].map((m) => Number(m[1])))].filter((k) => k >= 16 && k <= 512);
  return rates.length === 1 ? rates[0] : undefined;
}

export function judgeLength(gap: Pick<Gap, 'expectedDurationSec' | 'expectedDurationFrom'>, t: { sizeBytes: number; filetype: string; durationSec?: number; title?: string; tags?: string }, books = 1): LengthVerdict {
  const top = maxPerHour(t.filetype);
  const expected = gap.expectedDurationSec && gap.expectedDurationSec > 0 ? gap.expectedDurationSec * books : undefined;
  const from = expected ? gap.expectedDurationFrom ?? 'metadata' : undefined;
  // A prior from other books of the series or author is looser than the book's own runtime.
  const slack = from === 'metadata' ? 1 : 3;
  const evidence: LengthEvidence = { ...(expected ? { expectedSec: expected, expectedFrom: from } : {}), ...(t.durationSec ? { durationSec: t.durationSec } : {}) };
  const basis = t.durationSec ?? expected;
  if (basis) evidence.bytesPerHour = Math.round(t.sizeBytes / (basis / HOUR));
  const longest = Math.max(LONGEST_BOOK_HOURS * books, expected ? (3 * expected) / HOUR : 0);
  if (t.sizeBytes > longest * top) {
    return { evidence, problem: 'absurd', reason: `size ${mib(t.sizeBytes)} is more than ${longest} h of audio at the highest rate for ${t.filetype || 'its format'}: not one audiobook` };
  }
  // MAM's duration against the size: no encoding gives under ~4 kbit/s or over the top rate
  // twice over; such a pair is a broken listing, not an audiobook.
  if (t.durationSec && evidence.bytesPerHour !== undefined && (evidence.bytesPerHour < 2 * MiB || evidence.bytesPerHour > 2 * top)) {
    return { evidence, problem: 'absurd', reason: `size ${mib(t.sizeBytes)} for ${hours(t.durationSec)} of audio is ${mib(evidence.bytesPerHour)} per hour: no audiobook encoding gives that` };
  }
  const said = expected ? `the book runs about ${hours(expected)} (${from === 'metadata' ? 'metadata runtime' : `prior from the ${from}'s owned books`})` : '';
  // Without MAM's duration, a stated constant bitrate gives it: size / rate.
  const kbps = LOSSY.has(t.filetype) ? statedKbps(`${t.title ?? ''} ${t.tags ?? ''}`) : undefined;
  if (kbps) evidence.statedKbps = kbps;
  const audioSec = t.durationSec ?? (kbps ? (t.sizeBytes * 8) / (kbps * 1000) : undefined);
  if (audioSec && expected) {
    const ratio = audioSec / expected;
    const heard = t.durationSec ? `${hours(audioSec)} of audio` : `${hours(audioSec)} of audio at the stated ${kbps} kbit/s`;
    if (ratio < (from === 'metadata' ? 0.6 : 0.3)) return { evidence, problem: 'fragment', reason: `${heard}, ${said}: a part, an abridgement or an adaptation` };
    if (ratio > (from === 'metadata' ? 1.7 : 3.5)) return { evidence, problem: 'bundle', reason: `${heard}, ${said}: several books` };
    return { evidence, reason: `${heard}, ${said}` };
  }
  if (expected) {
    const perHour = t.sizeBytes / (expected / HOUR);
    if (perHour < MIN_BYTES_PER_HOUR / slack) return { evidence, problem: 'fragment', reason: `${mib(perHour)} per hour of the book (${said}) is below any audiobook encoding: a part or a sample` };
    if (perHour > top * slack) return { evidence, problem: 'bundle', reason: `${mib(perHour)} per hour of the book (${said}) is above any ${top === MAX_LOSSY_PER_HOUR ? 'lossy ' : ''}encoding: several books` };
    return { evidence, reason: `${mib(perHour)} per hour of the book (${said})` };
  }
  return { evidence, reason: t.durationSec ? `${hours(t.durationSec)} of audio; expected length unknown (no metadata runtime, no owned books to judge by)` : 'length not checked: no expected length (no metadata runtime, no owned books to judge by) and MAM gives no duration' };
}
