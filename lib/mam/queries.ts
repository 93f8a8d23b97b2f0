// The query shapes tried for one gap, narrowest first (a narrow query settles the gap on its
// first page; a bare series query of a long series runs to several pages); the run stops at
// the first shape that yields an acceptable torrent. MAM's full-text search wants plain words, so
// punctuation becomes spaces (as Prowlarr does) and edition noise is dropped.
import type { Gap } from '../types';
import type { MamSearchQuery, SearchType } from './client';

export interface QueryDefaults {
  searchType: SearchType;
  mainCats: number[];
  langIds: number[];
}

export function queryShapes(gap: Gap, d: QueryDefaults): MamSearchQuery[] {
  const base = { searchType: d.searchType, mainCat: d.mainCats, langs: d.langIds };
  const title = gap.title ? plain(mainTitle(gap.title)) : '';
  const surname = gap.authors.length ? plain(lastName(gap.authors[0])) : '';
  const series = gap.series ? plain(gap.series.replace(/^the\s+/i, '')) : '';
  const shapes: MamSearchQuery[] = [];
  // 1. title + author: the precise one; 2. series + position words ("Discworld 15", as most
  // uploads name the position in the title or series); 3. series (+ author), ranked by
  // position; 4. title alone, the author is then checked by the ranking.
  if (title) shapes.push({ ...base, text: join(title, surname), srchIn: ['title', 'author'], perpage: 50 });
  const position = gap.sequence ? plain(gap.sequence) : '';
  if (series && position) shapes.push({ ...base, text: join(series, position, surname), srchIn: ['title', 'series', 'author'], perpage: 100 });
  if (series && position) shapes.push({ ...base, text: join(series, surname), srchIn: ['title', 'series', 'author'], perpage: 100 });
  if (title && surname) shapes.push({ ...base, text: title, srchIn: ['title'], perpage: 50 });
  return shapes;
}

function join(...parts: string[]): string {
  return parts.filter(Boolean).join(' ');
}

function mainTitle(title: string): string {
  return title.replace(/\s*[([](?:un)?abridged[)\]]/gi, '').split(/:\s|\s[-–—]\s/)[0];
}

function lastName(author: string): string {
  const comma = author.split(',');
  const name = comma.length === 2 ? comma[0] : author;
  const words = name.trim().split(/\s+/).filter((w) => !/^(jr|sr|ii|iii|phd)\.?$/i.test(w));
  return words[words.length - 1] ?? '';
}

function plain(text: string): string {
  return text.replace(/['’]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').replace(/\s+/g, ' ').trim();
}
