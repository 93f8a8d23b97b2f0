// MAM search rows for the simulator and the ranking sets: RawMamRow is a row exactly as MAM
// sends it (JSON inside strings, sizes as text, numbers as strings); mamRow() builds one from
// a readable FriendlyRow.
/** A search row exactly as MAM sends it (strings where MAM sends strings). */
export interface RawMamRow {
  id: number | string;
  title: string;
  author_info: string;
  narrator_info: string;
  series_info: string;
  lang_code: string;
  language: number | string;
  main_cat: number | string;
  category: number | string;
  catname: string;
  size: string;
  numfiles: number | string;
  filetype: string;
  seeders: number | string;
  leechers: number | string;
  times_completed: number | string;
  added: string;
  free: number | string;
  vip: number | string;
  personal_freeleech: number | string;
  fl_vip: number | string;
  my_snatched: number | string;
  tags: string;
  w: number;
  mediainfo?: string;
}

export interface FriendlyRow {
  id: number;
  title: string;
  authors?: string[];
  narrators?: string[];
  series?: [string, string][];
  langCode?: string;
  mainCat?: number;
  size?: string;
  filetype?: string;
  seeders?: number;
  free?: boolean;
  vip?: boolean;
  added?: string;
  durationSec?: number;
  mySnatched?: boolean;
  tags?: string;
  /** Optional extras the evidence set (mam-ranking-evidence.json) writes where they carry evidence. */
  numfiles?: number;
  leechers?: number;
  personalFreeleech?: boolean;
  catname?: string;
}

/** Builds a raw MAM row from readable fields (tests write these). */
export function mamRow(f: FriendlyRow): RawMamRow {
  const obj = (names: string[] = []) => JSON.stringify(Object.fromEntries(names.map((name, i) => [String(1000 + i * 7 + f.id), name])));
  const mainCat = f.mainCat ?? 13;
  return {
    id: String(f.id),
    title: f.title,
    author_info: obj(f.authors),
    narrator_info: obj(f.narrators),
    series_info: JSON.stringify(Object.fromEntries((f.series ?? []).map(([name, pos], i) => [String(500 + i), [name, pos, Number.parseFloat(pos) || 0]]))),
    lang_code: f.langCode ?? 'ENG',
    language: f.langCode && f.langCode !== 'ENG' ? 37 : 1,
    main_cat: String(mainCat),
    category: mainCat === 13 ? '41' : '63',
    catname: f.catname ?? (mainCat === 13 ? 'Audiobooks - Fantasy' : 'Ebooks - Fantasy'),
    size: f.size ?? '612.4 MiB',
    numfiles: String(f.numfiles ?? 1),
    filetype: f.filetype ?? 'm4b',
    seeders: String(f.seeders ?? 12),
    leechers: String(f.leechers ?? 0),
    times_completed: '40',
    added: f.added ?? '2023-04-05 06:07:08',
    free: f.free ? 1 : 0,
    vip: f.vip ? 1 : 0,
    personal_freeleech: f.personalFreeleech ? 1 : 0,
    fl_vip: 0,
    my_snatched: f.mySnatched ? 1 : 0,
    tags: f.tags ?? 'unabridged',
    w: 0,
    ...(f.durationSec ? { mediainfo: JSON.stringify({ General: { Duration: String(f.durationSec) } }) } : {}),
  };
}
