// One run of series-gaps: group the library, ask each provider in order (each batches and
// caches), analyse, and record the result in the `wanted` store. A failing provider never
// changes what the library alone proves: its series are marked, and gaps it found before are
// kept rather than resolved.
import type { Book, Gap } from '../types';
import { inScope, STORE_SCOPE, type WantedStore } from '../store/wanted';
import type { AuthorOutcome, MetadataProvider, SeriesOutcome, SeriesQuery } from '../metadata/provider';
import { errorMessage } from '../errors';
import { redact } from '../secrets';
import { analyse, type AnalyseOptions, type AnalyseResult } from './analyse';
import { booksLanguage } from '../identity/language';
import { adoptKnownKeys, mergeSameSeries, seriesOfRecord } from './identity';
import { groupSeries, type SeriesGroup } from './series';
import { positionKey } from '../identity/sequence';

export interface FindOptions extends AnalyseOptions {
  /** Books by the library's authors that it lacks; off by default. */
  authorBackCatalogue?: boolean;
  /** The user's language ("English"), for series and authors whose books do not say theirs. */
  language?: string;
}

export interface FindResult extends AnalyseResult {
  /** Requests each provider made during this run. */
  requests: Record<string, number>;
  failedProviders: string[];
}

export function toQuery(group: SeriesGroup, fallbackLanguage?: string): SeriesQuery {
  const ownedPositions = new Set<string>();
  for (const m of group.numbered) {
    if (m.seq.kind === 'number') ownedPositions.add(positionKey(m.seq) ?? '');
    else m.seq.positions.forEach((p) => ownedPositions.add(String(p)));
  }
  const books = [...group.numbered, ...group.unnumbered].map((m) => m.book);
  const language = booksLanguage(books, fallbackLanguage);
  return { id: group.id, name: group.name, authors: group.authors, books, ownedPositions: [...ownedPositions], ...(language ? { language } : {}) };
}

export async function findGaps(books: Book[], providers: MetadataProvider[], options: FindOptions = {}): Promise<FindResult> {
  const groups = groupSeries(books);
  const queries = groups.map((g) => toQuery(g, options.language));
  const before = new Map(providers.map((p) => [p.name, p.requestCount()]));
  const outcomes = new Map<string, SeriesOutcome[]>();
  const warnings: string[] = [];
  const failed = new Map<string, { count: number; error: string }>();
  for (const provider of providers) {
    const answers = await provider.lookupSeries(queries);
    for (const q of queries) {
      const outcome = answers.get(q.id);
      if (!outcome) continue;
      const list = outcomes.get(q.id) ?? [];
      list.push(outcome);
      outcomes.set(q.id, list);
      if (outcome.status === 'failed') {
        const f = failed.get(provider.name) ?? { count: 0, error: outcome.error };
        f.count++;
        failed.set(provider.name, f);
      }
    }
  }
  const authorOutcomes: AuthorOutcome[] = [];
  if (options.authorBackCatalogue) {
    const authors = [...new Set(groups.map((g) => g.authors[0]).filter(Boolean))];
    for (const provider of providers) {
      if (!provider.authorBooks || failed.has(provider.name)) continue;
      for (const author of authors) {
        try {
          const language = booksLanguage(books.filter((b) => b.authors?.includes(author)), options.language);
          authorOutcomes.push({ provider: provider.name, author, books: await provider.authorBooks(author, options.authorCap ?? 10, language) });
        } catch (err) {
          failed.set(provider.name, { count: 0, error: errorMessage(err) });
          authorOutcomes.push({ provider: provider.name, author, books: [], error: errorMessage(err) });
          break;
        }
      }
    }
  }
  const same = mergeSameSeries(groups, outcomes, providers.map((p) => p.name));
  const result = analyse(books, options, same.outcomes, authorOutcomes, same.groups);
  // One warning per provider per run, however many series it failed for.
  for (const [name, f] of failed) {
    warnings.push(redact(`${name} unavailable${f.count ? ` for ${f.count} series` : ''}: ${f.error}. Library-only gaps were still reported.`));
  }
  const requests: Record<string, number> = {};
  for (const p of providers) requests[p.name] = p.requestCount() - (before.get(p.name) ?? 0);
  return { ...result, warnings: [...warnings, ...result.warnings], requests, failedProviders: [...failed.keys()] };
}

const ACTIVE = ['wanted', 'unreleased', 'not_found', 'found'];

/**
 * Saves the run: new gaps added, vanished ones resolved, except in series (or author
 * back-catalogues) where a provider failed: there, gaps found by earlier runs are carried
 * over, since their absence says nothing. A new gap for a book the store already knows under
 * an older key takes that key (in place, so `result.gaps` carries the stored keys). Returns
 * every gap to send on (this run's and the carried-over ones) and the carried-over ones.
 * `scope` names the run (its library, or its node): records of other scopes are left alone.
 */
export async function persistGaps(store: WantedStore, result: FindResult, now = new Date(), scope = STORE_SCOPE): Promise<{ added: number; resolved: number; kept: Gap[]; gaps: Gap[] }> {
  const records = await store.list();
  adoptKnownKeys(result.gaps, records, result.series);
  const reported = new Set(result.gaps.map((g) => g.key));
  const authorsFailed = result.failedProviders.length > 0;
  const kept: Gap[] = [];
  for (const rec of records) {
    // Another scope's records (another library's run) are neither carried over nor resolved here.
    if (!ACTIVE.includes(rec.state) || reported.has(rec.key) || !inScope(rec, scope)) continue;
    const series = rec.gap.kind === 'series' ? seriesOfRecord(rec, result.series) : undefined;
    // A book added since the last run is owned now, even if its provider is down.
    if (series && series.owned.includes(rec.gap.sequence ?? '')) continue;
    const inFailedSeries = !!series && series.unavailable.length > 0;
    const failedAuthorGap = authorsFailed && rec.gap.kind === 'author' && result.failedProviders.includes(rec.gap.source);
    if (!inFailedSeries && !failedAuthorGap) continue;
    kept.push({ ...rec.gap, key: rec.key });
    if (series && rec.gap.sequence && !series.missing.includes(rec.gap.sequence)) {
      series.missing.push(rec.gap.sequence);
      series.missing.sort((a, b) => parseFloat(a) - parseFloat(b) || a.localeCompare(b));
    }
  }
  const counts = await store.syncGaps([...result.gaps, ...kept], now, scope);
  return { ...counts, kept, gaps: [...result.gaps, ...kept] };
}
