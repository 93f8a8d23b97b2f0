// How a queue or watcher node picks its download client. Node-RED types a config field with
// one config-node type, so a node has a `client` select (qbittorrent / transmission /
// deluge) and one config field per client type: `server` (qbit-server, the field flows
// saved before the choice existed already have), `transmission` and `deluge`. A node saved
// without `client` is a qBittorrent node, exactly as before.
import { ServiceError } from '../../lib/errors';
import type { DownloadClient } from '../../lib/clients/types';
import { parseClientType, serviceName, type ClientScope, type ClientType } from '../../lib/clients/ref';
import { shortQbitReason } from '../../lib/qbit/adapter';
import { ConfigError } from './report';

export interface ClientFields {
  client?: string;
  server?: string;
  transmission?: string;
  deluge?: string;
}

interface NodeLookup { nodes: { getNode(id: string): unknown } }

const FIELD: Record<ClientType, keyof ClientFields> = { qbittorrent: 'server', transmission: 'transmission', deluge: 'deluge' };
/** Status badges (under 20 characters). */
const NO_SERVER: Record<ClientType, string> = { qbittorrent: 'no qBit server', transmission: 'no Transmission', deluge: 'no Deluge server' };

export interface PickedClient {
  type: ClientType;
  /** The chosen config node's id ('' when none is chosen). */
  nodeId: string;
  /** "Transmission" */
  service: string;
  /** Which records are this node's own (lib/clients/ref.ts). */
  scope: ClientScope;
  /** What to report when the config node is missing (`who` is the node type, for the sentence). */
  missing(who: string, purpose?: string): ConfigError;
  /** The config node's client, or undefined while it is not deployed (or has no valid URL). */
  client(): DownloadClient | undefined;
}

export function pickClient(RED: NodeLookup, config: ClientFields): PickedClient {
  const type = parseClientType(config.client);
  const nodeId = String(config[FIELD[type]] ?? '');
  const service = serviceName(type);
  return {
    type, nodeId, service,
    scope: { ref: { type, ...(nodeId ? { node: nodeId } : {}) }, deployed: (id) => !!RED.nodes.getNode(id) },
    missing: (who, purpose = '') => new ConfigError(NO_SERVER[type], `${who}: choose a ${service} server${purpose}`),
    client: () => (nodeId ? (RED.nodes.getNode(nodeId) as { client?: DownloadClient } | null)?.client : undefined),
  };
}

/** A status-badge sized reason for a client that is down, slow or refuses the login. */
export function shortClientReason(err: unknown): string | undefined {
  if (!(err instanceof ServiceError)) return undefined;
  if (err.service === 'qBittorrent') return shortQbitReason(err);
  if (err.service !== 'Transmission' && err.service !== 'Deluge') return undefined;
  return ({ unreachable: `${err.service} down`, timeout: 'client timed out', auth: 'login refused' } as Record<string, string>)[err.code];
}
