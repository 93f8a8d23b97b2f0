// Indexer releases → the ranking's torrents, ranked by THE SAME ranking as MAM's results
// (lib/mam/rank.ts). What Torznab does not give as fields comes from the one title parser;
// what nobody says stays unknown, and the reasons say so:
// - no author from the indexer nor in the title: rejected (rank.ts: "lists no author"), with
//   the reason naming the indexer;
// - an author read from the title: accepted only as rank.ts accepts it, with the reason
//   "author not given by the indexer" so the user sees it was read, not given;
// - seeders not given: counted as 0 (never ahead of a seeded one);
// - no language in the title: the run's assumed language (default English), said in the reasons;
// - a magnet-only release: accepted, the reasons say so (the client fetches its metadata from
//   peers first; with none it stalls, and abs-import-watch moves on to the next candidate);
// - a release with neither a link nor a magnet left to use: rejected.
import type { Gap, TorrentInfo } from '../types';
import { normaliseLanguage } from '../identity/language';
import { authorsMatch } from '../identity/names';
import type { MamTorrent } from '../mam/rows';
import { rankTorrents, toTorrentInfo, type RankOptions, type Ranked, type Rejected } from '../mam/rank';
import { AUDIO, AUDIOBOOK } from './caps';
import { indexerTorrentId } from './links';
import { parseReleaseTitle, type ParsedRelease } from './title-parse';
import type { IndexerRelease } from './types';

export interface IndexerTorrent extends MamTorrent {
  source: NonNullable<TorrentInfo['source']>;
  parsed: ParsedRelease;
  /** The release title as the indexer gave it (shown to the user); `title` is what the ranking compares. */
  rawTitle: string;
  seedersKnown: boolean;
  /** How the queue gets it: a link to fetch, a magnet only, or nothing usable. */
  fetch: 'link' | 'magnet' | 'none';
  /** Read as "Title - Author" for this book: the parser's other reading (both ends look like names). */
  swapped?: boolean;
}

/**
 * The reading of the title to rank for this book: the parser's, or, when both ends of "A - B"
 * look like names and only the other order names the book's author, that one ("Project Hail
 * Mary - Andy Weir"). The title must still match for the ranking to accept it.
 */
export function readingFor(t: IndexerTorrent, gap: Gap): IndexerTorrent {
  const other = t.parsed.otherReading;
  if (!other || authorsMatch(gap.authors, t.authors) || !authorsMatch(gap.authors, other.authors)) return t;
  const parsed: ParsedRelease = { ...t.parsed, authors: other.authors, title: other.title, otherReading: { authors: t.parsed.authors, title: t.parsed.title } };
  return { ...t, parsed, authors: other.authors, title: rankTitle(parsed, t.rawTitle), swapped: true };
}

/**
 * The title the ranking compares: the parsed book title with the edition words it carried
 * (the ranking reads abridged, dramatised and language from the title, as it does for MAM,
 * whose titles hold no author and no series). "The Martian by Andy Weir (Unabridged) 64kbps"
 * → "The Martian (Unabridged)".
 */
export function rankTitle(p: ParsedRelease, raw: string): string {
  if (!p.title) return raw;
  const marks = [p.unabridged === true ? 'Unabridged' : p.unabridged === false ? 'Abridged' : '', p.dramatised ? 'Dramatised' : '', p.language ? `${p.language} edition` : ''];
  // Bracketed text the parser did not read ("Books 1-3", "Omnibus") stays: it may mark a bundle.
  return [p.title, ...[...p.extra, ...marks].filter(Boolean).map((m) => `(${m})`)].join(' ');
}

/** MAM-style language codes the ranking compares (its `languages` option, "ENG"). */
const CODES: Record<string, string> = { english: 'ENG', german: 'GER', french: 'FRE', spanish: 'SPA', italian: 'ITA', dutch: 'DUT', russian: 'RUS', polish: 'POL', swedish: 'SWE', danish: 'DAN', norwegian: 'NOR', finnish: 'FIN', japanese: 'JPN', chinese: 'CHI', portuguese: 'POR' };

export function languageCode(language: string | undefined): string {
  const lang = normaliseLanguage(language);
  return lang ? CODES[lang] ?? lang.slice(0, 3).toUpperCase() : '';
}

/** `r` is a cleaned release (links.ts): its link holds no secret. */
export function toIndexerTorrent(r: IndexerRelease, node: string, assumeLanguage: string): IndexerTorrent {
  const parsed = parseReleaseTitle(r.title, { author: r.author, booktitle: r.booktitle });
  const audio = r.categories.some((c) => c === AUDIOBOOK || c === AUDIO);
  const books = r.categories.some((c) => c >= 7000 && c < 8000);
  return {
    id: indexerTorrentId(node, r.guid), title: rankTitle(parsed, r.title), rawTitle: r.title, authors: parsed.authors, narrators: parsed.narrators,
    series: parsed.series ? [parsed.series] : [], filetype: parsed.format ?? '', sizeBytes: r.sizeBytes,
    seeders: r.seeders ?? 0, leechers: r.leechers ?? 0, added: r.published, freeleech: r.freeleech, vip: false,
    language: parsed.language ? languageCode(parsed.language) : assumeLanguage,
    category: audio ? 'Audiobooks' : books ? 'E-books' : `categories ${r.categories.join(',') || '(none)'}`,
    mainCat: audio ? 13 : books ? 14 : 0, mySnatched: false, flVip: false, tags: '',
    source: { kind: 'indexer', node, indexer: r.indexer, guid: r.guid, ...(r.link ? { link: r.link } : {}), ...(r.keyParam ? { keyParam: r.keyParam } : {}), ...(r.infoHash ? { infoHash: r.infoHash } : {}), ...(r.magnet ? { magnet: r.magnet } : {}) },
    parsed, seedersKnown: r.seeders !== undefined, fetch: r.magnetRoute || (!r.hasFile && (r.magnet || r.privateMagnet)) ? 'magnet' : r.hasFile ? 'link' : 'none',
  };
}

export function rankReleases(gap: Gap, torrents: IndexerTorrent[], opts: Partial<RankOptions>, assumeLanguage: string): { accepted: Ranked[]; rejected: Rejected[] } {
  const ranked = rankTorrents(gap, torrents.map((t) => readingFor(t, gap)), opts);
  const accepted: Ranked[] = [];
  const rejected: Rejected[] = ranked.rejected.map((r) => ({ ...r, reasons: r.reasons.map((why) => explain(why, r.torrent as IndexerTorrent)) }));
  for (const a of ranked.accepted) {
    const t = a.torrent as IndexerTorrent;
    if (t.fetch === 'none') { rejected.push({ torrent: t, reasons: ['no download link nor magnet left to use'], nearness: 0, evidence: a.evidence }); continue; }
    const magnet = t.fetch === 'magnet' ? ['magnet link only: the client fetches the book\'s metadata from peers first'] : [];
    accepted.push({ ...a, reasons: [`from ${t.source.indexer}`, ...magnet, ...unknowns(t, assumeLanguage), ...a.reasons] });
  }
  return { accepted, rejected };
}

/** What was read or assumed rather than given, for the candidate's reasons. */
function unknowns(t: IndexerTorrent, assumeLanguage: string): string[] {
  const out: string[] = [];
  if (t.parsed.authorFrom === 'title') out.push(`author not given by the indexer: read from the release title (${t.authors.join(', ')}${t.swapped ? ', as "Title - Author": both ends look like names' : ''})`);
  if (!t.parsed.language) out.push(`language not given by the indexer nor in the title: taken as ${assumeLanguage}`);
  if (!t.seedersKnown) out.push('seeders not given by the indexer: counted as 0');
  if (!t.filetype) out.push('format not given by the indexer nor in the title');
  return out;
}

function explain(why: string, t: IndexerTorrent): string {
  if (why === 'the torrent lists no author') return `author not given by ${t.source.indexer} nor in the release title`;
  return why;
}

/** The contract's TorrentInfo, keeping where it came from. */
export function indexerTorrentInfo(t: IndexerTorrent, covers?: string[]): TorrentInfo {
  const { source, parsed: _p, seedersKnown: _s, fetch: _f, swapped: _w, rawTitle, ...rest } = t;
  return { ...toTorrentInfo(rest, covers), title: rawTitle, source };
}
