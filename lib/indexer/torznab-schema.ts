// Torznab at the boundary: XML parsed with fast-xml-parser, then checked with zod. Formats
// (from Jackett's and Prowlarr's Torznab output): the caps document
//   <caps><limits max default/><searching><book-search available supportedParams/>…</searching>
//   <categories><category id name><subcat id name/></category></categories></caps>
// a result page: RSS 2.0 <channel><item> with title, guid, link, size, pubDate, enclosure
//   url/length and <torznab:attr name value/> (category, seeders, peers = seeders + leechers,
//   size, author, booktitle, infohash, magneturl, downloadvolumefactor), and an error:
//   <error code description/> (100 bad API key, 201 bad parameter, 203 unsupported function).
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { ServiceError } from '../errors';
import { validate } from '../schema';
import type { IndexerCaps, IndexerPage, IndexerRelease } from './types';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => ['item', 'torznab:attr', 'newznab:attr', 'category', 'subcat'].includes(name),
});

const text = z.union([z.string(), z.number()]).transform(String);
const attr = z.object({ name: text, value: text.optional() });
const item = z.object({
  title: text.optional(),
  guid: z.union([text, z.object({ '#text': text })]).optional(),
  link: text.optional(),
  size: text.optional(),
  pubDate: text.optional(),
  category: z.array(z.union([text, z.object({ '#text': text })])).optional(),
  enclosure: z.object({ url: text.optional(), length: text.optional() }).optional(),
  'torznab:attr': z.array(attr).optional(),
  'newznab:attr': z.array(attr).optional(),
}).loose();
const rss = z.object({ rss: z.object({ channel: z.object({ item: z.array(item).optional(), 'torznab:response': z.object({ total: text.optional() }).loose().optional() }).loose() }).loose() });
const cat = z.object({ id: text, subcat: z.array(z.object({ id: text }).loose()).optional() }).loose();
const caps = z.object({
  caps: z.object({
    limits: z.object({ max: text.optional(), default: text.optional() }).loose().optional(),
    searching: z.record(z.string(), z.object({ available: text.optional(), supportedParams: text.optional() }).loose()).optional(),
    categories: z.union([z.object({ category: z.array(cat).optional() }).loose(), z.literal('')]).optional(),
  }).loose(),
});

/** Parses Torznab XML; an <error/> answer or broken XML becomes a ServiceError. */
export function readTorznab(body: string, what: string): Record<string, unknown> {
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    throw new ServiceError('Torznab', `answered ${what} with malformed XML (${valid.err.msg.replace(/\.$/, '')} at line ${valid.err.line})`, { code: 'malformed' });
  }
  const doc = parser.parse(body) as Record<string, unknown>;
  const error = doc.error as { code?: string; description?: string } | undefined;
  if (error) {
    const code = Number(error.code);
    const auth = code >= 100 && code < 200;
    throw new ServiceError('Torznab', `${what}: error ${error.code ?? '?'} "${error.description ?? ''}"${auth ? ' (check the API key)' : ''}`, { code: auth ? 'unauthorized' : code === 201 || code === 203 ? 'rejected' : 'error' });
  }
  return doc;
}

export function capsFromXml(body: string): IndexerCaps {
  const doc = validate('Torznab', 't=caps', caps, readTorznab(body, 't=caps')).caps;
  const categories = (doc.categories && typeof doc.categories === 'object' ? doc.categories.category ?? [] : [])
    .flatMap((c) => [Number(c.id), ...(c.subcat ?? []).map((s) => Number(s.id))]).filter(Number.isFinite);
  const book = doc.searching?.['book-search'];
  const bookParams = book?.available === 'yes' ? (book.supportedParams ?? 'q').split(',').map((p) => p.trim()).filter((p): p is 'q' | 'author' | 'title' => ['q', 'author', 'title'].includes(p)) : [];
  const limitMax = Number(doc.limits?.max ?? doc.limits?.default ?? 100) || 100;
  return { categories, bookParams, limitMax };
}

export function pageFromXml(body: string, indexer: string): IndexerPage {
  const channel = validate('Torznab', 'the search', rss, readTorznab(body, 'the search')).rss.channel;
  const out: IndexerPage = { releases: [], unreadable: [] };
  const total = Number(channel['torznab:response']?.total);
  if (Number.isFinite(total)) out.total = total;
  for (const it of channel.item ?? []) {
    const attrs = new Map<string, string[]>();
    for (const a of [...(it['torznab:attr'] ?? []), ...(it['newznab:attr'] ?? [])]) attrs.set(a.name, [...(attrs.get(a.name) ?? []), a.value ?? '']);
    const one = (n: string) => attrs.get(n)?.[0];
    const num = (v: string | undefined) => (v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
    const title = it.title?.trim() ?? '';
    const guid = typeof it.guid === 'object' ? it.guid['#text'] : it.guid;
    const link = it.enclosure?.url ?? it.link;
    const magnet = one('magneturl') ?? (link?.startsWith('magnet:') ? link : undefined);
    if (!title || !(link || magnet)) { out.unreadable.push({ title: title || '(no title)', reason: title ? 'no download link' : 'no title' }); continue; }
    const seeders = num(one('seeders'));
    const peers = num(one('peers'));
    const categories = [...(attrs.get('category') ?? []), ...(it.category ?? []).map((c) => (typeof c === 'object' ? c['#text'] : c))].map(Number).filter(Number.isFinite);
    const release: IndexerRelease = {
      guid: guid || link || magnet || title, title, indexer, sizeBytes: num(one('size')) ?? num(it.size) ?? num(it.enclosure?.length) ?? 0,
      ...(seeders !== undefined ? { seeders } : {}), ...(peers !== undefined && seeders !== undefined ? { leechers: Math.max(0, peers - seeders) } : {}),
      categories: [...new Set(categories)], freeleech: one('downloadvolumefactor') === '0',
      published: toIso(it.pubDate),
      ...(one('author') ? { author: one('author') } : {}), ...(one('booktitle') ? { booktitle: one('booktitle') } : {}),
      ...(one('infohash') ? { infoHash: one('infohash')!.toLowerCase() } : {}),
      ...(link && !link.startsWith('magnet:') ? { downloadUrl: link } : {}), ...(magnet ? { magnetUrl: magnet } : {}),
    };
    out.releases.push(release);
  }
  return out;
}

/** An ISO date, or '' for a date nobody can read (never a RangeError). */
export function toIso(date: string | null | undefined): string {
  const t = date ? Date.parse(date) : NaN;
  return Number.isNaN(t) ? '' : new Date(t).toISOString();
}
