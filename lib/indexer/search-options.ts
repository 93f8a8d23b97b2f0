// indexer-search's form values (text) → the options of one run. The ranking settings mean what
// they mean in mam-search (lib/mam/search-options.ts: formRankOptions is shared); bad values fall
// back to the defaults documented in the node's help.
import { DEFAULT_RANK } from '../mam/rank';
import { formRankOptions, formRetryDays, num, type MamSearchForm } from '../mam/search-options';
import { DEFAULT_INDEXER_RUN, type IndexerRunOptions } from './search-run';

export interface IndexerSearchForm extends Omit<MamSearchForm, 'weights'> {
  weights?: string;
  /** Language codes accepted, "ENG, GER"; the first is taken for a title that states none. */
  languages?: string;
  maxPages?: string | number;
}

export function indexerRunOptions(form: IndexerSearchForm): IndexerRunOptions {
  const retry = formRetryDays(form);
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
      ...formRankOptions(form, 'indexer-search'),
    },
  };
}
