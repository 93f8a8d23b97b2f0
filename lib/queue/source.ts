// What the queue needs from MAM (the mam-account node's client fits), and the per-run view of
// it: an omnibus accepted for several gaps is one torrent, so its file is fetched and its
// wedge bought once per run. An indexer result (TorrentInfo.source) is fetched through the
// config node that found it (withIndexers).
import type { WedgeOutcome } from '../mam/client';
import type { TorrentOrigin } from '../types';
import type { TorrentPayload } from './payload';

export interface TorrentSource {
  /** `origin`: set for an indexer result; MAM's torrents have none. An indexer may give only a magnet link. */
  downloadTorrent(id: number, origin?: TorrentOrigin): Promise<TorrentPayload>;
  /** Spends a freeleech wedge (MamClient.buyWedge); only for candidates mam-search planned one on. */
  buyWedge?(torrentId: number): Promise<WedgeOutcome>;
  /**
   * Why a torrent of this origin cannot be fetched here (no MAM account for a MAM torrent, the
   * indexer's config node gone), or undefined when it can. Absent: everything can be asked for.
   */
  unavailable?(origin?: TorrentOrigin): string | undefined;
}

/** The config nodes an indexer result is fetched through (prowlarr-server, torznab-server). */
export type IndexerFetchers = (node: string) => { downloadTorrent(origin: TorrentOrigin): Promise<TorrentPayload> } | undefined;

/** MAM for MAM's torrents (when there is a MAM account), the finding config node for an indexer's. */
export function withIndexers(mam: TorrentSource | undefined, fetchers: IndexerFetchers): TorrentSource {
  // One lookup decides both whether a torrent can be fetched here and how.
  const route = (id: number, origin?: TorrentOrigin): { fetch: () => Promise<TorrentPayload> } | { why: string; service: string } => {
    if (origin?.kind === 'indexer') {
      const via = fetchers(origin.node);
      return via ? { fetch: () => via.downloadTorrent(origin) } : { why: 'the indexer server node that found it is gone (deploy it again or search again)', service: origin.indexer };
    }
    return mam ? { fetch: () => mam.downloadTorrent(id) } : { why: 'no MAM account to fetch it from', service: 'MyAnonamouse' };
  };
  return {
    downloadTorrent: (id, origin) => {
      const r = route(id, origin);
      return 'fetch' in r ? r.fetch() : Promise.reject(new Error(`${r.service}: torrent ${id}: ${r.why}`));
    },
    unavailable: (origin) => {
      const r = route(0, origin);
      return 'why' in r ? r.why : undefined;
    },
    ...(mam?.buyWedge ? { buyWedge: mam.buyWedge.bind(mam) } : {}),
  };
}

export function perRunSource(mam: TorrentSource): TorrentSource {
  const buy = mam.buyWedge?.bind(mam);
  const origins = new Map<number, TorrentOrigin | undefined>();
  const fetchOnce = once((id) => mam.downloadTorrent(id, origins.get(id)));
  return {
    downloadTorrent: (id, origin) => { if (!origins.has(id)) origins.set(id, origin); return fetchOnce(id); },
    ...(buy ? { buyWedge: onceWedge(buy) } : {}),
  };
}

function once<T>(fn: (id: number) => Promise<T>): (id: number) => Promise<T> {
  const calls = new Map<number, Promise<T>>();
  return (id) => {
    let call = calls.get(id);
    if (!call) calls.set(id, (call = fn(id)));
    return call;
  };
}

/** One purchase per torrent; the omnibus's other gaps then read "already personal". */
function onceWedge(buy: (id: number) => Promise<WedgeOutcome>): (id: number) => Promise<WedgeOutcome> {
  const first = once(buy);
  const asked = new Set<number>();
  return (id) => {
    const again = asked.has(id);
    asked.add(id);
    return again ? first(id).then((o) => (o === 'bought' ? 'already_personal' : o)) : first(id);
  };
}
