// indexer-search: msg.payload = Gap[] in; output 1 Candidate[] (accepted, best first per gap),
// output 2 NotFound[] (each with its reason), like mam-search. Searches Prowlarr's indexers
// and/or a Torznab feed (lib/indexer/search-run.ts); with both, the Torznab feed is searched
// for the books Prowlarr did not find. This is glue.
import type { Node, NodeAPI, NodeDef, NodeMessage } from 'node-red';
import { indexerRunOptions, type IndexerSearchForm } from '../../lib/indexer/search-options';
import { runIndexerSearch, type IndexerRunResult } from '../../lib/indexer/search-run';
import type { IndexerServer } from '../../lib/indexer/server';
import { collection } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import { status } from '../_shared/status';
import { ConfigError, reportError, reportMissing } from '../_shared/report';
import { resolveStoreDir } from '../_shared/store-dir';
import { readGaps } from '../_shared/gaps-input';
import { runLanes, sendSearchOutcome } from '../_shared/search-node';

type IndexerSearchDef = NodeDef & IndexerSearchForm & { prowlarr?: string; torznab?: string };

/** One run at a time per config node, across every indexer-search using it (see runLanes). */
const inLane = runLanes();

export = function (RED: NodeAPI) {
  function IndexerSearch(this: Node, config: IndexerSearchDef) {
    RED.nodes.createNode(this, config);
    const node = this;
    const dir = resolveStoreDir(RED);
    let closed = false;
    const servers = (): { id: string; server?: IndexerServer }[] => [config.prowlarr, config.torznab].filter((id): id is string => !!id)
      .map((id) => ({ id, server: (RED.nodes.getNode(id) as unknown as { server?: IndexerServer } | null)?.server }));
    const lacking = (): ConfigError | undefined => {
      const list = servers();
      if (!list.length) return new ConfigError('no indexer', 'indexer-search: choose a Prowlarr server or a Torznab feed (or both)');
      if (list.some((s) => !s.server)) return new ConfigError('no API key', 'indexer-search: a chosen indexer server has no API key or is not deployed');
      return undefined;
    };
    const atDeploy = lacking();
    if (atDeploy) reportMissing(node, atDeploy);

    node.on('input', (msg: NodeMessage, send, done) => inLane([config.prowlarr, config.torznab].join('|'), () => run(msg, send, done)));

    async function run(msg: NodeMessage, send: (m: (NodeMessage | null)[]) => void, done: (err?: Error) => void): Promise<void> {
      try {
        const missing = lacking();
        if (missing) throw missing;
        const gaps = readGaps('indexer-search', msg.payload, 'the output of series-gaps, or mam-search\'s not-found output mapped to its gaps');
        const options = indexerRunOptions(config);
        const [wanted, cache] = await Promise.all([WantedStore.open(dir), collection(dir, 'cache')]);
        status.busy(node, `searching 0/${gaps.length}`);
        const total: IndexerRunResult = { candidates: [], notFound: [], stats: { searches: 0, pages: 0, cacheHits: 0, skipped: 0, indexers: 0, failed: {}, noAudio: [] } };
        let todo = gaps;
        for (const { id, server } of servers()) {
          if (!todo.length) break;
          const endpoints = await server!.endpoints();
          const res = await runIndexerSearch(todo, { node: id, endpoints, wanted, cache }, options, (i, n) => { if (!closed) status.busy(node, `searching ${i}/${n}`); });
          total.candidates.push(...res.candidates);
          const s = total.stats;
          for (const k of ['searches', 'pages', 'cacheHits', 'skipped', 'indexers'] as const) s[k] += res.stats[k];
          Object.assign(s.failed, res.stats.failed);
          s.noAudio.push(...res.stats.noAudio);
          if (res.stats.stoppedBy) s.stoppedBy = [s.stoppedBy, res.stats.stoppedBy].filter(Boolean).join('; ');
          // The next server searches only what this one did not find.
          const left = new Set(res.notFound.map((n) => n.gap.key));
          todo = todo.filter((g) => left.has(g.key));
          total.notFound = res.notFound;
        }
        sendSearchOutcome(RED, node, msg, send, total, { statsKey: 'indexerSearch', stopped: 'indexer-search: not every indexer answered: ', stoppedStatus: 'errors' });
        done();
      } catch (err) {
        reportError(node, err, done);
      }
    }

    node.on('close', (done: () => void) => {
      closed = true;
      status.clear(node);
      done();
    });
  }

  RED.nodes.registerType('indexer-search', IndexerSearch);
};
