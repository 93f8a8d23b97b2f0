// Download URLs are secrets: Prowlarr's and Jackett's carry the API key, a tracker's own link
// its passkey. What leaves lib/indexer (TorrentInfo.source, so msg and the store) is the URL
// without the API key (put back from credentials when the queue fetches the file); a URL with
// a tracker secret is not given out at all and stays with the config node, in memory.
import { createHash } from 'node:crypto';
import type { IndexerRelease } from './types';

/** Query parameters that hold a tracker's secret, not the indexer's API key. */
const TRACKER_SECRETS = /^(?:passkey|torrent_pass|authkey|auth|rsskey|secret_key|key|pk|uid|tk)$/i;

export interface SafeLink { link?: string; keyParam?: string }

export function safeLink(url: string | undefined, apiKey: string): SafeLink {
  if (!url) return {};
  let u: URL;
  try { u = new URL(url); } catch { return {}; }
  let keyParam: string | undefined;
  for (const [name, value] of [...u.searchParams]) {
    if (apiKey && value === apiKey) { keyParam = name; u.searchParams.delete(name); }
  }
  if ([...u.searchParams.keys()].some((k) => TRACKER_SECRETS.test(k)) || (apiKey && u.toString().includes(apiKey))) return {};
  return { link: u.toString(), ...(keyParam ? { keyParam } : {}) };
}

/** The URL to fetch: the stored link with the API key put back where it was. */
export function withKey(link: string, keyParam: string | undefined, apiKey: string): string {
  if (!keyParam) return link;
  const u = new URL(link);
  u.searchParams.set(keyParam, apiKey);
  return u.toString();
}

/** A negative id, stable for one config node's release guid, never a MAM id (those are positive). */
export function indexerTorrentId(node: string, guid: string): number {
  const h = createHash('sha1').update(`${node}\n${guid}`).digest();
  return -(h.readUIntBE(0, 6) + 1);
}

/** A release fit to leave the client (cache, msg): secrets out; a private link kept in `memory`. */
export function cleanRelease(r: IndexerRelease, apiKey: string, memory: Map<string, string>): IndexerRelease {
  const { downloadUrl, magnetUrl: _m, ...rest } = r;
  const safe = safeLink(downloadUrl, apiKey);
  if (downloadUrl && !safe.link) memory.set(r.guid, downloadUrl);
  return { ...rest, ...safe, ...(downloadUrl && !safe.link ? { privateLink: true } : {}), hasFile: !!downloadUrl };
}
