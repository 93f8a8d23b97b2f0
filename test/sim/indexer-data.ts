// What the indexer simulators (torznab-sim.ts, prowlarr-sim.ts) serve: indexers with their
// caps, and releases in the fields Torznab and Prowlarr really send (see the formats noted in
// lib/indexer/torznab-schema.ts). Rendering lives here so both simulators answer alike.

export interface SimRelease {
  guid: string;
  title: string;
  sizeBytes: number;
  seeders: number;
  /** Torznab `peers` counts seeders and leechers together. */
  peers: number;
  categories: number[];
  /** torznab:attr author / booktitle: only some indexers send them. */
  author?: string;
  booktitle?: string;
  infohash?: string;
  /** Public indexers give a magnet and no .torrent. */
  magnetOnly?: boolean;
  /** The magnet link handed out, when not the plain one magnetOf() builds (one with trackers, say). */
  magnet?: string;
  /** downloadvolumefactor 0 = freeleech. */
  freeleech?: boolean;
  pubDate?: string;
  /** The link is the tracker's own, with this passkey in it (Torznab simulator). */
  passkey?: string;
  /** The .torrent file served for this release (a placeholder when none is given). */
  file?: Buffer;
}

export interface SimIndexer {
  id: number;
  name: string;
  privacy?: 'public' | 'private' | 'semiPrivate';
  /** Category ids this indexer lists in its caps (parents and subcats). */
  categories: { id: number; name: string; subcats?: { id: number; name: string }[] }[];
  /** book-search with author/title; without it only free text `q=` works. */
  bookSearch: boolean;
  /** Like some Jackett indexers: HTTP 400 for a `cat=` it does not list. */
  rejectUnknownCategory?: boolean;
  /** HTTP 400 for these categories although the caps list them (seen on Jackett indexers). */
  rejectCategories?: number[];
  /** Caps limits (default 100 per page). */
  maxLimit?: number;
  releases: SimRelease[];
}

export const AUDIO_BOOKS = { id: 3000, name: 'Audio', subcats: [{ id: 3030, name: 'Audio/Audiobook' }] };
export const BOOKS = { id: 7000, name: 'Books', subcats: [{ id: 7020, name: 'Books/EBook' }] };

export function simRelease(guid: string, title: string, extra: Partial<SimRelease> = {}): SimRelease {
  return { guid, title, sizeBytes: 300 * 1024 * 1024, seeders: 12, peers: 14, categories: [3030], pubDate: '2024-03-01T12:00:00Z', ...extra };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function listedCategories(ix: SimIndexer): number[] {
  return ix.categories.flatMap((c) => [c.id, ...(c.subcats ?? []).map((s) => s.id)]);
}

export function capsXml(ix: SimIndexer): string {
  const book = ix.bookSearch ? '<book-search available="yes" supportedParams="q,author,title"/>' : '<book-search available="no" supportedParams="q"/>';
  const cats = ix.categories.map((c) => `<category id="${c.id}" name="${esc(c.name)}">${(c.subcats ?? []).map((s) => `<subcat id="${s.id}" name="${esc(s.name)}"/>`).join('')}</category>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<caps><server title="${esc(ix.name)}"/><limits default="${ix.maxLimit ?? 100}" max="${ix.maxLimit ?? 100}"/>
<searching><search available="yes" supportedParams="q"/><tv-search available="no" supportedParams="q"/><movie-search available="no" supportedParams="q"/><music-search available="no" supportedParams="q"/>${book}</searching>
<categories>${cats}</categories></caps>`;
}

export function errorXml(code: number, description: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<error code="${code}" description="${esc(description)}"/>`;
}

export function magnetOf(r: SimRelease): string {
  if (r.magnet) return r.magnet;
  return `magnet:?xt=urn:btih:${r.infohash ?? '0'.repeat(40)}&dn=${encodeURIComponent(r.title)}`;
}

/** A Torznab RSS page; `link(r)` is the download URL the indexer hands out. */
export function rssXml(ix: SimIndexer, releases: SimRelease[], offset: number, total: number, link: (r: SimRelease) => string): string {
  const items = releases.map((r) => {
    const url = r.magnetOnly ? magnetOf(r) : link(r);
    const attrs: [string, string | number | undefined][] = [
      ...r.categories.map((c): [string, number] => ['category', c]),
      ['seeders', r.seeders], ['peers', r.peers], ['size', r.sizeBytes], ['author', r.author], ['booktitle', r.booktitle],
      ['infohash', r.infohash], ['magneturl', r.infohash ? magnetOf(r) : undefined],
      ['downloadvolumefactor', r.freeleech ? 0 : 1], ['uploadvolumefactor', 1],
    ];
    return `<item><title>${esc(r.title)}</title><guid>${esc(r.guid)}</guid><jackettindexer id="${ix.id}">${esc(ix.name)}</jackettindexer>
<pubDate>${new Date(r.pubDate ?? 0).toUTCString()}</pubDate><size>${r.sizeBytes}</size><link>${esc(url)}</link>
${r.categories.map((c) => `<category>${c}</category>`).join('')}<enclosure url="${esc(url)}" length="${r.sizeBytes}" type="application/x-bittorrent"/>
${attrs.filter(([, v]) => v !== undefined).map(([n, v]) => `<torznab:attr name="${n}" value="${esc(String(v))}"/>`).join('')}</item>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:torznab="http://torznab.com/schemas/2015/feed"><channel>
<title>${esc(ix.name)}</title><description>${esc(ix.name)} feed</description><language>en-US</language>
<torznab:response offset="${offset}" total="${total}"/>
${items}
</channel></rss>`;
}

/** Words of the query all found in the title or author (how indexers match, roughly). */
export function matches(r: SimRelease, words: string[]): boolean {
  const hay = `${r.title} ${r.author ?? ''} ${r.booktitle ?? ''}`.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ');
  return words.every((w) => hay.includes(w));
}

export function queryWords(...parts: (string | null | undefined)[]): string[] {
  return parts.filter(Boolean).join(' ').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').split(' ').filter(Boolean);
}

/** A stand-in .torrent (bencoded, so the queue's reader computes a hash from it). */
export function placeholderTorrent(r: SimRelease): Buffer {
  const name = r.title.slice(0, 60);
  const info = `d6:lengthi${r.sizeBytes}e4:name${Buffer.byteLength(name)}:${name}12:piece lengthi262144e6:pieces20:${'x'.repeat(20)}e`;
  return Buffer.from(`d8:announce28:http://127.0.0.1:9/announce4:info${info}e`);
}
