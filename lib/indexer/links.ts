// Download URLs are secrets: Prowlarr's and Jackett's carry the API key, a tracker's own link
// its passkey. What leaves lib/indexer (TorrentInfo.source, so msg and the store) is the URL
// without the API key (put back from credentials when the queue fetches the file); a URL with
// a tracker secret is not given out at all and stays with the config node, in memory. Magnet
// links are treated the same way: a public one travels as is, one whose tracker URL carries a
// passkey stays in memory (removing its trackers would leave a private torrent with no peers).
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
  if (namesTrackerSecret(u) || (apiKey && u.toString().includes(apiKey))) return {};
  return { link: u.toString(), ...(keyParam ? { keyParam } : {}) };
}

/** A path segment that looks like a passkey (private trackers also put it in the path: /download/123/<passkey>/x.torrent). */
const KEY_IN_PATH = /^(?:[0-9a-f]{16,}|(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{24,})$/i;

/** A tracker secret in a URL: a passkey-like parameter or path segment. */
function namesTrackerSecret(u: URL): boolean {
  return [...u.searchParams.keys()].some((k) => TRACKER_SECRETS.test(k)) || u.pathname.split('/').some((seg) => KEY_IN_PATH.test(seg));
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

/** Every value of a magnet link's parameters: trackers (tr, tr.1…), sources (xs, as), web seeds (ws) are URLs. */
function magnetValues(magnet: string): string[] {
  return [...new URLSearchParams(magnet.slice(magnet.indexOf('?') + 1)).values()];
}

/** True when the magnet names a tracker secret (a passkey parameter or path segment in any URL it holds) or the API key. */
export function magnetHasSecret(magnet: string, apiKey: string): boolean {
  if (apiKey && magnet.includes(apiKey)) return true;
  return magnetValues(magnet).some((raw) => {
    let u: URL;
    try { u = new URL(raw); } catch { return false; }
    return namesTrackerSecret(u);
  });
}

/** Where a private magnet is kept in the config node's memory (next to private links, keyed by guid). */
export const magnetMemoryKey = (guid: string): string => `magnet\n${guid}`;

/** A magnet link (not a link to one). */
export const isMagnetUri = (u: string | undefined): boolean => !!u && /^magnet:\?/i.test(u);

/**
 * The release's guid as it may be stored and shown. Most indexers give a details URL or an id;
 * some give the download link itself (with the API key or a passkey) or a magnet with a
 * passkey tracker: such a guid is replaced by a digest of it, stable across searches.
 */
export function safeGuid(guid: string, apiKey: string): string {
  // Anything holding "://" that is not one clean link (text around a URL included) counts as a link with a secret.
  const secret = isMagnetUri(guid) ? magnetHasSecret(guid, apiKey) : (apiKey && guid.includes(apiKey)) || (guid.includes('://') && !safeLink(guid, apiKey).link);
  return secret ? `guid-sha1:${createHash('sha1').update(guid).digest('hex')}` : guid;
}

/** A release fit to leave the client (cache, msg): secrets out; a private link or magnet kept in `memory`. */
export function cleanRelease(raw: IndexerRelease, apiKey: string, memory: Map<string, string>): IndexerRelease {
  const r = { ...raw, guid: safeGuid(raw.guid, apiKey) };
  const { downloadUrl: given, magnetUrl, ...rest } = r;
  const magnet = [magnetUrl, given].find(isMagnetUri);
  // Prowlarr's magnetUrl can be its own download route (it answers with a redirect to the magnet): a link to fetch.
  const downloadUrl = given && !isMagnetUri(given) ? given : magnetUrl && !isMagnetUri(magnetUrl) ? magnetUrl : undefined;
  const safe = safeLink(downloadUrl, apiKey);
  if (downloadUrl && !safe.link) memory.set(r.guid, downloadUrl);
  const privateMagnet = !!magnet && magnetHasSecret(magnet, apiKey);
  if (magnet && privateMagnet) memory.set(magnetMemoryKey(r.guid), magnet);
  return {
    ...rest, ...safe, ...(downloadUrl && !safe.link ? { privateLink: true } : {}), hasFile: !!downloadUrl,
    ...(downloadUrl && downloadUrl === magnetUrl ? { magnetRoute: true } : {}),
    ...(magnet && !privateMagnet ? { magnet } : {}), ...(privateMagnet ? { privateMagnet } : {}),
  };
}
