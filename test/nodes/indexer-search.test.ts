// indexer-search with prowlarr-server and torznab-server in Node-RED, against the simulators:
// the two outputs, stats and status; Torznab searched only for what Prowlarr did not find; a
// failing indexer is a warning and reasons, not a lost run; no API key in any message, status,
// warning or store file; Test connection lists Prowlarr's indexers and reads Torznab's caps.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { helper, tempStoreDir } from '../helpers/node-red';
import { forgetStores } from '../../lib/store/store';
import type { Candidate, Gap, NotFound } from '../../lib/types';
import prowlarrServerNode from '../../nodes/prowlarr-server/prowlarr-server';
import torznabServerNode from '../../nodes/torznab-server/torznab-server';
import indexerSearchNode from '../../nodes/indexer-search/indexer-search';
import { AUDIO_BOOKS, BOOKS, simRelease, startTorznabSim, type TorznabSim } from '../sim/torznab-sim';
import { startProwlarrSim, type ProwlarrSim } from '../sim/prowlarr-sim';

type Spied = NodeJS.EventEmitter & { receive(m: object): void; status: { args: unknown[][] }; warn: { args: unknown[][] } };
type Msg = { payload: unknown; indexerSearch?: { searches: number; failed: Record<string, string> } };
const MiB = 1024 * 1024;
const KEYS = { prowlarr: 'node-prowlarr-key-Z9', torznab: 'node-torznab-key-Z8' };
const gap = (title: string, author: string): Gap => ({ key: `author:${title.toLowerCase()}`, kind: 'author', status: 'wanted', title, authors: [author], source: 'audible', reason: 'missing', expectedDurationSec: 15 * 3600 });
const GAPS = [gap('Project Hail Mary', 'Andy Weir'), gap('Dark Matter', 'Blake Crouch'), gap('Recursion', 'Blake Crouch')];

describe('indexer-search node', function () {
  this.timeout(20_000);
  let pr: ProwlarrSim;
  let tz: TorznabSim;
  let dir: string;
  before(async () => {
    pr = await startProwlarrSim({ apiKey: KEYS.prowlarr, indexers: [
      { id: 2, name: 'PublicBooks', categories: [AUDIO_BOOKS], bookSearch: true, releases: [simRelease('p1', 'Project Hail Mary by Andy Weir (Unabridged) [m4b]', { sizeBytes: 700 * MiB })] },
      { id: 3, name: 'EbookOnly', categories: [BOOKS], bookSearch: false, releases: [] },
    ] });
    tz = await startTorznabSim({ apiKey: KEYS.torznab, indexers: [{ id: 1, name: 'AudioBookBay', categories: [AUDIO_BOOKS], bookSearch: false, releases: [
      simRelease('t1', 'Blake Crouch - Dark Matter (2016) [mp3 64kbps]', { sizeBytes: 400 * MiB }),
      simRelease('t2', 'Project Hail Mary by Andy Weir [mp3]', { sizeBytes: 500 * MiB }),
    ] }] });
  });
  after(async () => { await pr.close(); await tz.close(); });
  beforeEach(() => {
    forgetStores();
    dir = tempStoreDir('abg-indexer-node-');
    helper.settings({ audiobookGaps: { storeDir: dir, indexerMinIntervalMs: 0 } } as Parameters<typeof helper.settings>[0]);
  });
  afterEach(async () => { await helper.unload(); helper.settings({}); tz.setFault(null); pr.setFault(null); });

  const load = (keys = KEYS) => helper.load([prowlarrServerNode, torznabServerNode, indexerSearchNode], [
    { id: 'f1', type: 'tab' },
    { id: 'pr', type: 'prowlarr-server', url: pr.url, indexers: '' },
    { id: 'tz', type: 'torznab-server', name: 'AudioBookBay', url: tz.feedUrl('AudioBookBay') },
    { id: 'search', z: 'f1', type: 'indexer-search', prowlarr: 'pr', torznab: 'tz', wires: [['found'], ['missing']] },
    { id: 'found', z: 'f1', type: 'helper' },
    { id: 'missing', z: 'f1', type: 'helper' },
  ] as never, { pr: { apiKey: keys.prowlarr }, tz: { apiKey: keys.torznab } });
  const next = (id: string) => new Promise<Msg>((resolve) => helper.getNode(id).once('input', resolve));
  function leaks(texts: string[]): string[] {
    const files = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
    return [...texts, ...files].filter((t) => Object.values(KEYS).some((k) => t.includes(k)));
  }

  it('searches Prowlarr, then the Torznab feed for what Prowlarr did not find; two outputs; no key anywhere', async () => {
    await load();
    const [found, missing] = [next('found'), next('missing')];
    (helper.getNode('search') as unknown as Spied).receive({ payload: GAPS });
    const [f, m] = [await found, await missing];
    const cands = f.payload as Candidate[];
    assert.deepEqual(cands.map((c) => [c.gap.title, c.torrent.source?.indexer]), [['Project Hail Mary', 'PublicBooks'], ['Dark Matter', 'AudioBookBay']]);
    assert.deepEqual((m.payload as NotFound[]).map((n) => n.gap.title), ['Recursion']);
    assert.equal(tz.searches().filter((r) => /hail/i.test(r.query.q ?? '')).length, 0, 'Torznab is not asked for a book Prowlarr found');
    assert.deepEqual(pr.searches().map((r) => r.query.indexerIds), ['2', '2', '2'], 'one request per book to the indexer with audio; none to the e-book-only one');
    assert.deepEqual((f as Msg & { indexerSearch: { noAudio: string[] } }).indexerSearch.noAudio, ['EbookOnly']);
    const node = helper.getNode('search') as unknown as Spied;
    assert.deepEqual(node.status.args.at(-1), [{ fill: 'green', shape: 'dot', text: '2 of 3 found' }]);
    assert.deepEqual(leaks([JSON.stringify([f, m]), JSON.stringify(node.status.args), JSON.stringify(node.warn.args)]), []);
  });

  it('a Torznab feed that refuses the key is a warning and a reason per book, without the key; Prowlarr\'s finds still go out', async () => {
    await load({ ...KEYS, torznab: 'wrong-torznab-key-Q1' });
    const [found, missing] = [next('found'), next('missing')];
    (helper.getNode('search') as unknown as Spied).receive({ payload: GAPS });
    const [f, m] = [await found, await missing];
    assert.equal((f.payload as Candidate[]).length, 1);
    for (const n of m.payload as NotFound[]) {
      assert.match(n.reason, /not searched on AudioBookBay: Torznab: t=caps: error 100 "Invalid API Key" \(check the API key\)/);
      assert.equal(n.retryAfter, undefined);
    }
    const node = helper.getNode('search') as unknown as Spied;
    assert.match(String(node.warn.args[0][0]), /^indexer-search: not every indexer answered: AudioBookBay/);
    assert.equal((node.status.args.at(-1)![0] as { fill: string }).fill, 'yellow');
    assert.ok(!JSON.stringify([f, m, node.warn.args]).includes('wrong-torznab-key-Q1'));
  });

  it('Test connection: Prowlarr lists its indexers, Torznab reads caps; a stored key never goes to another URL', async () => {
    await load();
    const post = async (type: string, body: object) => (await helper.request().post(`/audiobook-gaps/${type}/test`).send(body).expect(200)).body as { ok: boolean; result?: string; error?: string };
    assert.deepEqual(await post('prowlarr-server', { id: 'pr', url: pr.url, indexers: '', credentials: { apiKey: '__PWRD__' } }), { ok: true, result: 'Prowlarr 1.24.3.4754: 2 torrent indexers (PublicBooks, EbookOnly), 1 with an audiobook category' });
    assert.deepEqual(await post('torznab-server', { id: 'tz', url: tz.feedUrl('AudioBookBay'), credentials: { apiKey: '__PWRD__' } }), { ok: true, result: 'Torznab: audiobooks (3030); free-text search only; up to 100 per page' });
    const away = await post('prowlarr-server', { id: 'pr', url: tz.origin, credentials: { apiKey: '__PWRD__' } });
    assert.equal(away.ok, false);
    assert.match(away.error ?? '', /type the API key to test/);
    const wrong = await post('torznab-server', { id: 'tz', url: tz.feedUrl('AudioBookBay'), credentials: { apiKey: 'typed-wrong-key' } });
    assert.deepEqual(wrong, { ok: false, error: 'Torznab: t=caps: error 100 (check the API key)' });
  });
});
