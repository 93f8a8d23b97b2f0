// The whole pipeline as a Node-RED flow (abs-library → series-gaps → mam-search → qbit-queue,
// with their config nodes, a Catch node and helper nodes at every output) for a fault world.
// Used in-process with node-red-node-test-helper and by the child-process runner (node-red-child.ts).
import absLibrary from '../../nodes/abs-library/abs-library';
import absServer from '../../nodes/abs-server/abs-server';
import hardcoverAccount from '../../nodes/hardcover-account/hardcover-account';
import mamAccount from '../../nodes/mam-account/mam-account';
import mamSearch from '../../nodes/mam-search/mam-search';
import qbitQueue from '../../nodes/qbit-queue/qbit-queue';
import qbitServer from '../../nodes/qbit-server/qbit-server';
import seriesGaps from '../../nodes/series-gaps/series-gaps';
import torrentQueue from '../../nodes/torrent-queue/torrent-queue';
import transmissionServer from '../../nodes/transmission-server/transmission-server';
import delugeServer from '../../nodes/deluge-server/deluge-server';
import indexerSearch from '../../nodes/indexer-search/indexer-search';
import prowlarrServer from '../../nodes/prowlarr-server/prowlarr-server';

export interface FlowSecrets {
  absToken: string;
  mamId: string;
  qbitPassword: string;
  hardcoverToken?: string;
  /** With `prowlarr`: the search runs through indexer-search on a prowlarr-server instead of mam-search. */
  prowlarr?: { url: string; apiKey: string };
}

export interface PipelineFlow {
  flow: Record<string, unknown>[];
  credentials: Record<string, Record<string, string>>;
  settings: { audiobookGaps: Record<string, unknown> };
}

/** Node ids a test talks to. */
export const IDS = { library: 'lib', gaps: 'gaps', search: 'search', queue: 'queue', out: 'out', notFound: 'notfound', caught: 'caught', hardcover: 'hc' } as const;

export function pipelineFlow(w: { abs: { url: string }; meta: { url: string }; mam: { url: string }; qbit: { url: string; username: string; downloads: string }; dir: string; libraryId: string }, secrets: FlowSecrets, opts: { maxPerRun?: number; pageSize?: number; maxSearches?: number; dryRun?: boolean; client?: 'transmission' | 'deluge' } = {}): PipelineFlow {
  const hardcover = secrets.hardcoverToken !== undefined;
  // Another client: its config node (same id) and a torrent-queue picking it (same id and wires).
  const client = opts.client;
  const server = client ? { type: `${client}-server`, name: client } : { type: 'qbit-server', name: 'qBittorrent' };
  const queue = client ? { type: 'torrent-queue', client, [client]: 'qb' } : { type: 'qbit-queue', server: 'qb' };
  const flow: Record<string, unknown>[] = [
    { id: 'tab', type: 'tab', label: 'audiobook gaps' },
    { id: 'abs', type: 'abs-server', name: 'ABS', url: w.abs.url, timeout: 5 },
    { id: 'mam', type: 'mam-account', name: 'MAM', url: w.mam.url, languages: 'ENG' },
    { id: 'qb', ...server, url: w.qbit.url, timeout: 5 },
    ...(hardcover ? [{ id: IDS.hardcover, type: 'hardcover-account', name: 'Hardcover', url: `${w.meta.url}/graphql`, minInterval: 0 }] : []),
    { id: IDS.library, z: 'tab', type: 'abs-library', server: 'abs', library: w.libraryId, pageSize: opts.pageSize ?? 2, property: 'payload', wires: [[IDS.gaps]] },
    { id: IDS.gaps, z: 'tab', type: 'series-gaps', providers: hardcover ? 'audible, hardcover' : 'audible', region: 'us', ...(hardcover ? { hardcover: IDS.hardcover } : {}), cacheTtlDays: 7, persist: true, wires: [[IDS.search]] },
    secrets.prowlarr
      ? { id: IDS.search, z: 'tab', type: 'indexer-search', prowlarr: 'prowlarr', maxSearches: opts.maxSearches ?? 30, cacheHours: 6, retryDays: '1 3', wires: [[IDS.queue], [IDS.notFound]] }
      : { id: IDS.search, z: 'tab', type: 'mam-search', account: 'mam', maxSearches: opts.maxSearches ?? 30, cacheHours: 6, retryDays: '1 3', wires: [[IDS.queue], [IDS.notFound]] },
    ...(secrets.prowlarr ? [{ id: 'prowlarr', type: 'prowlarr-server', name: 'Prowlarr', url: secrets.prowlarr.url, indexers: '' }] : []),
    { id: IDS.queue, z: 'tab', ...queue, mam: 'mam', category: 'audiobooks', tags: 'fault-matrix', savePath: w.qbit.downloads, paused: false, maxPerRun: opts.maxPerRun ?? 10, dryRun: opts.dryRun ?? false, requireApproval: false, wires: [[IDS.out]] },
    { id: IDS.out, z: 'tab', type: 'helper' },
    { id: IDS.notFound, z: 'tab', type: 'helper' },
    { id: 'catcher', z: 'tab', type: 'catch', scope: null, uncaught: false, wires: [[IDS.caught]] },
    { id: IDS.caught, z: 'tab', type: 'helper' },
  ];
  const credentials: PipelineFlow['credentials'] = {
    abs: { token: secrets.absToken },
    mam: { mamId: secrets.mamId },
    qb: client === 'deluge' ? { password: secrets.qbitPassword } : { username: w.qbit.username, password: secrets.qbitPassword },
    ...(hardcover ? { [IDS.hardcover]: { token: secrets.hardcoverToken as string } } : {}),
    ...(secrets.prowlarr ? { prowlarr: { apiKey: secrets.prowlarr.apiKey } } : {}),
  };
  const settings = { audiobookGaps: { storeDir: w.dir, metadataUrls: { audible: w.meta.url, goodreads: w.meta.url }, metadataMinIntervalMs: 0, mamMinIntervalMs: 1 } };
  return { flow, credentials, settings };
}

/** Every node type of the package plus the core Catch node, for helper.load(). */
export function nodeTypes(): Parameters<typeof import('node-red-node-test-helper').load>[0] {
  const home = process.env.NODE_RED_HOME;
  const catchNode = require(require.resolve('@node-red/nodes/core/common/25-catch.js', home ? { paths: [home] } : undefined));
  return [absServer, absLibrary, seriesGaps, hardcoverAccount, mamAccount, mamSearch, qbitServer, qbitQueue, transmissionServer, delugeServer, torrentQueue, indexerSearch, prowlarrServer, catchNode];
}
