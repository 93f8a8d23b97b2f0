// What the queue needs from MAM (the mam-account node's client fits), and the per-run view of
// it: an omnibus accepted for several gaps is one torrent, so its file is fetched and its
// wedge bought once per run.
import type { WedgeOutcome } from '../mam/client';

export interface TorrentSource {
  downloadTorrent(id: number): Promise<Buffer>;
  /** Spends a freeleech wedge (MamClient.buyWedge); only for candidates mam-search planned one on. */
  buyWedge?(torrentId: number): Promise<WedgeOutcome>;
}

export function perRunSource(mam: TorrentSource): TorrentSource {
  const buy = mam.buyWedge?.bind(mam);
  return {
    downloadTorrent: once((id) => mam.downloadTorrent(id)),
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
