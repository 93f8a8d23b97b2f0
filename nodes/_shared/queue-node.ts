// The behaviour of the queue nodes, shared: `qbit-queue` (qBittorrent only, as flows saved
// before clients could be picked know it) and `torrent-queue` (the client picked in the node:
// qBittorrent, Transmission or Deluge). Candidate[] in, Download[] out. Fetches each accepted
// torrent from MAM through the mam-account node's client and adds it to the download client
// exactly once (lib/queue). A freeleech wedge mam-search planned on a candidate is bought
// through that client too, right before its .torrent is fetched: only for a candidate really
// being added.
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { DownloadStore } from '../../lib/queue/downloads';
import { withIndexers } from '../../lib/queue/source';
import type { IndexerServer } from '../../lib/indexer/server';
import { parseCandidates, partialReport, runQueue, type QueueReport, type QueueSettings, type TorrentSource } from '../../lib/queue/queue';
import { WantedStore } from '../../lib/store/wanted';
import { shortText, status } from './status';
import { ConfigError, credentialsOf, reportError, reportMissing } from './report';
import { resolveStoreDir } from './store-dir';
import { pickClient, shortClientReason, type ClientFields } from './client';

export interface QueueNodeDef extends NodeDef, ClientFields {
  mam: string;
  category: string;
  tags: string;
  savePath: string;
  paused: boolean;
  maxPerRun: number | string;
  dryRun: boolean;
  requireApproval: boolean;
}

type Msg = NodeMessageInFlow & { approved?: unknown; skipped?: unknown; failed?: unknown; healed?: unknown; wedges?: unknown; approvalNeeded?: boolean };

/** Sets up one queue node; `who` is its type, for the sentences it reports ("torrent-queue: …"). */
export function setupQueueNode(RED: NodeAPI, node: Node, config: QueueNodeDef, who: string): void {
  const max = Number(config.maxPerRun);
  const settings: QueueSettings = {
    category: (config.category ?? 'audiobooks').trim(),
    tags: (config.tags ?? '').split(',').map((t) => t.trim()).filter(Boolean),
    savePath: (config.savePath ?? '').trim(),
    paused: !!config.paused,
    maxPerRun: Number.isInteger(max) && max >= 0 ? max : 10,
    dryRun: !!config.dryRun,
    requireApproval: !!config.requireApproval,
  };
  const picked = pickClient(RED, config);
  const dir = resolveStoreDir(RED);
  // What the configuration lacks, said on deploy rather than at 01:00.
  const missing = (): ConfigError | undefined => {
    if (!picked.nodeId || !RED.nodes.getNode(picked.nodeId)) return picked.missing(who);
    if (settings.dryRun) return undefined;
    // Without a MAM account only indexer-search's candidates can be fetched (through their server node).
    if (!config.mam) return undefined;
    const mam = RED.nodes.getNode(config.mam) as unknown as { client?: unknown } | null;
    if (!mam) return new ConfigError('no MAM account', `${who}: choose a MyAnonamouse account (the .torrent files come from it)`);
    // mam-account makes no client without a mam_id.
    if (!mam.client) return new ConfigError('no mam_id', `${who}: the mam-account has no mam_id, so no .torrent can be fetched`);
    return undefined;
  };
  const atDeploy = missing();
  if (atDeploy) reportMissing(node, atDeploy);
  else if (settings.dryRun) status.warn(node, 'dry run');
  // An empty password is right only when the client skips the login for this address.
  else if (!credentialsOf(RED, picked.nodeId).password) status.warn(node, picked.type === 'qbittorrent' ? 'no qBit password' : 'no client password');

  node.on('input', (msg: Msg, send, done) => {
    const client = picked.client();
    const mam = (RED.nodes.getNode(config.mam) as unknown as { client?: TorrentSource } | null)?.client;
    const lacking = missing() ?? (!client ? picked.missing(who) : undefined);
    if (lacking || !client) { reportError(node, lacking, done); return; }
    let candidates;
    try {
      candidates = parseCandidates(msg.payload);
    } catch (err) {
      reportError(node, new ConfigError('bad input', (err as Error).message), done);
      return;
    }
    status.busy(node, `queuing ${candidates.length}…`);
    (async () => {
      const deps = { qbit: client, scope: picked.scope, source: withIndexers(mam, (id) => (RED.nodes.getNode(id) as unknown as { server?: IndexerServer } | null)?.server), downloads: await DownloadStore.open(dir), wanted: await WantedStore.open(dir), lockKey: dir };
      const report = await runQueue(deps, candidates, settings, msg.approved);
      fill(msg, report);
      const n = report.downloads.length;
      // Short words so "queued 12 · skip 10" stays within the 19-character badge.
      const skipped = report.skipped.length ? ` · skip ${report.skipped.length}` : '';
      const failed = report.failed.length ? ` · fail ${report.failed.length}` : '';
      const badge = (text: string, fill: 'green' | 'yellow') => node.status({ fill, shape: fill === 'green' ? 'dot' : 'ring', text: shortText(text) });
      if (report.approvalNeeded) badge(`to approve: ${n}`, 'yellow');
      else if (settings.dryRun) badge(`dry run ${n}${skipped}`, 'yellow');
      else badge(`queued ${n}${report.failed.length ? failed : skipped}`, report.failed.length ? 'yellow' : 'green');
      for (const f of report.failed) node.warn(`${f.key}: ${f.reason}`);
      send(msg);
      done();
    })().catch((err: unknown) => {
      // Torrents added before the client went away are real: send them (the rest are in
      // msg.failed as "not queued"), then report the error so a Catch node sees it.
      const partial = partialReport(err);
      if (partial) send(fill(msg, partial));
      reportError(node, err, done, shortClientReason(err));
    });
  });

  function fill(msg: Msg, report: QueueReport): Msg {
    msg.payload = report.downloads;
    msg.skipped = report.skipped;
    msg.failed = report.failed;
    msg.healed = report.healed;
    msg.wedges = report.wedges;
    if (settings.requireApproval) msg.approvalNeeded = report.approvalNeeded;
    return msg;
  }
}
