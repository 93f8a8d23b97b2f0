// Acceptance checks for "is this download the whole book at all?", apart from "is it the right
// book?" (rank.ts): a title can match exactly and the torrent still be a sample, one part of a
// split upload, or an e-book filed under audiobooks. Picking none beats downloading those. Pure.
import type { MamTorrent } from './rows';
import { fragmentMarker } from './markers';
import { tokens } from './title-match';

const MiB = 1024 * 1024;
const mib = (b: number) => `${Math.round(b / MiB)} MiB`;
const EBOOK_TYPES = new Set(['epub', 'pdf', 'mobi', 'azw', 'azw3', 'kfx', 'cbz', 'cbr', 'djvu', 'txt', 'rtf', 'doc', 'docx', 'lit']);
const EXTRACT = /\b(?:sample|excerpt|preview|teaser|sneak peek|summary|study guide|cliffs ?notes|spark ?notes)\b/gi;

/** A download that would not be the book even when the title matches: a sample or excerpt, one
 *  part of a book split over several torrents, an e-book filed as audio, or (without a
 *  duration to judge by) an audiobook smaller than the minimum size. None is better than these. */
export function notTheWholeBook(gapTitle: string, gapSequence: string, t: MamTorrent, cat: number, minBytes: number): string[] {
  const out: string[] = [];
  const gapWords = new Set(tokens(gapTitle));
  const extract = [...t.title.matchAll(EXTRACT)].map((m) => m[0]).find((w) => !tokens(w).every((x) => gapWords.has(x)));
  if (extract) out.push(`the title says "${extract}": not the whole book`);
  const fragment = fragmentMarker(t.title, gapTitle, gapSequence);
  if (fragment) out.push(`one part of a book split over several torrents ("${fragment}")`);
  if (cat !== 13) return out;
  const types = t.filetype.split(/[\s,/]+/).filter(Boolean);
  if (types.length && types.every((x) => EBOOK_TYPES.has(x))) out.push(`file type ${t.filetype} is an e-book, not audio`);
  else if (!t.durationSec && minBytes > 0 && t.sizeBytes < minBytes) {
    out.push(`size ${mib(t.sizeBytes)} is below the ${mib(minBytes)} minimum and MAM gives no duration: likely a sample or a partial upload`);
  }
  return out;
}

