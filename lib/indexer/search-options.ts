// indexer-search's form values (text) → the options of one run. The ranking settings mean what
// they mean in mam-search (lib/mam/search-options.ts: parseWeights is shared); bad values fall
// back to the defaults documented in the node's help.
import { DEFAULT_RANK } from '../mam/rank';
import { parseWeights, type MamSearchForm } from '../mam/search-options';
import { DEFAULT_INDEXER_RUN, type IndexerRunOptions } from './search-run';

export interface IndexerSearchForm extends Omit<MamSearchForm, 'weights'> {
  weights?: string;
  /** Language codes accepted, "ENG, GER"; the first is taken for a title that states none. */
  languages?: string;
  maxPages?: string | number;
}

const MiB = 1024 * 1024;

export function indexerRunOptions(form: IndexerSearchForm): IndexerRunOptions {
  const formats = (form.formats ?? '').split(/[\s,>]+/).map((f) => f.trim().toLowerCase()).filter(Boolean);
  const retry = (form.retryDays ?? '').split(/[\s,]+/).map(Number).filter((d) => Number.isFinite(d) && d > 0);
  const languages = (form.languages ?? '').split(/[\s,]+/).map((l) => l.trim().toUpperCase()).filter(Boolean);
  const langs = languages.length ? languages : DEFAULT_RANK.languages;
  return {
    ...DEFAULT_INDEXER_RUN,
    maxSearches: Math.max(1, Math.floor(num(form.maxSearches, DEFAULT_INDEXER_RUN.maxSearches))),
    maxPages: Math.max(0, Math.floor(num(form.maxPages, DEFAULT_INDEXER_RUN.maxPages))),
    cacheTtlMs: Math.max(0, num(form.cacheHours, DEFAULT_INDEXER_RUN.cacheTtlMs / 3600_000)) * 3600_000,
    retryDays: retry.length ? retry : DEFAULT_INDEXER_RUN.retryDays,
    candidatesPerGap: Math.max(1, Math.floor(num(form.candidatesPerGap, DEFAULT_INDEXER_RUN.candidatesPerGap))),
    assumeLanguage: langs[0],
    rank: {
      languages: langs,
      mainCats: [13],
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
      weights: parseWeights(form.weights),
    },
  };
}

function num(value: unknown, fallback: number): number {
  if (value === '' || value === undefined || value === null) return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}
