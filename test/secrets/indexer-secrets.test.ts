// The pipeline with indexer-search in Node-RED (abs-library → series-gaps → indexer-search with
// a prowlarr-server AND a torznab-server → qbit-queue into the REAL qbittorrent-nox), known fake
// secrets: both API keys, a tracker passkey in one release's private download link (fetched by
// the queue from the torznab-server's memory), another in the tracker of a magnet-only release
// (Prowlarr's magnet route redirects to it; the queue adds the magnet) and the qBittorrent password. A clean run, then a
// run where both indexers answer garbage that echoes their API key; then a scan of every
// message, status, log line, warning, error, the store files and the exported flow.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import indexerSearch from '../../nodes/indexer-search/indexer-search';
import prowlarrServerNode from '../../nodes/prowlarr-server/prowlarr-server';
import torznabServerNode from '../../nodes/torznab-server/torznab-server';
import { forgetStores } from '../../lib/store/store';
import { helper } from '../helpers/node-red';
import { startQbittorrent, type QbitInstance } from '../helpers/qbittorrent';
import { IDS, nodeTypes, pipelineFlow } from '../faults/flow';
import { startFaultIndexer, type FaultIndexer } from '../faults/indexer-world';
import { createWorld, type World } from '../faults/world';
import { findLeaks } from './leaks';
import { collectFlowState, runPipelineOnce } from './flow-scan';

const PASSKEY = 'fake-tracker-passkey-S3cr3t-pk';
const QBIT_PASSWORD = 'fake-qbit-pass-S3cr3t-iq';
const MAGNET_PASSKEY = 'fake-magnet-passkey-S3cr3t-mg';


describe('secrets: indexer API keys and a private link passkey never leave the nodes', function () {
  this.timeout(40_000);
  let q: QbitInstance;
  let w: World;
  let prowlarr: FaultIndexer;
  let flow: Record<string, unknown>[];
  const seen: Record<string, string> = {};
  const note = (where: string, value: unknown) => { seen[where] = (seen[where] ?? '') + JSON.stringify(value, (_k, v) => (v instanceof Error ? { message: v.message, stack: v.stack, cause: String(v.cause) } : v)); };
  const secrets = () => [prowlarr.apiKey, w.indexer!.apiKey, PASSKEY, MAGNET_PASSKEY, QBIT_PASSWORD, w.abs.token];

  before(async () => {
    forgetStores();
    q = await startQbittorrent({ password: QBIT_PASSWORD });
    // Torznab offers every book, the second one through the tracker's own link (a passkey);
    // Prowlarr offers the first: indexer-search asks Prowlarr, then Torznab for the rest.
    w = await createWorld(q, 'indexer-secrets', { indexer: 'torznab', seriesCount: 1 });
    w.indexer!.indexer.releases[1].passkey = PASSKEY;
    prowlarr = await startFaultIndexer('prowlarr', w.missing.slice(0, 1), 'secrets');
    const first = w.missing[0];
    Object.assign(prowlarr.indexer.releases[0], {
      magnetOnly: true, infohash: first.hash,
      magnet: `magnet:?xt=urn:btih:${first.hash}&dn=${encodeURIComponent(first.title)}&tr=${encodeURIComponent(`http://127.0.0.1:9/announce?passkey=${MAGNET_PASSKEY}`)}`,
    });
    const cfg = pipelineFlow(w, { absToken: w.abs.token, mamId: w.mamId, qbitPassword: QBIT_PASSWORD });
    flow = [
      ...cfg.flow.map((n) => (n.id === IDS.search ? { id: IDS.search, z: 'tab', type: 'indexer-search', prowlarr: 'prowlarr', torznab: 'torznab', maxSearches: 30, cacheHours: 6, retryDays: '1 3', wires: n.wires } : n)),
      { id: 'prowlarr', type: 'prowlarr-server', name: 'Prowlarr', url: prowlarr.url, indexers: '' },
      { id: 'torznab', type: 'torznab-server', name: 'Jackett ABB', url: w.indexer!.url },
    ];
    const credentials = { ...cfg.credentials, prowlarr: { apiKey: prowlarr.apiKey }, torznab: { apiKey: w.indexer!.apiKey } };
    helper.settings({ audiobookGaps: { ...cfg.settings.audiobookGaps, indexerMinIntervalMs: 0 } } as Parameters<typeof helper.settings>[0]);
    const types = nodeTypes() as unknown as unknown[];
    for (const t of [indexerSearch, prowlarrServerNode, torznabServerNode]) if (!types.includes(t)) types.push(t);
    await helper.load(types as never, flow as never, credentials);
  });
  after(async () => {
    await helper.unload();
    helper.settings({});
    await prowlarr?.close();
    await w?.close();
    await q?.close();
  });

  const runOnce = (label: string) => runPipelineOnce(label, note);

  const collectState = () => collectFlowState(flow.map((n) => n.id as string), w.dir);

  it('queues through both indexers (one book by its passkey link), then meets answers that echo the API keys', async () => {
    await runOnce('clean run');
    assert.equal(seen['clean run: message into caught'], undefined, `the clean run failed: ${seen['clean run: message into caught']}`);
    const ledger = readFileSync(join(w.dir, 'downloads.db'), 'utf8');
    assert.ok(w.missing.every((m) => ledger.includes(m.hash)), 'the clean run queued every book');
    assert.equal(prowlarr.downloads().get(w.missing[0].torrentId), 1, 'book 1 fetched through Prowlarr (its magnet route)');
    assert.match(seen['clean run: message into out'] ?? '', new RegExp(w.missing[0].hash), 'book 1 queued by the hash in its magnet');
    assert.ok(w.indexer!.searches().length > 0, 'Torznab was searched for what Prowlarr lacked');
    assert.equal(w.indexer!.downloads().get(w.missing[1].torrentId), 1, 'book 2 fetched by its private link');
    // A new book #8 opens new holes (#6, #7) to search; both indexers answer a page that
    // repeats the request's API key, which lands in the error text unless redacted.
    const m = w.missing[0];
    w.abs.addItem({ title: `${m.title} Eight`, authors: [m.author!], series: [{ name: m.series, sequence: '8' }] }, { libraryId: w.libraryId });
    prowlarr.setFault({ type: 'status', status: 200, body: `<html>bad request apikey=${prowlarr.apiKey}</html>` });
    w.indexer!.setFault({ type: 'status', status: 500, body: `<error code="900" description="Jackett failed for apikey=${w.indexer!.apiKey}"/>` });
    forgetStores();
    await runOnce('indexers answer garbage');
    const reasons = seen['indexers answer garbage: message into notfound'] ?? '';
    assert.match(reasons, /Prowlarr: answered with something that is not JSON \(HTTP 200: \\"<html>bad request apikey=\*\*\*/, 'the echoed key reached the error text, redacted');
    assert.match(reasons, /Torznab/, 'the Torznab failure reached the not-found output');
  });

  it('finds no API key, passkey or password in messages, statuses, logs, errors, the store files or the exported flow', () => {
    const state = collectState();
    const exported = state['exported flow (runtime getFlows)'];
    assert.ok(exported.includes('"type":"prowlarr-server"') && exported.includes('"type":"torznab-server"'), 'the export holds the indexer config nodes');
    assert.ok(Object.keys(state).some((k) => k.startsWith('store file cache.db')), 'the search cache is read');
    assert.ok(Object.keys(seen).length >= 8, 'the runs passed messages between the nodes');
    assert.deepEqual(findLeaks({ ...seen, ...state }, secrets()), []);
  });

  it('would report each secret planted where the scan reads', () => {
    const planted = { message: `link ${PASSKEY}`, warn: `key ${prowlarr.apiKey}`, store: `"apikey":"${w.indexer!.apiKey}"`, status: encodeURIComponent(QBIT_PASSWORD) };
    assert.deepEqual(findLeaks(planted, secrets()).map((l) => l.split(' ')[0]), ['message', 'warn', 'store', 'status']);
  });
});
