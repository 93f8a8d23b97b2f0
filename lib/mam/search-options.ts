// mam-search's form values (text) + the account's defaults → the options of one search run.
// Each default is documented in the node's help; bad values fall back to them.
import type { MamAccountSettings } from './account-settings';
import { DEFAULT_RANK, DEFAULT_WEIGHTS, type RankOptions, type RankWeights } from './rank';
import { DEFAULT_RUN, type SearchRunOptions } from './search-run';

export interface MamSearchForm {
  formats?: string;
  titleThreshold?: string | number;
  allowOmnibus?: boolean;
  allowAbridged?: boolean;
  allowDramatised?: boolean;
  allowTranslation?: boolean;
  maxSearches?: string | number;
  cacheHours?: string | number;
  retryDays?: string;
  candidatesPerGap?: string | number;
  minMiBPerHour?: string | number;
  maxMiBPerHour?: string | number;
  minMiB?: string | number;
  maxMiB?: string | number;
  /** JSON, e.g. {"format":30,"seeders":40}; missing keys keep their defaults. */
  weights?: string;
}

const MiB = 1024 * 1024;

export function runOptions(form: MamSearchForm, account: MamAccountSettings): SearchRunOptions {
  const retry = formRetryDays(form);
  return {
    ...DEFAULT_RUN,
    searchType: account.searchType,
    mainCats: account.mainCats,
    langIds: account.langIds,
    ratioFloor: account.ratioFloor,
    unsatMargin: account.unsatMargin,
    wedges: account.wedges,
    maxSearches: Math.max(1, Math.floor(num(form.maxSearches, DEFAULT_RUN.maxSearches))),
    cacheTtlMs: Math.max(0, num(form.cacheHours, DEFAULT_RUN.cacheTtlMs / 3600_000)) * 3600_000,
    retryDays: retry.length ? retry : DEFAULT_RUN.retryDays,
    candidatesPerGap: Math.max(1, Math.floor(num(form.candidatesPerGap, DEFAULT_RUN.candidatesPerGap))),
    rank: {
      languages: account.languages,
      mainCats: account.mainCats,
      freeleechPolicy: account.freeleechPolicy,
      ...formRankOptions(form),
    },
  };
}

/**
 * The ranking settings both search nodes' forms share (mam-search, indexer-search): what each
 * means is in the nodes' help; a bad value falls back to its default.
 */
/** `node`: the search node whose form this is, named in a weights error. */
export function formRankOptions(form: MamSearchForm, node: 'mam-search' | 'indexer-search' = 'mam-search'): Omit<RankOptions, 'languages' | 'mainCats' | 'freeleechPolicy' | 'userIsVip'> {
  const formats = (form.formats ?? '').split(/[\s,>]+/).map((f) => f.trim().toLowerCase()).filter(Boolean);
  return {
    formats: formats.length ? formats : DEFAULT_RANK.formats,
    titleThreshold: Math.min(1, Math.max(0.5, num(form.titleThreshold, DEFAULT_RANK.titleThreshold))),
    allowOmnibus: form.allowOmnibus === true,
    allowAbridged: form.allowAbridged === true,
    allowDramatised: form.allowDramatised === true,
    allowTranslation: form.allowTranslation === true,
    minBytesPerHour: num(form.minMiBPerHour, DEFAULT_RANK.minBytesPerHour / MiB) * MiB,
    maxBytesPerHour: num(form.maxMiBPerHour, DEFAULT_RANK.maxBytesPerHour / MiB) * MiB,
    minBytes: num(form.minMiB, DEFAULT_RANK.minBytes / MiB) * MiB,
    maxBytes: num(form.maxMiB, DEFAULT_RANK.maxBytes / MiB) * MiB,
    weights: parseWeights(form.weights, node),
  };
}

/** "1, 7, 30" → the back-off days after each miss; empty when none is readable (the caller's default). */
export function formRetryDays(form: Pick<MamSearchForm, 'retryDays'>): number[] {
  return (form.retryDays ?? '').split(/[\s,]+/).map(Number).filter((d) => Number.isFinite(d) && d > 0);
}

/** Throws on malformed JSON so the user sees the mistake at deploy, not a silent default. */
export function parseWeights(text: string | undefined, node: 'mam-search' | 'indexer-search' = 'mam-search'): RankWeights {
  if (!text || !text.trim()) return DEFAULT_WEIGHTS;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${node}: weights must be JSON like {"format":30,"seeders":20}, got ${text.slice(0, 40)}`);
  }
  const out = { ...DEFAULT_WEIGHTS };
  for (const key of Object.keys(DEFAULT_WEIGHTS) as (keyof RankWeights)[]) {
    const v = (raw as Record<string, unknown>)?.[key];
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
  }
  return out;
}

/** A form number, or the fallback when it is empty or not a number. */
export function num(value: unknown, fallback: number): number {
  if (value === '' || value === undefined || value === null) return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}
