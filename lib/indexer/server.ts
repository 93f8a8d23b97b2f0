// What a prowlarr-server or torznab-server config node holds: the indexers to search, the
// .torrent fetch for the queue (with the API key from credentials) and a Test connection
// verdict. One HTTP client per config node, so every search and download of that server
// shares its host lane (one request at a time) and its rate limit.
import type { TorrentOrigin } from '../types';
import type { TorrentPayload } from '../queue/payload';
import { indexerHttp, ProwlarrServer, TorznabFeed, type IndexerClientOptions } from './client';
import { AUDIO, AUDIOBOOK } from './caps';
import { downloadIndexerTorrent } from './download';
import type { IndexerEndpoint } from './types';

export interface IndexerServer {
  readonly kind: 'prowlarr' | 'torznab';
  endpoints(): Promise<IndexerEndpoint[]>;
  /** The .torrent, or the magnet link when the indexer gives only that. */
  downloadTorrent(origin: TorrentOrigin): Promise<TorrentPayload>;
  /** "Prowlarr 1.24.3: 3 torrent indexers (AudioBookBay, …)" or the caps summary. */
  describe(): Promise<string>;
  close(): Promise<void>;
}

export function prowlarrServer(url: string, apiKey: string, indexerIds: number[], o: IndexerClientOptions = {}): IndexerServer {
  if (!apiKey) throw new Error('Prowlarr: no API key (Prowlarr → Settings → General → API Key)');
  const server = new ProwlarrServer(indexerHttp('Prowlarr', o), url, apiKey);
  let memo: Promise<IndexerEndpoint[]> | undefined;
  return {
    kind: 'prowlarr',
    endpoints() {
      // The indexer list is read once per deploy; a failure is retried on the next run.
      memo ??= server.endpoints(indexerIds);
      memo.catch(() => { memo = undefined; });
      return memo;
    },
    downloadTorrent: (origin) => downloadIndexerTorrent({ http: server.http, apiKey, privateLinks: server.privateLinks }, origin),
    async describe() {
      const { version } = await server.status();
      const list = await server.endpoints(indexerIds);
      const caps = await Promise.all(list.map((e) => e.caps()));
      const audio = list.filter((_e, i) => caps[i].categories.some((c) => c === AUDIOBOOK || c === AUDIO)).length;
      const names = list.map((e) => e.name);
      return `Prowlarr ${version}: ${list.length} torrent indexer${list.length === 1 ? '' : 's'}${names.length ? ` (${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''})` : ''}, ${audio} with an audiobook category`;
    },
    close: () => server.http.close(),
  };
}

export function torznabServer(url: string, apiKey: string, name: string, o: IndexerClientOptions = {}): IndexerServer {
  const feed = new TorznabFeed(indexerHttp('Torznab', o), url, apiKey, name || 'Torznab');
  return {
    kind: 'torznab',
    endpoints: async () => [feed],
    downloadTorrent: (origin) => downloadIndexerTorrent({ http: feed.http, apiKey, privateLinks: feed.privateLinks }, origin),
    async describe() {
      const caps = await feed.caps();
      const cat = caps.categories.includes(AUDIOBOOK) ? 'audiobooks (3030)' : caps.categories.includes(AUDIO) ? 'audio (3000), no audiobook category' : 'no audio category: searched unfiltered';
      const mode = caps.bookParams.includes('title') ? `book search by ${caps.bookParams.filter((p) => p !== 'q').join(' + ')}` : 'free-text search only';
      return `Torznab: ${cat}; ${mode}; up to ${caps.limitMax} per page`;
    },
    close: () => feed.http.close(),
  };
}
