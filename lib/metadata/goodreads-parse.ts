// Goodreads HTML, parsed defensively with cheerio. The markup changes without notice, so each
// parser checks for the landmarks it relies on and fails with "layout changed" (naming the
// page) instead of returning an empty series, which would silently hide every gap.
import type * as Cheerio from 'cheerio';
import { ServiceError } from '../errors';
import type { ProviderBook } from './provider';

// cheerio (with parse5 and htmlparser2: ~20 MB of resident memory) is loaded on the first
// Goodreads page, not with the package: most flows never use the Goodreads provider.
let cheerio: typeof Cheerio | undefined;
function load(html: string): Cheerio.CheerioAPI {
  cheerio ??= require('cheerio') as typeof Cheerio;
  return cheerio.load(html);
}

export interface SearchRow { title: string; href: string; authors: string[] }
export interface SeriesLink { id: string; name: string }
export interface SeriesPage { name: string; primaryWorks?: number; totalWorks?: number; books: ProviderBook[] }

function changed(what: string, url: string): ServiceError {
  return new ServiceError('Goodreads', `the ${what} layout changed (no recognisable entries at ${url}); update the package or switch the provider off`, { code: 'layout_changed' });
}

const clean = (text: string) => text.replace(/\s+/g, ' ').trim();

export function parseSearch(html: string, url: string): SearchRow[] {
  const $ = load(html);
  const rows: SearchRow[] = [];
  $('tr[itemtype="http://schema.org/Book"]').each((_i, el) => {
    const link = $(el).find('a.bookTitle').first();
    const title = clean(link.find('span').first().text() || link.text());
    const href = link.attr('href');
    if (!title || !href) return;
    const authors = $(el).find('a.authorName span').map((_j, a) => clean($(a).text())).get().filter(Boolean);
    rows.push({ title, href, authors });
  });
  if (rows.length === 0 && !/no results/i.test($('body').text()) && $('table.tableList').length === 0) throw changed('search page', url);
  return rows;
}

/** "Leviathan Wakes (The Expanse, #1)" → "Leviathan Wakes". */
export function stripSeriesSuffix(title: string): string {
  return title.replace(/\s*\([^()]*#\s*[\d.\-–]+\)\s*$/, '').trim();
}

/** Series links on a book page: `<a href="/series/45175-the-expanse">The Expanse #1</a>`. */
export function parseBookSeriesLinks(html: string, url: string): SeriesLink[] {
  const $ = load(html);
  const links: SeriesLink[] = [];
  $('a[href*="/series/"]').each((_i, el) => {
    const id = /\/series\/(\d+)/.exec($(el).attr('href') ?? '')?.[1];
    const name = clean($(el).text()).replace(/^\(|\)$/g, '').replace(/\s*,?\s*#\s*[\d.\-–]+\s*$/, '').trim();
    if (id && name && !links.some((l) => l.id === id)) links.push({ id, name });
  });
  if (links.length === 0 && $('h1').length === 0) throw changed('book page', url);
  return links;
}

export function parseSeriesPage(html: string, url: string, now = new Date()): SeriesPage {
  const $ = load(html);
  const text = clean($('body').text());
  const primaryWorks = Number(/(\d+)\s+primary\s+works?/i.exec(text)?.[1] ?? NaN);
  const totalWorks = Number(/(\d+)\s+total\s+works?/i.exec(text)?.[1] ?? NaN);
  const name = clean($('h1').first().text()).replace(/\s+Series$/i, '');
  const items = $('div.listWithDividers__item');
  if (items.length === 0 || !name) throw changed('series page', url);
  const books: ProviderBook[] = [];
  items.each((_i, el) => {
    const item = $(el);
    const heading = clean(item.find('h3').first().text());
    const sequence = /^Book\s+(.+)$/i.exec(heading)?.[1]?.trim() ?? '';
    const titleEl = item.find('a.bookTitle span[itemprop="name"]').first();
    const title = clean(titleEl.length ? titleEl.text() : item.find('.responsiveBook a[href*="/book/show/"]').first().text());
    const authors = item.find('[itemprop="author"] a, [itemprop="author"] [itemprop="name"]').map((_j, a) => clean($(a).text())).get().filter(Boolean);
    const entryText = clean(item.text());
    const releaseDate = expected(entryText, now);
    books.push({
      sequence,
      ...(title ? { title: stripSeriesSuffix(title) } : {}),
      authors: [...new Set(authors)],
      ...(releaseDate ? { releaseDate } : {}),
      compilation: /^\d+(\.\d+)?\s*[-–]\s*\d+/.test(sequence),
    });
  });
  if (books.every((b) => !b.title)) throw changed('series page', url);
  return { name, ...(Number.isFinite(primaryWorks) ? { primaryWorks } : {}), ...(Number.isFinite(totalWorks) ? { totalWorks } : {}), books };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "expected publication Mar 3, 2027" → "2027-03-03"; "expected publication 2027" → "2027". */
function expected(text: string, now: Date): string | undefined {
  const m = /expected publication\s+(?:([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+)?(\d{4})/i.exec(text);
  if (!m) return undefined;
  const month = m[1] ? MONTHS.indexOf(m[1].toLowerCase()) + 1 : 0;
  if (month > 0 && m[2]) return `${m[3]}-${String(month).padStart(2, '0')}-${m[2].padStart(2, '0')}`;
  // Only a year: keep it when it is still ahead, so the book waits as unreleased.
  return Number(m[3]) >= now.getUTCFullYear() ? m[3] : undefined;
}
