// Fetching an indexer result's .torrent for the queue: through Prowlarr's download route when
// Prowlarr gave one, else the Torznab feed's link. The stored link has no API key: it goes
// back in here, from the config node's credentials. A link that held a tracker secret was
// kept in memory only (links.ts); after a restart the book must be searched again. Errors
// never carry the URL. A release with no link but a magnet gives the magnet, and so does a
// link that redirects to one (Prowlarr's route for a magnet-only indexer).
import { ServiceError } from '../errors';
import type { HttpClient } from '../http/client';
import type { TorrentOrigin } from '../types';
import type { TorrentPayload } from '../queue/payload';
import { statusError } from './client';
import { isMagnetUri, magnetMemoryKey, withKey } from './links';

export interface IndexerFetcher {
  http: HttpClient;
  apiKey: string;
  privateLinks: Map<string, string>;
}

export async function downloadIndexerTorrent(f: IndexerFetcher, origin: TorrentOrigin): Promise<TorrentPayload> {
  const service = f.http.service === 'Prowlarr' ? 'Prowlarr' : 'Torznab';
  const what = `the .torrent of "${origin.guid}" from ${origin.indexer}`;
  const url = origin.link ? withKey(origin.link, origin.keyParam, f.apiKey) : f.privateLinks.get(origin.guid);
  if (!url) {
    const magnet = origin.magnet ?? f.privateLinks.get(magnetMemoryKey(origin.guid));
    if (magnet) return { magnet };
    throw new ServiceError(service, `${what}: its download link was only kept in memory and Node-RED restarted since; search again`, { code: 'gone' });
  }
  const res = await f.http.request({ url, headers: { accept: 'application/x-bittorrent' } });
  if (res.status >= 300 && res.status < 400) {
    const to = String(res.headers.location ?? '');
    if (isMagnetUri(to)) return { magnet: to };
    throw new ServiceError(service, `${what}: redirected (HTTP ${res.status})`, { code: 'gone' });
  }
  if (res.status === 404 || res.status === 410) throw new ServiceError(service, `${what}: gone (HTTP ${res.status})`, { status: res.status, code: 'gone' });
  if (res.status < 200 || res.status >= 300) throw statusError(service, what, res);
  // A .torrent is a bencoded dictionary: an HTML page (a login, a notice) is not one.
  if (res.body[0] !== 0x64 /* d */) throw new ServiceError(service, `${what}: the answer is not a .torrent file`, { code: 'malformed' });
  return res.body;
}
