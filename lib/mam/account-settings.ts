// The search defaults a mam-account carries (the editor's form values, as text) turned into
// typed settings for mam-search. Bad values fall back to safe defaults, never to "no limit".
import type { SearchType } from './client';
import type { FreeleechPolicy } from './rank';

export interface MamAccountSettings {
  mainCats: number[];
  /** lang_code values accepted by the ranking ("ENG"). */
  languages: string[];
  /** MAM language ids sent as browse_lang (known codes only; the ranking checks lang_code anyway). */
  langIds: number[];
  searchType: SearchType;
  minIntervalMs: number;
  freeleechPolicy: FreeleechPolicy;
  ratioFloor: number;
  unsatMargin: number;
  wedges: { enabled: boolean; minBytes: number; perRun: number };
}

/** MAM's lang_code → browse_lang ids (API-REFERENCE 2.5; Spanish and Portuguese have two). */
const LANG_IDS: Record<string, number[]> = {
  ENG: [1], CHI: [2], SPA: [4, 55], RUS: [16], DAN: [21], DUT: [22], FIN: [23], GRE: [26], HEB: [27], HUN: [28],
  POR: [34, 52], FRE: [36], FRA: [36], GER: [37], DEU: [37], JPN: [38], SWE: [40], KOR: [41], TUR: [42], ITA: [43],
  POL: [45], NOR: [48], CZE: [20],
};

const SEARCH_TYPES: SearchType[] = ['all', 'active', 'inactive', 'fl', 'fl-VIP', 'VIP', 'nVIP'];
const GiB = 1024 ** 3;

export interface MamAccountForm {
  category?: string;
  languages?: string;
  searchType?: string;
  minInterval?: string | number;
  freeleech?: string;
  ratioFloor?: string | number;
  unsatMargin?: string | number;
  useWedges?: boolean | string;
  wedgeMinGiB?: string | number;
  wedgesPerRun?: string | number;
}

export function accountSettings(form: MamAccountForm): MamAccountSettings {
  const languages = (form.languages ?? 'ENG').split(/[\s,]+/).map((l) => l.trim().toUpperCase()).filter(Boolean);
  const langs = languages.length ? languages : ['ENG'];
  const known = langs.every((l) => LANG_IDS[l]);
  return {
    mainCats: form.category === 'ebooks' ? [14] : form.category === 'both' ? [13, 14] : [13],
    languages: langs,
    // An unknown code means we cannot narrow the query safely: search all, filter on lang_code.
    langIds: known ? [...new Set(langs.flatMap((l) => LANG_IDS[l]))] : [],
    searchType: SEARCH_TYPES.includes(form.searchType as SearchType) ? (form.searchType as SearchType) : 'all',
    // Never faster than one request a second, whatever the form says.
    minIntervalMs: Math.max(1000, num(form.minInterval, 3) * 1000),
    freeleechPolicy: form.freeleech === 'prefer' || form.freeleech === 'only' ? form.freeleech : 'any',
    ratioFloor: Math.max(0, num(form.ratioFloor, 0)),
    unsatMargin: Math.max(0, Math.floor(num(form.unsatMargin, 5))),
    wedges: {
      enabled: form.useWedges === true || form.useWedges === 'true',
      minBytes: Math.max(0, num(form.wedgeMinGiB, 1)) * GiB,
      perRun: Math.max(0, Math.floor(num(form.wedgesPerRun, 1))),
    },
  };
}

function num(value: unknown, fallback: number): number {
  if (value === '' || value === undefined || value === null) return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}
