// The fault matrix's indexer worlds: the world's missing books offered by a Prowlarr or a
// Torznab (Jackett) simulator instead of MAM, each release serving the book's real .torrent,
// and the search stage the pipeline runs for them: what an indexer-search node does with its
// prowlarr-server or torznab-server config node (lib/indexer/server.ts), and the .torrent
// fetched through that config node by the queue (withIndexers).
import { runIndexerSearch, type IndexerRunResult } from '../../lib/indexer/search-run';
import { prowlarrServer, torznabServer, type IndexerServer } from '../../lib/indexer/server';
import { withIndexers, type TorrentSource } from '../../lib/queue/source';
import type { Collection } from '../../lib/store/store';
import type { WantedStore } from '../../lib/store/wanted';
import type { Gap } from '../../lib/types';
import { startProwlarrSim, type ProwlarrSim } from '../sim/prowlarr-sim';
import { AUDIO_BOOKS, simRelease, startTorznabSim, type IndexerSimFault, type SimIndexer, type TorznabSim } from '../sim/torznab-sim';
import type { Missing } from './world';

export type IndexerKind = 'prowlarr' | 'torznab';

export interface FaultIndexer {
  service: 'Prowlarr' | 'Torznab';
  /** Prowlarr's URL, or the Torznab feed URL a user pastes. */
  url: string;
  apiKey: string;
  /** The one indexer behind it (mutable: `rejectCategories` is a fault). */
  indexer: SimIndexer;
  setFault(f: IndexerSimFault | null): void;
  /** Prowlarr forgets the failures that disabled its indexer (nothing to forget for Torznab). */
  clearFailures(): void;
  /** Search requests the simulator answered or refused, with their query. */
  searches(): { query: Record<string, string> }[];
  /** How often each torrent id's .torrent was fetched. */
  downloads(): Map<number, number>;
  close(): Promise<void>;
}

const NODE = 'fault-indexer-node';
const guidOf = (torrentId: number) => `rel-${torrentId}`;
const idOf = (guid: string) => Number(/^rel-(\d+)$/.exec(guid)?.[1] ?? NaN);

export async function startFaultIndexer(kind: IndexerKind, missing: Missing[], tag: string): Promise<FaultIndexer> {
  // A typical indexer title ("Author - Series 03 - Title (2019) [m4b]") with the author attribute.
  const releases = missing.map((m) => simRelease(guidOf(m.torrentId), `${m.author} - ${m.series} ${m.sequence.padStart(2, '0')} - ${m.title} (2019) [m4b]`, {
    author: m.author, booktitle: m.title, file: m.file, sizeBytes: 412 * 1024 * 1024, seeders: 9, peers: 10,
  }));
  const indexer: SimIndexer = { id: 11, name: `AudioBookBay ${tag}`, categories: [AUDIO_BOOKS], bookSearch: kind === 'torznab', releases };
  if (kind === 'prowlarr') {
    const sim: ProwlarrSim = await startProwlarrSim({ apiKey: `prowlarr-fault-key-${tag}`, indexers: [indexer] });
    return {
      service: 'Prowlarr', url: sim.url, apiKey: sim.apiKey, indexer, setFault: sim.setFault, clearFailures: sim.clearFailures, searches: sim.searches,
      downloads: () => count(sim.requests.filter((r) => /^\/\d+\/download$/.test(r.path))
        .map((r) => Buffer.from(r.query.link ?? '', 'base64url').toString().split(':').slice(1).join(':'))),
      close: () => sim.close(),
    };
  }
  const sim: TorznabSim = await startTorznabSim({ apiKey: `torznab-fault-key-${tag}`, indexers: [indexer] });
  return {
    service: 'Torznab', url: sim.feedUrl(indexer.name), apiKey: sim.apiKey, indexer, setFault: sim.setFault, clearFailures: () => undefined, searches: sim.searches,
    downloads: () => count(sim.requests.filter((r) => r.path.startsWith('/dl/')).map((r) => decodeURIComponent(r.path.split('/')[3] ?? ''))),
    close: () => sim.close(),
  };
}

function count(guids: string[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const id of guids.map(idOf)) out.set(id, (out.get(id) ?? 0) + 1);
  return out;
}

export interface IndexerStage {
  /** Throws where the node would (Prowlarr's indexer list unreadable); else the run's result. */
  search(gaps: Gap[], deps: { wanted: WantedStore; cache: Collection; now: Date }): Promise<IndexerRunResult>;
  /** What qbit-queue fetches the found releases through. */
  source: TorrentSource;
  close(): Promise<void>;
}

/** The config node as a deploy makes it (fast retries for tests), at its URL / key or other ones. */
export function indexerStage(ix: FaultIndexer, over: { url?: string; apiKey?: string } = {}): IndexerStage {
  const http = { retries: 1, backoffMs: 20, minIntervalMs: 0, timeoutMs: 3000, maxRetryAfterMs: 2000 };
  const url = over.url ?? ix.url;
  const key = over.apiKey ?? ix.apiKey;
  const server: IndexerServer = ix.service === 'Prowlarr' ? prowlarrServer(url, key, [], http) : torznabServer(url, key, ix.indexer.name, http);
  return {
    async search(gaps, deps) {
      const endpoints = await server.endpoints();
      return runIndexerSearch(gaps, { node: NODE, endpoints, wanted: deps.wanted, cache: deps.cache, now: () => deps.now }, { maxSearches: 30, retryDays: [1, 3] });
    },
    source: withIndexers(undefined, (node) => (node === NODE ? server : undefined)),
    close: () => server.close(),
  };
}
