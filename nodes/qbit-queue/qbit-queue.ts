// qbit-queue: Candidate[] in, Download[] out, into qBittorrent (config field `server`). Kept as
// it was for the flows that use it; torrent-queue does the same for a client picked in the
// node. Both share nodes/_shared/queue-node.ts.
import type { Node, NodeAPI } from 'node-red';
import { setupQueueNode, type QueueNodeDef } from '../_shared/queue-node';

export = function (RED: NodeAPI) {
  function QbitQueue(this: Node, config: QueueNodeDef) {
    RED.nodes.createNode(this, config);
    // Always qBittorrent, whatever else a hand-edited flow says.
    setupQueueNode(RED, this, { ...config, client: 'qbittorrent' }, 'qbit-queue');
  }

  RED.nodes.registerType('qbit-queue', QbitQueue);
};
