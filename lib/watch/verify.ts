// Verify after import: the last safety net. Once the watcher has matched a download to the ABS
// item it became, what ABS measured (the audio's total duration, its number of audio files, the
// title and series position from the tags or metadata.json) is compared with the book that was
// wanted. Matching proves WHICH item the download became; this asks whether it is the RIGHT
// book, whole. A doubt turns `imported` into `imported_suspect` with the evidence; it never
// deletes anything (lib/heal may refuse the torrent where the user enabled that).
//
// Rules (each a reason of its own; any one makes the import suspect):
//   - no audio files: ABS found no audio in the item (an e-book, a torrent of covers or cue sheets).
//   - too short: under SHORT_RATIO (70 %) of the metadata runtime — an abridgement, half a book,
//     a part. The same edition measures within a few percent of Audible's runtime (credits,
//     trimmed silence), another unabridged narration within ~20 %; abridgements run 30–60 %.
//   - too long: over LONG_RATIO (150 %) — a bundle: two books of a series rarely differ so much
//     that the pair stays under one and a half times the one wanted.
//   Only the book's own metadata runtime judges the length: a prior from the series' or the
//   author's owned books (Gap.expectedDurationFrom 'series' | 'author') varies by a factor of
//   three within a series, so it gives no verdict; nor does an unknown runtime.
//   - another series position: the item's series text ("Moon #3") names the wanted series at a
//     position that does not overlap the wanted one.
//   - another title: the item's title and the wanted title share neither one another's words
//     (lib/identity's folding, numbers as digits) nor is the item's title just the series name
//     and a number ("Moon, Book 2").
// Authors are not compared: rippers often tag the narrator as the artist, and the match itself
// already required the author or the title to agree.
import { parseSequence, sequencesOverlap } from '../identity/sequence';
import { normaliseSeriesName, titleTokens } from '../identity/text';
import type { CandidateEvidence, Gap, ImportEvidence } from '../types';
import type { LibraryItemLite } from './match';

export const SHORT_RATIO = 0.7;
export const LONG_RATIO = 1.5;

export interface ImportVerdict {
  suspect: boolean;
  /** Why it is suspect (empty when it is not). */
  reasons: string[];
  evidence: ImportEvidence;
}

export interface ExpectedRuntime { sec: number; from: 'metadata' }

/**
 * The wanted book's metadata runtime: the queued candidate's evidence first (it is already
 * multiplied for an accepted omnibus), else the gap's own. Priors give none (see above).
 */
export function expectedRuntime(gap: Pick<Gap, 'expectedDurationSec' | 'expectedDurationFrom'>, evidence?: CandidateEvidence): ExpectedRuntime | undefined {
  const fromCandidate = evidence?.expectedSec ?? 0;
  if (fromCandidate > 0 && (evidence?.expectedFrom ?? 'metadata') === 'metadata') return { sec: fromCandidate, from: 'metadata' };
  const fromGap = gap.expectedDurationSec ?? 0;
  if (fromGap > 0 && (gap.expectedDurationFrom ?? 'metadata') === 'metadata') return { sec: fromGap, from: 'metadata' };
  return undefined;
}

const hours = (s: number) => (s < 3600 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`);

export function judgeImport(gap: Pick<Gap, 'title' | 'series' | 'sequence'>, item: LibraryItemLite, expected?: ExpectedRuntime): ImportVerdict {
  const reasons: string[] = [];
  const evidence: ImportEvidence = {
    title: item.title,
    ...(item.seriesName ? { seriesName: item.seriesName } : {}),
    ...(item.durationSec !== undefined ? { durationSec: Math.round(item.durationSec) } : {}),
    ...(item.audioFiles !== undefined ? { audioFiles: item.audioFiles } : {}),
    ...(expected ? { expectedSec: Math.round(expected.sec), expectedFrom: expected.from } : {}),
  };
  if (item.audioFiles === 0) reasons.push('Audiobookshelf found no audio files in the item');
  const measured = item.durationSec ?? 0;
  if (expected && measured > 0) {
    const ratio = measured / expected.sec;
    evidence.ratio = Math.round(ratio * 100) / 100;
    const said = `${hours(measured)} of audio, the book runs ${hours(expected.sec)} (metadata runtime)`;
    if (ratio < SHORT_RATIO) reasons.push(`${said}: ${Math.round(ratio * 100)} %, an abridgement or a part`);
    else if (ratio > LONG_RATIO) reasons.push(`${said}: ${Math.round(ratio * 100)} %, several books`);
  }
  const position = otherPosition(gap, item.seriesName);
  if (position) reasons.push(`its tags put it at ${position}, the book wanted is #${gap.sequence}`);
  if (otherTitle(gap, item.title)) reasons.push(`its tags name "${item.title}", the book wanted is "${gap.title}"`);
  return { suspect: reasons.length > 0, reasons, evidence };
}

/** ABS's minified series text: "Moon #2", "A #1, B #2" (any order), "Moon" (no position). */
export function seriesEntries(text: string | undefined): { name: string; sequence: string }[] {
  if (!text) return [];
  return text.split(/, (?=[^,]*#|[^#]*$)/).map((part) => {
    const m = /^(.*?)\s*#\s*(\S.*)$/.exec(part.trim());
    return m ? { name: m[1], sequence: m[2] } : { name: part.trim(), sequence: '' };
  });
}

/** "Moon #3" when the item sits in the wanted series at a position that is not the wanted one. */
function otherPosition(gap: Pick<Gap, 'series' | 'sequence'>, seriesName: string | undefined): string | undefined {
  if (!gap.series || !gap.sequence) return undefined;
  const wanted = parseSequence(gap.sequence);
  if (!wanted.positions.length) return undefined;
  const key = normaliseSeriesName(gap.series);
  for (const e of seriesEntries(seriesName)) {
    if (normaliseSeriesName(e.name) !== key) continue;
    const seq = parseSequence(e.sequence);
    if (seq.positions.length && !sequencesOverlap(wanted, seq)) return `${e.name} #${e.sequence}`;
  }
  return undefined;
}

/** Words a series-style title adds to the series name and its number ("Moon, Book 2"). */
const POSITION_WORDS = new Set(['book', 'bk', 'volume', 'vol', 'part', 'no', 'number', 'episode', 'series', 'of']);

function otherTitle(gap: Pick<Gap, 'title' | 'series'>, itemTitle: string): boolean {
  if (!gap.title) return false;
  const wanted = titleTokens(gap.title);
  const got = titleTokens(itemTitle);
  if (!wanted.length || !got.length) return false;
  const inside = (a: string[], b: string[]) => ` ${b.join(' ')} `.includes(` ${a.join(' ')} `);
  if (inside(wanted, got) || inside(got, wanted)) return false;
  // "Moon, Book 2": the series and a number, which the position rule judges.
  const series = new Set(gap.series ? titleTokens(gap.series) : []);
  if (series.size && got.every((t) => series.has(t) || POSITION_WORDS.has(t) || /^\d+$/.test(t))) return false;
  return true;
}
