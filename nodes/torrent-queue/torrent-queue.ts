// torrent-queue: Candidate[] in, Download[] out, into the download client picked in the node
// (`client`: qbittorrent / transmission / deluge, with one config field per client type).
// Same behaviour as qbit-queue (nodes/_shared/queue-node.ts); every record names its client.
import type { Node, NodeAPI } from 'node-red';
import { setupQueueNode, type QueueNodeDef } from '../_shared/queue-node';

export = function (RED: NodeAPI) {
  function TorrentQueue(this: Node, config: QueueNodeDef) {
    RED.nodes.createNode(this, config);
    setupQueueNode(RED, this, config, 'torrent-queue');
  }

  RED.nodes.registerType('torrent-queue', TorrentQueue);
};
