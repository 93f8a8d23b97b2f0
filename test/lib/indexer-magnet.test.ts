// Magnet-only releases (public indexers): found, ranked with a reason that says so, queued once
// by the hash in the magnet, healed from the magnet kept with the intent. Secrets: a magnet
// whose tracker names a passkey never leaves the config node's memory, and the copy kept with
// an intent is gone once the add is confirmed.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexerHttp, ProwlarrServer, TorznabFeed } from '../../lib/indexer/client';
import { downloadIndexerTorrent } from '../../lib/indexer/download';
import { cleanRelease, magnetHasSecret, magnetMemoryKey } from '../../lib/indexer/links';
import { rankReleases, toIndexerTorrent } from '../../lib/indexer/rank';
import { runIndexerSearch } from '../../lib/indexer/search-run';
import type { IndexerRelease } from '../../lib/indexer/types';
import { DownloadStore } from '../../lib/queue/downloads';
import { runQueue } from '../../lib/queue/queue';
import { withIndexers } from '../../lib/queue/source';
import { collection, forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Candidate, Gap } from '../../lib/types';
import { FakeQbit } from '../helpers/qbittorrent';
import { tempStoreDir } from '../helpers/node-red';
import { AUDIO_BOOKS, simRelease, startTorznabSim, type TorznabSim } from '../sim/torznab-sim';
import { startProwlarrSim, type ProwlarrSim } from '../sim/prowlarr-sim';

const MiB = 1024 * 1024;
const fast = { minIntervalMs: 0, backoffMs: 5, retries: 1 };
const settings = { category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false };
const GAP: Gap = { key: 'series:mistborn|brandon sanderson#1', kind: 'series', status: 'wanted', title: 'The Final Empire', authors: ['Brandon Sanderson'], series: 'Mistborn', sequence: '1', source: 'library', reason: 'missing' };
const HASH = 'c'.repeat(40);
const TITLE = 'Brandon Sanderson - Mistborn 01 - The Final Empire (2006) [m4b]';
const KEY = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const PRIVATE_TR = 'http://tracker.example/announce?passkey=magnet-pk-777';

const release = (extra: Partial<IndexerRelease>): IndexerRelease => ({ guid: 'g1', title: TITLE, indexer: 'AudioBookBay', sizeBytes: 900 * MiB, seeders: 30, categories: [3030], freeleech: false, published: '', ...extra });

describe('magnet links: the indexer side', () => {
  it('a public magnet travels with the result; one naming a passkey (query or path) or the API key stays in memory', () => {
    const pub = `magnet:?xt=urn:btih:${HASH}&dn=x&tr=${encodeURIComponent('udp://tracker.opentrackr.org:1337/announce')}`;
    const inQuery = `magnet:?xt=urn:btih:${HASH}&tr=${encodeURIComponent(PRIVATE_TR)}`;
    const inPath = `magnet:?xt=urn:btih:${HASH}&tr.1=${encodeURIComponent('https://t.example/0123456789abcdef0123456789abcdef/announce')}`;
    const withKey = `magnet:?xt=urn:btih:${HASH}&xs=${encodeURIComponent('http://jackett/x?k=the-api-key')}`;
    assert.deepEqual([pub, inQuery, inPath, withKey].map((m) => magnetHasSecret(m, 'the-api-key')), [false, true, true, true]);
    const memory = new Map<string, string>();
    const a = cleanRelease(release({ magnetUrl: pub }), KEY, memory);
    assert.deepEqual([a.magnet, a.privateMagnet, a.hasFile, memory.size], [pub, undefined, false, 0]);
    const b = cleanRelease(release({ guid: 'g2', magnetUrl: inQuery }), KEY, memory);
    assert.deepEqual([b.magnet, b.privateMagnet, memory.get(magnetMemoryKey('g2'))], [undefined, true, inQuery]);
    assert.doesNotMatch(JSON.stringify(b), /magnet-pk-777/);
  });

  it('a downloadUrl that is a magnet is the magnet; Prowlarr\'s http magnetUrl is a link to fetch (it redirects)', () => {
    const m = `magnet:?xt=urn:btih:${HASH}`;
    const a = cleanRelease(release({ downloadUrl: m }), KEY, new Map());
    assert.deepEqual([a.magnet, a.hasFile, a.link], [m, false, undefined]);
    const key = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
    const b = cleanRelease(release({ magnetUrl: `http://prowlarr:9696/3/download?apikey=${key}&link=abc` }), key, new Map());
    assert.deepEqual([b.magnet, b.hasFile, b.link, b.keyParam], [undefined, true, 'http://prowlarr:9696/3/download?link=abc', 'apikey']);
  });

  it('ranks a magnet-only release like any other and says so; a cached release with nothing left to fetch is refused', () => {
    const m = `magnet:?xt=urn:btih:${HASH}`;
    const magnet = toIndexerTorrent(cleanRelease(release({ magnetUrl: m }), KEY, new Map()), 'cfg', 'ENG');
    assert.equal(magnet.source.magnet, m);
    const r = rankReleases(GAP, [magnet], {}, 'ENG');
    assert.equal(r.accepted.length, 1, JSON.stringify(r.rejected));
    assert.ok(r.accepted[0].reasons.some((x) => /^magnet link only/.test(x)), r.accepted[0].reasons.join('; '));
    const withFile = rankReleases(GAP, [toIndexerTorrent(release({ guid: 'f', hasFile: true, link: 'http://x/f.torrent' }), 'cfg', 'ENG')], {}, 'ENG');
    assert.ok(!withFile.accepted[0].reasons.some((x) => /magnet/.test(x)));
    const none = rankReleases(GAP, [toIndexerTorrent(release({ guid: 'old' }), 'cfg', 'ENG')], {}, 'ENG');
    assert.deepEqual([none.accepted.length, none.rejected[0]?.reasons], [0, ['no download link nor magnet left to use']]);
  });

  it('the fetch gives the magnet: from the result, from memory, or from a redirect; after a restart a private one is gone', async () => {
    const pr = await startProwlarrSim({ indexers: [{ id: 3, name: 'TPB', categories: [AUDIO_BOOKS], bookSearch: false, releases: [simRelease('m1', TITLE, { magnetOnly: true, infohash: HASH })] }] });
    try {
      const server = new ProwlarrServer(indexerHttp('Prowlarr', fast), pr.url, pr.apiKey);
      const page = await (await server.endpoints())[0].search({ mode: 'search', q: 'final empire', categories: [], offset: 0, limit: 50 });
      const r = page.releases[0];
      assert.deepEqual([r.hasFile, r.magnet], [true, undefined], 'Prowlarr\'s magnetUrl is its own route');
      const f = { http: server.http, apiKey: pr.apiKey, privateLinks: server.privateLinks };
      const origin = toIndexerTorrent(r, 'cfg', 'ENG').source;
      assert.deepEqual(await downloadIndexerTorrent(f, origin), { magnet: `magnet:?xt=urn:btih:${HASH}&dn=${encodeURIComponent(TITLE)}` });
      const noLink = { kind: 'indexer' as const, node: 'cfg', indexer: 'TPB', guid: 'p1' };
      assert.deepEqual(await downloadIndexerTorrent(f, { ...noLink, magnet: 'magnet:?xt=urn:btih:x' }), { magnet: 'magnet:?xt=urn:btih:x' });
      const memory = new Map([[magnetMemoryKey('p1'), `magnet:?tr=${PRIVATE_TR}`]]);
      assert.deepEqual(await downloadIndexerTorrent({ ...f, privateLinks: memory }, noLink), { magnet: `magnet:?tr=${PRIVATE_TR}` });
      await assert.rejects(downloadIndexerTorrent(f, noLink), /^Prowlarr: the \.torrent of "p1" from TPB: its download link was only kept in memory/);
      await server.http.close();
    } finally {
      await pr.close();
    }
  });
});

describe('magnet links: through the queue', () => {
  let tz: TorznabSim;
  let pr: ProwlarrSim;
  const pubMagnet = `magnet:?xt=urn:btih:${HASH.toUpperCase()}&dn=Final+Empire&tr=${encodeURIComponent('udp://open.tracker.example:1337/announce')}`;
  const privMagnet = `magnet:?xt=urn:btih:${'d'.repeat(40)}&dn=Final+Empire&tr=${encodeURIComponent(PRIVATE_TR)}`;
  before(async () => {
    const releases = [simRelease('m1', TITLE, { sizeBytes: 900 * MiB, magnetOnly: true, infohash: HASH, magnet: pubMagnet })];
    const privateOnes = [simRelease('m2', TITLE, { sizeBytes: 900 * MiB, magnetOnly: true, infohash: 'd'.repeat(40), magnet: privMagnet })];
    tz = await startTorznabSim({ indexers: [{ id: 1, name: 'TPB', categories: [AUDIO_BOOKS], bookSearch: true, releases }, { id: 2, name: 'PrivateMagnets', categories: [AUDIO_BOOKS], bookSearch: true, releases: privateOnes }] });
    pr = await startProwlarrSim({ indexers: [{ id: 3, name: 'TPB', categories: [AUDIO_BOOKS], bookSearch: true, releases }] });
  });
  after(async () => { await tz.close(); await pr.close(); });

  type Hooks = { afterIntent?: () => void };

  async function searchAndQueue(via: 'Torznab' | 'Prowlarr' | 'private') {
    forgetStores();
    const dir = tempStoreDir('abg-magnet-');
    const feed = via !== 'Prowlarr' ? new TorznabFeed(indexerHttp('Torznab', fast), tz.feedUrl(via === 'private' ? 'PrivateMagnets' : 'TPB'), tz.apiKey, 'TPB') : undefined;
    const prowlarr = via === 'Prowlarr' ? new ProwlarrServer(indexerHttp('Prowlarr', fast), pr.url, pr.apiKey) : undefined;
    const holder = { http: (feed ?? prowlarr)!.http, apiKey: feed ? tz.apiKey : pr.apiKey, privateLinks: (feed ?? prowlarr)!.privateLinks };
    const search = await runIndexerSearch([GAP], { node: 'cfg', endpoints: feed ? [feed] : await prowlarr!.endpoints(), cache: await collection(dir, 'cache') }, { cacheTtlMs: 0 });
    let fetches = 0;
    const source = withIndexers(undefined, () => ({ downloadTorrent: (o) => { fetches++; return downloadIndexerTorrent(holder, o); } }));
    const qbit = new FakeQbit();
    const wanted = await WantedStore.open(dir);
    await wanted.syncGaps([GAP]);
    const deps = async (h?: Hooks) => ({ qbit, source, downloads: await DownloadStore.open(dir), wanted, lockKey: dir, ...(h ? { hooks: h } : {}) });
    const run = async (cands: Candidate[], h?: Hooks) => runQueue(await deps(h), cands, settings);
    return { dir, search, qbit, run, fetches: () => fetches, wanted };
  }

  for (const via of ['Torznab', 'Prowlarr'] as const) {
    it(`${via}: a magnet-only result is queued once, by the hash in its magnet`, async () => {
      const t = await searchAndQueue(via);
      assert.equal(t.search.candidates.length, 1, JSON.stringify(t.search.notFound));
      assert.ok(t.search.candidates[0].reasons.some((r) => /^magnet link only/.test(r)), t.search.candidates[0].reasons.join('; '));
      const report = await t.run(t.search.candidates);
      assert.deepEqual([report.failed, report.downloads.map((d) => d.hash)], [[], [HASH]]);
      assert.deepEqual(t.qbit.magnets, [pubMagnet], 'the magnet went to the client as the indexer gave it');
      const again = await t.run(t.search.candidates);
      assert.deepEqual([again.skipped.map((s) => s.reason), t.qbit.adds, t.fetches()], [['already queued'], 1, 1]);
      assert.equal((await t.wanted.get(GAP.key))?.state, 'queued');
    });
  }

  it('a crash after the intent is healed from the stored magnet, without asking the indexer again', async () => {
    const t = await searchAndQueue('Torznab');
    await assert.rejects(t.run(t.search.candidates, { afterIntent: () => { throw new Error('killed'); } }), /killed/);
    assert.equal(t.qbit.adds, 0);
    const healed = await t.run([]);
    assert.deepEqual([healed.healed, t.qbit.adds, t.fetches()], [[GAP.key], 1, 1]);
  });

  it('a private magnet is queued from memory and its passkey is in no result, record, report or store file', async () => {
    const t = await searchAndQueue('private');
    assert.equal(t.search.candidates.length, 1, JSON.stringify(t.search.notFound));
    const report = await t.run(t.search.candidates);
    assert.deepEqual([report.downloads.map((d) => d.hash), t.qbit.magnets], [['d'.repeat(40)], [privMagnet]]);
    const seen = JSON.stringify([t.search, report, await (await DownloadStore.open(t.dir)).list(), await t.wanted.get(GAP.key)]) + readFileSync(join(t.dir, 'downloads.db'), 'utf8') + readFileSync(join(t.dir, 'cache.db'), 'utf8');
    assert.doesNotMatch(seen, /magnet-pk-777/);
  });

  it('a magnet with no v1 info-hash fails that candidate naming the indexer, and the next candidate is tried', async () => {
    const t = await searchAndQueue('Torznab');
    const [good] = t.search.candidates;
    const bad: Candidate = { ...good, torrent: { ...good.torrent, id: -77, source: { ...good.torrent.source!, guid: 'v2', magnet: 'magnet:?xt=urn:btmh:1220' + 'e'.repeat(64) } } };
    const report = await t.run([bad, good]);
    assert.match(report.failed[0]?.reason ?? '', /^TPB: torrent -77: not a magnet link with a v1 info-hash \(urn:btih\); trying the next candidate/);
    assert.deepEqual(report.downloads.map((d) => d.hash), [HASH]);
  });
});
