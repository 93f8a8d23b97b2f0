// The message contracts between the nodes (see README "Messages"). Every node reads and
// writes msg.payload with these shapes and keeps the rest of msg untouched.

export interface SeriesRef {
  name: string;
  /** The sequence exactly as the source wrote it ("1", "1.5", "1-3", "Book 2", ""), never coerced. */
  sequence: string | null;
}

/** One audiobook the library owns (output of abs-library). */
export interface Book {
  id: string;
  libraryId: string;
  title: string;
  subtitle?: string;
  authors: string[];
  narrators: string[];
  series: SeriesRef[];
  asin?: string;
  isbn?: string;
  language?: string;
  publishedYear?: number;
  path: string;
  addedAt: number;
  /** Seconds of audio (ABS media.duration): the prior for the length of the series' other books. */
  durationSec?: number;
}

export type GapStatus = 'wanted' | 'unreleased';

/** One book the library lacks (output of series-gaps). */
export interface Gap {
  /** Stable identity of the wanted book: "asin:<ASIN>" or "series:<normalised series>|<authors>#<sequence>". */
  key: string;
  kind: 'series' | 'author';
  status: GapStatus;
  title?: string;
  authors: string[];
  series?: string;
  sequence?: string;
  asin?: string;
  isbn?: string;
  releaseDate?: string;
  /** Provider that produced the gap: "library", "audible", "hardcover", "goodreads". */
  source: string;
  reason: string;
  /** Every provider's word on this gap, for the dashboard. */
  reasons?: string[];
  /** Expected length of the wanted book in seconds: its metadata runtime, or a prior (median)
   *  from the owned books of the series or the author. Evidence against fragments and bundles. */
  expectedDurationSec?: number;
  expectedDurationFrom?: 'metadata' | 'series' | 'author';
  /** The series' other books (owned from ABS, the rest from metadata): a torrent title naming
   *  two of them is a bundle. */
  seriesBooks?: { title: string; sequence: string }[];
}

export interface SeriesSummary {
  name: string;
  authors: string[];
  owned: string[];
  missing: string[];
  total: number | null;
  completion: number | null;
}

export interface TorrentInfo {
  /** MAM's torrent id (positive). An indexer result has a negative id derived from its config
   *  node and guid (lib/indexer/identity.ts): stable across runs, so refusals hold for it too. */
  id: number;
  title: string;
  authors: string[];
  narrators: string[];
  series: { name: string; position: string }[];
  filetype: string;
  sizeBytes: number;
  seeders: number;
  leechers: number;
  /** ISO 8601 (UTC). */
  added: string;
  freeleech: boolean;
  vip: boolean;
  personalFreeleech?: boolean;
  language: string;
  category: string;
  /** Omnibus range, when the torrent covers several books, e.g. ["1","3"]. */
  covers?: string[];
  /** Set on indexer-search results (absent: MAM): where the queue fetches the .torrent. */
  source?: TorrentOrigin;
}

/** An indexer result's origin. Never a secret in here: the API key is taken out of `link`
 *  and added back from the config node's credentials when the queue fetches the file. */
export interface TorrentOrigin {
  kind: 'indexer';
  /** The prowlarr-server or torznab-server config node that found it and fetches it. */
  node: string;
  /** The indexer's name ("AudioBookBay"). */
  indexer: string;
  guid: string;
  /** The download URL without the API key; absent when the URL itself is a tracker secret
   *  (a passkey): then only the config node that found it holds it, in memory. */
  link?: string;
  /** The query parameter the API key goes back into. */
  keyParam?: string;
  infoHash?: string;
  /** A public magnet link (no tracker secret in it): what the queue adds when there is no .torrent link.
   *  One that names a tracker passkey stays with the config node, in memory, as a private link does. */
  magnet?: string;
}

/** An accepted search result for a gap (output 1 of mam-search). */
export interface Candidate {
  gap: Gap;
  torrent: TorrentInfo;
  score: number;
  reasons: string[];
  /**
   * Set when this paid torrent is to be downloaded as freeleech, with a wedge (the account's
   * wedge settings and per-run cap decided it in mam-search). mam-search only PLANS it:
   * qbit-queue spends the wedge for a candidate it really adds (never in a dry run, nor for
   * one skipped, unapproved or over its limit) and, when MAM will not sell it, does not
   * download the torrent as a paid one.
   */
  wedge?: { reason: string };
  /** The evidence the ranking used (expected length, bytes per hour, books named, markers, language). */
  evidence?: CandidateEvidence;
}

export interface CandidateEvidence {
  expectedSec?: number;
  expectedFrom?: 'metadata' | 'series' | 'author';
  durationSec?: number;
  bytesPerHour?: number;
  /** Series books (positions, or titles without one) the torrent title names. */
  namedBooks?: string[];
  bundle?: string;
  fragment?: string;
  adaptation?: string[];
  /** The edition's language (normalised, "english"), from lang_code or the title. */
  language?: string;
  /** Evidence that was not there to judge by ("expected length", "series titles"). */
  missing?: string[];
}

/** A gap with no acceptable torrent (output 2 of mam-search). */
export interface NotFound {
  gap: Gap;
  reason: string;
  rejected?: { torrent: TorrentInfo; reasons: string[] }[];
  retryAfter?: string;
}

export type DownloadState = 'queued' | 'downloading' | 'completed' | 'stalled' | 'failed' | 'imported' | 'imported_suspect' | 'not_imported';

/** The download clients a torrent can go to (one config node type each). */
export type ClientType = 'qbittorrent' | 'transmission' | 'deluge';

/** Which client a download went to: its type and the id of the config node that queued it.
 *  A download recorded before clients could be picked has none: it is qBittorrent's. */
export interface ClientRef {
  type: ClientType;
  node?: string;
}

/** A torrent this package added to a download client (output of qbit-queue / torrent-queue). */
export interface Download {
  key: string;
  hash: string;
  name: string;
  category: string;
  tags: string[];
  savePath: string;
  state: DownloadState;
  queuedAt: string;
  torrentId?: number;
  dryRun?: boolean;
  /** Absent: qBittorrent (queued before clients could be picked). */
  client?: ClientRef;
}

export type ImportEventName = 'completed' | 'imported' | 'imported_suspect' | 'stalled' | 'failed' | 'not_imported';

/** What Audiobookshelf measured of an imported item, against the book wanted (lib/watch/verify). */
export interface ImportEvidence {
  /** The item's title and series text ("Moon #2") as ABS read them from tags or metadata.json. */
  title: string;
  seriesName?: string;
  durationSec?: number;
  audioFiles?: number;
  /** The wanted book's metadata runtime, when one was known. */
  expectedSec?: number;
  expectedFrom?: 'metadata';
  /** durationSec / expectedSec, two decimals. */
  ratio?: number;
}

/** How an import was proven: path (inside the content path, added after queueing, title or author agrees), ASIN, or title + author. */
export type ImportMatch = 'path' | 'asin' | 'title-author';

export interface ImportEvent {
  event: ImportEventName;
  download: Download;
  item?: { id: string; title: string; path: string };
  /** For "imported" and "imported_suspect": how the item was matched to the download. */
  match?: ImportMatch;
  /** For "imported" and "imported_suspect": what ABS measured, and why it is suspect. */
  verify?: { reasons: string[]; evidence: ImportEvidence };
  /** Why, for stalled / failed / not_imported ("removed from qBittorrent", …). */
  reason?: string;
}
