// qbit-queue: Candidate[] in, Download[] out. Fetches each accepted torrent from MAM through
// the mam-account node's client and adds it to qBittorrent exactly once (lib/queue). A freeleech
// wedge mam-search planned on a candidate is bought through that client too, right before its
// .torrent is fetched: only for a candidate really being added.
import type { Node, NodeAPI, NodeDef, NodeMessageInFlow } from 'node-red';
import { shortQbitReason, type QbitAdapter } from '../../lib/qbit/adapter';
import { DownloadStore } from '../../lib/queue/downloads';
import { parseCandidates, partialReport, runQueue, type QueueReport, type QueueSettings, type TorrentSource } from '../../lib/queue/queue';
import { WantedStore } from '../../lib/store/wanted';
import { shortText, status } from '../_shared/status';
import { ConfigError, credentialsOf, reportError, reportMissing } from '../_shared/report';
import { resolveStoreDir } from '../_shared/store-dir';

interface QbitQueueDef extends NodeDef {
  server: string;
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

export = function (RED: NodeAPI) {
  function QbitQueue(this: Node, config: QbitQueueDef) {
    RED.nodes.createNode(this, config);
    const node = this;
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
    const dir = resolveStoreDir(RED);
    // What the configuration lacks, said on deploy rather than at 01:00.
    const missing = (): ConfigError | undefined => {
      if (!RED.nodes.getNode(config.server)) return new ConfigError('no qBit server', 'qbit-queue: choose a qBittorrent server');
      if (settings.dryRun) return undefined;
      const mam = RED.nodes.getNode(config.mam) as unknown as { client?: unknown } | null;
      if (!mam) return new ConfigError('no MAM account', 'qbit-queue: choose a MyAnonamouse account (the .torrent files come from it)');
      // mam-account makes no client without a mam_id.
      if (!mam.client) return new ConfigError('no mam_id', 'qbit-queue: the mam-account has no mam_id, so no .torrent can be fetched');
      return undefined;
    };
    const atDeploy = missing();
    if (atDeploy) reportMissing(node, atDeploy);
    else if (settings.dryRun) status.warn(node, 'dry run');
    // An empty password is right only when qBittorrent skips the login for this address.
    else if (!credentialsOf(RED, config.server).password) status.warn(node, 'no qBit password');

    node.on('input', (msg: Msg, send, done) => {
      const qbit = (RED.nodes.getNode(config.server) as unknown as { client?: QbitAdapter } | null)?.client;
      const mam = (RED.nodes.getNode(config.mam) as unknown as { client?: TorrentSource } | null)?.client;
      const lacking = missing() ?? (!qbit ? new ConfigError('no qBit server', 'qbit-queue: choose a qBittorrent server') : undefined);
      if (lacking || !qbit) { reportError(node, lacking, done); return; }
      let candidates;
      try {
        candidates = parseCandidates(msg.payload);
      } catch (err) {
        reportError(node, new ConfigError('bad input', (err as Error).message), done);
        return;
      }
      status.busy(node, `queuing ${candidates.length}…`);
      (async () => {
        const deps = { qbit, source: mam as TorrentSource, downloads: await DownloadStore.open(dir), wanted: await WantedStore.open(dir), lockKey: dir };
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
        // Torrents added before qBittorrent went away are real: send them (the rest are in
        // msg.failed as "not queued"), then report the error so a Catch node sees it.
        const partial = partialReport(err);
        if (partial) send(fill(msg, partial));
        reportError(node, err, done, shortQbitReason(err));
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

  RED.nodes.registerType('qbit-queue', QbitQueue);
};
