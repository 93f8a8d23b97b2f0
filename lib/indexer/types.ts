// What lib/indexer works with, whatever the source: one release as Torznab or Prowlarr gave
// it (before the title parser), an indexer's capabilities, and one search request.

export interface IndexerRelease {
  guid: string;
  title: string;
  /** The indexer's display name ("AudioBookBay", "MyAnonamouse"). */
  indexer: string;
  sizeBytes: number;
  /** Unknown counts stay undefined (Torznab leaves seeders out for some trackers). */
  seeders?: number;
  leechers?: number;
  categories: number[];
  /** torznab:attr author / booktitle, when the indexer sends them. */
  author?: string;
  booktitle?: string;
  infoHash?: string;
  /** As the service sent them: SECRETS (API key, passkey). Only the client sees them; it
   *  hands out releases through cleanRelease() (links.ts), which drops both. */
  downloadUrl?: string;
  magnetUrl?: string;
  /** The download URL without the API key (links.ts), and the parameter the key goes back into. */
  link?: string;
  keyParam?: string;
  /** The download URL holds a tracker secret: only the config node has it, in memory. */
  privateLink?: boolean;
  /** There is a link to fetch: a .torrent, or a route that redirects to the magnet (Prowlarr's). */
  hasFile?: boolean;
  /** The link is Prowlarr's route to a magnet (it gave no downloadUrl): a magnet-only release all the same. */
  magnetRoute?: boolean;
  /** The magnet link without secrets in it (links.ts); `privateMagnet`: one with a tracker passkey, kept in memory. */
  magnet?: string;
  privateMagnet?: boolean;
  /** downloadvolumefactor 0 (or Prowlarr's freeleech flag). */
  freeleech: boolean;
  /** ISO 8601. */
  published: string;
}

export interface IndexerCaps {
  /** Every category id the indexer lists (parents and subcategories). */
  categories: number[];
  /** book-search and the parameters it takes; empty when only free text `q=` works. */
  bookParams: ('q' | 'author' | 'title')[];
  /** Most results per page (caps limits max). */
  limitMax: number;
}

export interface IndexerQuery {
  /** 'book': t=book with author/title; 'search': t=search with q. */
  mode: 'book' | 'search';
  q?: string;
  author?: string;
  title?: string;
  categories: number[];
  offset: number;
  limit: number;
}

export interface IndexerPage {
  releases: IndexerRelease[];
  /** Items that could not be read (no title, no link), with why. */
  unreadable: { title: string; reason: string }[];
  /** The indexer's total when it says so (torznab:response total). */
  total?: number;
}

/** One indexer to search: a Torznab feed, or one indexer inside Prowlarr. */
export interface IndexerEndpoint {
  /** Stable within its config node: "torznab", or Prowlarr's indexer id. */
  key: string;
  name: string;
  caps(): Promise<IndexerCaps>;
  search(q: IndexerQuery): Promise<IndexerPage>;
  /**
   * Whether the indexer failed a search since `since` although the search answered: Prowlarr
   * answers an indexer's error as an empty result and only records the failure. Absent where a
   * failure is always an error (Torznab).
   */
  failedSince?(since: Date): Promise<boolean>;
}
