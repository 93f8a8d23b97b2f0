// Which client a ledger record belongs to, and which records a queue or watcher node follows.
// A record names the client type and the config node that queued it (ClientRef); one written
// before clients could be picked names none and is qBittorrent's. A node follows the records
// of its own client type and config node, plus those of its type whose config node is no
// longer deployed (a user who replaces a config node must not orphan the downloads in flight).
import type { ClientRef, ClientType } from '../types';
import type { ClientService } from './types';

export type { ClientRef, ClientType } from '../types';

/** The client a queue or watcher node talks to, and which config nodes are still deployed. */
export interface ClientScope {
  ref: ClientRef;
  /** True while a config node id is deployed; absent: every recorded node counts as deployed. */
  deployed?: (nodeId: string) => boolean;
}

export const CLIENT_TYPES: readonly ClientType[] = ['qbittorrent', 'transmission', 'deluge'];

const SERVICES: Record<ClientType, ClientService> = { qbittorrent: 'qBittorrent', transmission: 'Transmission', deluge: 'Deluge' };

/** The client name users read ("Transmission"). */
export function serviceName(type: ClientType): ClientService {
  return SERVICES[type];
}

/** A record's client; one recorded before clients could be picked is qBittorrent's. */
export function clientOf(rec: { client?: ClientRef }): ClientRef {
  return rec.client ?? { type: 'qbittorrent' };
}

/** Whether a node with this scope follows (watches, heals, replaces) this record. No scope: a qBittorrent node of old. */
export function follows(scope: ClientScope | undefined, rec: { client?: ClientRef }): boolean {
  const mine = scope?.ref ?? { type: 'qbittorrent' as const };
  const theirs = clientOf(rec);
  if (theirs.type !== mine.type) return false;
  if (!theirs.node || !mine.node || theirs.node === mine.node) return true;
  return scope?.deployed ? !scope.deployed(theirs.node) : false;
}

/** The ClientType of a config value; anything else (a flow saved before the choice existed) is qBittorrent. */
export function parseClientType(value: unknown): ClientType {
  return CLIENT_TYPES.includes(value as ClientType) ? (value as ClientType) : 'qbittorrent';
}
