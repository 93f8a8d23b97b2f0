// What a torrent is fetched as: the .torrent file (MAM, most indexers), or a magnet link when a
// public indexer gives nothing else. Either way the queue knows the info-hash BEFORE the add
// (the file's SHA-1 of `info`, the magnet's urn:btih), so the exactly-once ledger works the
// same: intent with hash and payload → adopt or add → confirm. The payload is kept with the
// intent only (a tracker's magnet can carry a passkey like a .torrent does) and dropped on confirm.
import type { AddOptions, AddedTorrent, DownloadClient } from '../clients/types';
import { decodeMagnet, NOT_A_MAGNET } from '../clients/common';
import { readTorrentFile } from '../qbit/torrent-file';
import type { DownloadRecord } from './downloads';

export interface MagnetPayload { magnet: string }
export type TorrentPayload = Buffer | MagnetPayload;

export function isMagnet(p: TorrentPayload): p is MagnetPayload {
  return !Buffer.isBuffer(p);
}

/** The hash and name the client will list; throws (without the link: it may hold a passkey) when there is none. */
export async function payloadFacts(p: TorrentPayload): Promise<{ hash: string; name: string }> {
  if (!isMagnet(p)) return readTorrentFile(p);
  const facts = await decodeMagnet(p.magnet);
  if (!facts) throw new Error(NOT_A_MAGNET);
  return facts;
}

/** The intent's copy of the payload, so a half-done add heals without the source. */
export function payloadFields(p: TorrentPayload): Pick<DownloadRecord, 'torrentFile' | 'magnet'> {
  return isMagnet(p) ? { magnet: p.magnet } : { torrentFile: p.toString('base64') };
}

/** The payload an intent kept, or undefined when it died before the fetch. */
export function storedPayload(rec: Pick<DownloadRecord, 'torrentFile' | 'magnet'>): TorrentPayload | undefined {
  if (rec.torrentFile) return Buffer.from(rec.torrentFile, 'base64');
  return rec.magnet ? { magnet: rec.magnet } : undefined;
}

export function addPayload(client: Pick<DownloadClient, 'addTorrent' | 'addMagnet'>, p: TorrentPayload, opts: AddOptions): Promise<AddedTorrent> {
  return isMagnet(p) ? client.addMagnet(p.magnet, opts) : client.addTorrent(p, opts);
}
