// series-gaps: Book[] in, Gap[] out (+ msg.series summaries, msg.warnings). Glue only: the
// work is in lib/gaps (grouping, analysis, persistence) and lib/metadata (providers). A failing
// provider is a warning, never an error: the library-only gaps still go out (see the help).
import type { Node, NodeAPI, NodeDef } from 'node-red';
import { findGaps, persistGaps } from '../../lib/gaps/find';
import { explainMissing } from '../../lib/abs/missing';
import { saveSeriesSummary } from '../../lib/store/series-summary';
import { AudibleProvider } from '../../lib/metadata/audible';
import { MetadataCache } from '../../lib/metadata/cache';
import { GoodreadsProvider } from '../../lib/metadata/goodreads';
import type { MetadataProvider } from '../../lib/metadata/provider';
import { WantedStore } from '../../lib/store/wanted';
import type { Book } from '../../lib/types';
import type { HardcoverProvider } from '../../lib/metadata/hardcover';
import { redact } from '../../lib/secrets';
import { count, status } from '../_shared/status';
import { ConfigError, credentialsOf, reportError, reportMissing } from '../_shared/report';
import { resolveStoreDir } from '../_shared/store-dir';

interface SeriesGapsDef extends NodeDef {
  providers?: string;
  region?: string;
  language?: string;
  hardcover?: string;
  chromiumPath?: string;
  includeFractional?: boolean;
  includeZero?: boolean;
  agreement?: 'one' | 'two';
  authorBackCatalogue?: boolean;
  authorCap?: number | string;
  cacheTtlDays?: number | string;
  persist?: boolean;
  /** Which records a run may resolve: those of the libraries it read, or those of this node. */
  scope?: 'library' | 'node';
}

interface TestSettings { audiobookGaps?: { metadataUrls?: { audible?: string; goodreads?: string }; metadataMinIntervalMs?: number } }

const KNOWN = ['audible', 'hardcover', 'goodreads'];

function parseProviderList(text: string | undefined): string[] {
  const names = (text ?? '').split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
  const unknown = names.filter((n) => !KNOWN.includes(n));
  if (unknown.length) throw new Error(`series-gaps: unknown provider "${unknown[0]}" (use audible, hardcover, goodreads)`);
  return [...new Set(names)];
}

/** "37 gaps · 12 series" */
function badge(gaps: number, series: number): string {
  const long = `${count(gaps)} gaps · ${count(series)} series`;
  // "150 gaps · 60 series" is one over the 19-character badge: drop the spaces then.
  return long.length <= 19 ? long : `${count(gaps)} gaps/${count(series)} series`;
}

export = function (RED: NodeAPI) {
  const settings = (RED.settings as unknown as TestSettings).audiobookGaps ?? {};

  function SeriesGaps(this: Node, config: SeriesGapsDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const owned: MetadataProvider[] = [];
    let ready: Promise<{ cache: MetadataCache; providers: MetadataProvider[]; store: WantedStore; dir: string }> | undefined;
    let queue: Promise<unknown> = Promise.resolve();
    const ttlDays = Number(config.cacheTtlDays ?? 7);
    const options = {
      includeFractional: config.includeFractional === true,
      includeZero: config.includeZero === true,
      agreement: config.agreement === 'two' ? 'two' as const : 'one' as const,
      authorBackCatalogue: config.authorBackCatalogue === true,
      authorCap: Math.max(1, Number(config.authorCap ?? 10) || 10),
      language: config.language?.trim() || 'English',
    };

    // Said on deploy: a provider list that cannot work, or Hardcover without its token.
    try {
      if (parseProviderList(config.providers).includes('hardcover')) {
        if (!config.hardcover || !RED.nodes.getNode(config.hardcover)) reportMissing(node, new ConfigError('no Hardcover account', 'series-gaps: the hardcover provider needs a hardcover-account config node'));
        else if (!credentialsOf(RED, config.hardcover).token) reportMissing(node, new ConfigError('no Hardcover token', 'series-gaps: the hardcover-account has no API token'));
      }
    } catch (err) {
      reportMissing(node, new ConfigError('unknown provider', (err as Error).message));
    }

    async function setup() {
      const dir = resolveStoreDir(RED);
      const cache = await MetadataCache.open(dir, (Number.isFinite(ttlDays) ? ttlDays : 7) * 24 * 3600 * 1000);
      const interval = settings.metadataMinIntervalMs;
      const providers: MetadataProvider[] = [];
      for (const name of parseProviderList(config.providers)) {
        if (name === 'audible') {
          const p = new AudibleProvider({ region: config.region || 'us', baseUrl: settings.metadataUrls?.audible, cache, minIntervalMs: interval });
          owned.push(p);
          providers.push(p);
        } else if (name === 'goodreads') {
          const p = new GoodreadsProvider({ baseUrl: settings.metadataUrls?.goodreads, cache, minIntervalMs: interval, chromiumPath: config.chromiumPath || undefined });
          owned.push(p);
          providers.push(p);
        } else {
          const account = config.hardcover ? (RED.nodes.getNode(config.hardcover) as unknown as { client?: HardcoverProvider; configError?: string } | null) : null;
          if (!account) throw new Error('series-gaps: the hardcover provider needs a hardcover-account config node');
          if (!account.client) throw new Error(account.configError ?? 'Hardcover: no API token: set one in the hardcover-account node');
          account.client.useCache(cache);
          providers.push(account.client);
        }
      }
      return { cache, providers, dir, store: await WantedStore.open(dir) };
    }

    /** "library:<ids>" (the libraries of this Book[]) or "node:<id>" (a filtered Book[]). */
    function runScope(books: Book[]): string {
      if (config.scope === 'node') return `node:${node.id}`;
      return `library:${[...new Set(books.map((b) => b.libraryId))].sort().join(',')}`;
    }

    async function run(msg: Record<string, unknown>, send: (m: Record<string, unknown>) => void): Promise<void> {
      const books = msg.payload;
      if (!Array.isArray(books)) throw new ConfigError('bad input', 'series-gaps: msg.payload must be the Book[] from abs-library');
      ready ??= setup();
      ready.catch(() => (ready = undefined));
      const { providers, store, dir } = await ready;
      status.busy(node, `${count(books.length)} books…`);
      const result = await findGaps(books as Book[], providers, options);
      // Books abs-library left out because their files are gone: their gaps say so.
      if (Array.isArray(msg.missingBooks)) explainMissing(result.gaps, msg.missingBooks);
      // persistGaps hands back the stored keys (a book keeps its key when its series' author part drifts).
      const saved = config.persist === false ? { added: 0, resolved: 0, kept: [], gaps: result.gaps } : await persistGaps(store, result, new Date(), runScope(books as Book[]));
      const gaps = saved.gaps;
      if (config.persist !== false) await saveSeriesSummary(dir, result.series);
      const providerWarnings = result.warnings.filter((w) => KNOWN.some((k) => w.startsWith(`${k} unavailable`)));
      for (const w of providerWarnings) node.warn(redact(w));
      const library = result.warnings.length - providerWarnings.length;
      if (library > 0) node.warn(`series-gaps: ${library} sequence(s) ignored (unreadable, or a run of missing books too long to trust); see msg.warnings`);
      msg.payload = gaps;
      msg.series = result.series;
      msg.warnings = result.warnings;
      msg.gapStats = { added: saved.added, resolved: saved.resolved, kept: saved.kept.length, requests: result.requests };
      const seriesWithGaps = new Set(gaps.map((g) => g.series).filter(Boolean)).size;
      if (providerWarnings.length) status.warn(node, badge(gaps.length, seriesWithGaps));
      else status.ok(node, badge(gaps.length, seriesWithGaps));
      send(msg);
    }

    node.on('input', (msg, send, done) => {
      // One run at a time: overlapping triggers would race on the store.
      queue = queue.then(() => run(msg as unknown as Record<string, unknown>, (m) => send(m as never))).then(
        () => done(),
        (err: unknown) => reportError(node, err, done),
      );
    });

    node.on('close', (done: () => void) => {
      Promise.all(owned.splice(0).map((p) => p.close())).then(() => done(), () => done());
    });
  }

  RED.nodes.registerType('series-gaps', SeriesGaps);
};
