// The rules of fetching an indexer result, one by one: which links and magnets are secrets,
// where the API key goes back, what each answer of the download route means, and what the
// queue keeps with an intent. Each test breaks when its rule is taken out of the code.
import { strict as assert } from 'node:assert';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceError } from '../../lib/errors';
import { indexerHttp } from '../../lib/indexer/client';
import { downloadIndexerTorrent } from '../../lib/indexer/download';
import { cleanRelease, indexerTorrentId, magnetHasSecret, magnetMemoryKey, safeGuid, safeLink, withKey } from '../../lib/indexer/links';
import { releaseOf } from '../../lib/indexer/prowlarr-schema';
import type { IndexerRelease } from '../../lib/indexer/types';
import { payloadFields, storedPayload } from '../../lib/queue/payload';
import { fakeTorrent } from '../helpers/qbittorrent';

const KEY = '5f4dcc3b5aa765d61d8327deb882cf99';
const HASH = 'e'.repeat(40);
const release = (extra: Partial<IndexerRelease>): IndexerRelease => ({ guid: 'g', title: 't', indexer: 'PublicBay', sizeBytes: 1, categories: [3030], freeleech: false, published: '', ...extra });

describe('indexer fetch rules: links and magnets', () => {
  it('a link loses the API key (remembering its parameter) and gets it back; one with a tracker secret is not given out', () => {
    assert.deepEqual(safeLink(`http://jackett:9117/dl/x/?jackett_apikey=${KEY}&path=abc`, KEY), { link: 'http://jackett:9117/dl/x/?path=abc', keyParam: 'jackett_apikey' });
    assert.equal(withKey('http://jackett:9117/dl/x/?path=abc', 'jackett_apikey', KEY), `http://jackett:9117/dl/x/?path=abc&jackett_apikey=${KEY}`);
    assert.equal(withKey('http://tracker/t/1.torrent', undefined, KEY), 'http://tracker/t/1.torrent', 'no parameter: the link as stored');
    assert.deepEqual(safeLink('https://tracker.example/download.php?id=5&passkey=abc123', KEY), {}, 'a passkey parameter');
    assert.deepEqual(safeLink(`https://jackett/${KEY}/dl/5`, KEY), {}, 'the API key elsewhere than a parameter');
    assert.deepEqual(safeLink('not a url', KEY), {});
    assert.deepEqual(safeLink(`https://jackett/dl/5?path=xyz${KEY}`, KEY), {}, 'the API key inside another value');
    assert.deepEqual(safeLink('https://tracker.example/rss/download/5/0123456789abcdef0123456789abcdef/Book.torrent', KEY), {}, 'a passkey in the path');
    assert.deepEqual(safeLink('https://tracker.example/dl/5/Ab3dEf6hIj9kLm2nOp5qRs8t.torrent', KEY), { link: 'https://tracker.example/dl/5/Ab3dEf6hIj9kLm2nOp5qRs8t.torrent' }, 'a file name is not a key');
    assert.deepEqual(safeLink('https://tracker.example/t/5.torrent?id=5', KEY), { link: 'https://tracker.example/t/5.torrent?id=5' });
  });

  it('a private download link is kept in memory only and marked so; a public one is not kept', () => {
    const memory = new Map<string, string>();
    const secret = 'https://tracker.example/download.php?id=5&passkey=abc123';
    const a = cleanRelease(release({ guid: 'p', downloadUrl: secret }), KEY, memory);
    assert.deepEqual([a.link, a.privateLink, a.hasFile, memory.get('p')], [undefined, true, true, secret]);
    const route = cleanRelease(release({ guid: 'r', magnetUrl: 'http://prowlarr:9696/3/download?link=m' }), KEY, memory);
    assert.deepEqual([route.hasFile, route.magnetRoute], [true, true], 'Prowlarr\'s route to a magnet, no downloadUrl');
    const both = cleanRelease(release({ guid: 's', downloadUrl: 'http://prowlarr:9696/3/download?link=t', magnetUrl: 'http://prowlarr:9696/3/download?link=m' }), KEY, memory);
    assert.deepEqual([both.link, both.magnetRoute], ['http://prowlarr:9696/3/download?link=t', undefined], 'a .torrent link is fetched as one');
    const b = cleanRelease(release({ guid: 'q', downloadUrl: 'https://tracker.example/t/5.torrent' }), KEY, memory);
    assert.deepEqual([b.link, b.privateLink, memory.has('q')], ['https://tracker.example/t/5.torrent', undefined, false]);
  });

  it('a guid that is itself a secret link or magnet is stored as a stable digest; ordinary guids stay as given', async () => {
    const pass = 'https://tracker.example/download.php?id=5&passkey=guid-pk-31';
    const withApiKey = `http://jackett:9117/dl/abb/?jackett_apikey=${KEY}&path=x`;
    const magnet = `magnet:?xt=urn:btih:${HASH}&tr=${encodeURIComponent('http://t.example/a?passkey=guid-pk-32')}`;
    const inText = 'release 5: https://tracker.example/dl?passkey=guid-pk-33';
    const withMagnetText = 'https://tracker.example/d?passkey=guid-pk-34&m=magnet:?xt=1';
    for (const g of [pass, withApiKey, magnet, inText, withMagnetText]) {
      assert.match(safeGuid(g, KEY), /^guid-sha1:[0-9a-f]{40}$/, g);
      assert.equal(safeGuid(g, KEY), safeGuid(g, KEY), 'stable: the cache and the ids agree across searches');
    }
    assert.notEqual(safeGuid(pass, KEY), safeGuid(magnet, KEY));
    for (const g of ['https://tracker.example/torrents.php?id=5', 'abb-1', `magnet:?xt=urn:btih:${HASH}&dn=x`, '12345']) assert.equal(safeGuid(g, KEY), g);
    const memory = new Map<string, string>();
    const r = cleanRelease(release({ guid: pass, downloadUrl: pass }), KEY, memory);
    assert.doesNotMatch(JSON.stringify(r), /guid-pk-31/);
    assert.equal(memory.get(r.guid), pass, 'the private link is found again under the stored guid');
  });

  it('a Prowlarr release with a date nobody can read keeps the rest (no RangeError for the whole search)', () => {
    const r = releaseOf({ guid: 'g', title: 'T', indexerId: 3, publishDate: '0001-99-99T99:99:99', downloadUrl: 'http://p/3/download?link=x', protocol: 'torrent' }, 'X') as IndexerRelease;
    assert.deepEqual([r.guid, r.published], ['g', '']);
  });

  it('ids are negative, stable, and differ by config node and guid', () => {
    const id = indexerTorrentId('cfg', 'g1');
    assert.ok(id < 0);
    assert.equal(indexerTorrentId('cfg', 'g1'), id);
    assert.notEqual(indexerTorrentId('cfg', 'g2'), id);
    assert.notEqual(indexerTorrentId('cfg2', 'g1'), id);
  });

  it('a tracker secret is found wherever the magnet names it: first parameter, numbered trackers, web seeds', () => {
    const m = (q: string) => `magnet:?${q}`;
    assert.equal(magnetHasSecret(m(`tr=${encodeURIComponent('http://t.example/announce?passkey=1')}&xt=urn:btih:${HASH}`), ''), true, 'tr first');
    assert.equal(magnetHasSecret(m(`xt=urn:btih:${HASH}&tr.2=${encodeURIComponent('http://t.example/announce?authkey=1')}`), ''), true);
    assert.equal(magnetHasSecret(m(`xt=urn:btih:${HASH}&ws=${encodeURIComponent('https://seed.example/Ab3dEf6hIj9kLm2nOp5qRs8t/book')}`), ''), true, 'a key-like path segment');
    assert.equal(magnetHasSecret(m(`xt=urn:btih:${HASH}&dn=The+Final+Empire&tr=${encodeURIComponent('udp://tracker.opentrackr.org:1337/announce')}`), ''), false);
    assert.equal(magnetHasSecret(m(`xt=urn:btih:${HASH}&xs=${encodeURIComponent(`http://jackett/x?q=${KEY}`)}`), KEY), true, 'the API key');
  });

  it('only a link that starts as a magnet is a magnet; a private magnet is kept under its own guid only', () => {
    const memory = new Map<string, string>();
    const http = `http://jackett:9117/dl/x/?path=${encodeURIComponent(`magnet:?xt=urn:btih:${HASH}`)}`;
    const a = cleanRelease(release({ downloadUrl: http }), KEY, memory);
    assert.deepEqual([a.magnet, a.hasFile, a.link], [undefined, true, http]);
    const raw = cleanRelease(release({ downloadUrl: `http://jackett:9117/dl/x/?path=magnet:?xt=urn:btih:${HASH}` }), KEY, memory);
    assert.deepEqual([raw.magnet, raw.hasFile], [undefined, true], 'magnet:? inside an http link');
    const secret = `magnet:?xt=urn:btih:${HASH}&tr=${encodeURIComponent('http://t.example/a?passkey=9')}`;
    cleanRelease(release({ guid: 'g2', magnetUrl: secret }), KEY, memory);
    assert.equal(memory.get(magnetMemoryKey('g2')), secret);
    assert.notEqual(magnetMemoryKey('g2'), magnetMemoryKey('g3'));
    assert.notEqual(magnetMemoryKey('g2'), 'g2', 'not where the private download link of the same guid lives');
  });

  it('the intent keeps the .torrent (base64) or the magnet, and gives back the same payload', () => {
    const file = fakeTorrent('Book');
    assert.deepEqual(payloadFields(file), { torrentFile: file.toString('base64') });
    assert.ok((storedPayload(payloadFields(file)) as Buffer).equals(file));
    assert.deepEqual(storedPayload(payloadFields({ magnet: 'magnet:?xt=urn:btih:x' })), { magnet: 'magnet:?xt=urn:btih:x' });
    assert.equal(storedPayload({}), undefined);
  });
});

describe('indexer fetch rules: what the download route answers', () => {
  let server: Server;
  let origin: string;
  let answer: { status: number; headers?: Record<string, string>; body?: Buffer | string } = { status: 200 };
  let seen: IncomingHttpHeaders = {};
  let seenUrl = '';
  before(async () => {
    server = createServer((req, res) => { seen = req.headers; seenUrl = req.url ?? ''; res.writeHead(answer.status, answer.headers); res.end(answer.body ?? ''); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

  const fetchWith = (a: typeof answer, extra: object = {}) => {
    answer = a;
    const http = indexerHttp('Prowlarr', { minIntervalMs: 0, retries: 0 });
    const o = { kind: 'indexer' as const, node: 'cfg', indexer: 'PublicBay', guid: 'g1', link: `${origin}/1/download?link=abc`, keyParam: 'apikey', ...extra };
    return downloadIndexerTorrent({ http, apiKey: KEY, privateLinks: new Map() }, o).finally(() => http.close());
  };
  const fails = (code: string, message: RegExp) => (e: unknown) => e instanceof ServiceError && e.code === code && message.test(e.message) && !e.message.includes(KEY);

  it('a .torrent is fetched with the key back in and asked for as a .torrent', async () => {
    const file = fakeTorrent('Book');
    assert.ok(((await fetchWith({ status: 200, body: file })) as Buffer).equals(file));
    assert.equal(seen.accept, 'application/x-bittorrent');
    assert.equal(new URL(seenUrl, origin).searchParams.get('apikey'), KEY);
  });

  it('a redirect to a magnet is the magnet; to anything else, or a 3xx without a location, is an error', async () => {
    const magnet = `magnet:?xt=urn:btih:${HASH}`;
    assert.deepEqual(await fetchWith({ status: 301, headers: { location: magnet } }), { magnet });
    assert.deepEqual(await fetchWith({ status: 300, headers: { location: magnet } }), { magnet }, '300 is a redirect too');
    await assert.rejects(fetchWith({ status: 302, headers: { location: 'https://elsewhere.example/x.torrent' } }), fails('gone', /^Prowlarr: the \.torrent of "g1" from PublicBay: redirected \(HTTP 302\)$/));
    await assert.rejects(fetchWith({ status: 302, headers: { location: `https://elsewhere.example/?next=${magnet}` } }), fails('gone', /redirected \(HTTP 302\)/));
    await assert.rejects(fetchWith({ status: 302 }), fails('gone', /redirected \(HTTP 302\)/));
  });

  it('404 and 410 are gone, other errors are the status error, and a body that is not bencode is refused', async () => {
    await assert.rejects(fetchWith({ status: 404 }), (e) => fails('gone', /gone \(HTTP 404\)$/)(e) && (e as ServiceError).status === 404);
    await assert.rejects(fetchWith({ status: 410 }), (e) => fails('gone', /gone \(HTTP 410\)$/)(e) && (e as ServiceError).status === 410);
    await assert.rejects(fetchWith({ status: 400 }), (e) => e instanceof ServiceError && e.code !== 'gone' && /HTTP 400/.test(e.message));
    await assert.rejects(fetchWith({ status: 200, body: '<html>login</html>' }), fails('malformed', /the answer is not a \.torrent file$/));
  });

  it('a link lost with a restart is gone; a magnet in the result or in memory is used instead', async () => {
    await assert.rejects(fetchWith({ status: 200 }, { link: undefined }), fails('gone', /only kept in memory and Node-RED restarted since; search again$/));
    assert.deepEqual(await fetchWith({ status: 500 }, { link: undefined, magnet: 'magnet:?xt=urn:btih:x' }), { magnet: 'magnet:?xt=urn:btih:x' });
  });
});
