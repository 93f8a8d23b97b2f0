// The indexer clients against the Torznab and Prowlarr simulators: formats, caps, the API
// key (header or parameter, never in an error), and the faults (401, 429 with Retry-After,
// malformed XML/JSON, an <error/>, a category the indexer rejects, a server that is down).
import { strict as assert } from 'node:assert';
import { ServiceError } from '../../lib/errors';
import { bookQuery, searchCategories } from '../../lib/indexer/caps';
import { indexerHttp, ProwlarrServer, TorznabFeed } from '../../lib/indexer/client';
import { AUDIO_BOOKS, BOOKS, simRelease, startTorznabSim, type TorznabSim } from '../sim/torznab-sim';
import { startProwlarrSim, type ProwlarrSim } from '../sim/prowlarr-sim';

const fast = { minIntervalMs: 0, backoffMs: 5, retries: 2 };
const releases = [
  simRelease('abb-1', 'Brandon Sanderson - Mistborn 01 - The Final Empire (2006) [m4b]', { author: 'Brandon Sanderson', infohash: 'A'.repeat(40), freeleech: true }),
  simRelease('abb-2', 'The Well of Ascension by Brandon Sanderson (Unabridged) 64kbps', { seeders: 0, peers: 3 }),
  simRelease('abb-3', 'Dune [mp3]', { categories: [3030], magnetOnly: true, infohash: 'b'.repeat(40) }),
];

async function rejects(p: Promise<unknown>, code: string, text: RegExp): Promise<ServiceError> {
  try { await p; } catch (err) {
    assert.ok(err instanceof ServiceError, String(err));
    assert.equal(err.code, code, err.message);
    assert.match(err.message, text);
    return err;
  }
  assert.fail('expected an error');
}

describe('indexer clients', () => {
  let tz: TorznabSim;
  let pr: ProwlarrSim;
  before(async () => {
    tz = await startTorznabSim({ indexers: [
      { id: 1, name: 'AudioBookBay', categories: [AUDIO_BOOKS], bookSearch: true, releases, maxLimit: 2 },
      { id: 2, name: 'Strict', categories: [BOOKS], bookSearch: false, rejectUnknownCategory: true, releases },
    ] });
    pr = await startProwlarrSim({ indexers: [
      { id: 5, name: 'AudioBookBay', categories: [AUDIO_BOOKS], bookSearch: true, releases, privacy: 'public' },
      { id: 6, name: 'EbookOnly', categories: [BOOKS], bookSearch: false, releases },
    ] });
  });
  after(async () => { await tz.close(); await pr.close(); });
  afterEach(() => { tz.setFault(null); pr.setFault(null); });

  it('Torznab: reads caps (audiobook category, book-search with author/title, limit)', async () => {
    const caps = await new TorznabFeed(indexerHttp('Torznab', fast), tz.feedUrl('AudioBookBay'), tz.apiKey).caps();
    assert.deepEqual(caps, { categories: [3000, 3030], bookParams: ['q', 'author', 'title'], limitMax: 2 });
    assert.deepEqual(searchCategories(caps), [3030]);
    assert.equal(bookQuery(caps, { title: 'The Final Empire', author: 'Brandon Sanderson' }, { offset: 0, limit: 100 }).mode, 'book');
  });

  it('Torznab: a book search reads every torznab:attr (seeders, peers, author, infohash, freeleech) and pages by offset', async () => {
    const feed = new TorznabFeed(indexerHttp('Torznab', fast), tz.feedUrl('AudioBookBay'), tz.apiKey, 'ABB');
    const page = await feed.search({ mode: 'book', author: 'Brandon Sanderson', categories: [3030], offset: 0, limit: 2 });
    assert.equal(page.total, 2);
    const [a, b] = page.releases;
    assert.deepEqual([a.title, a.seeders, a.leechers, a.author, a.infoHash, a.freeleech, a.categories], [releases[0].title, 12, 2, 'Brandon Sanderson', 'a'.repeat(40), true, [3030]]);
    assert.equal(b.seeders, 0);
    // The API key is out of the link (it goes back in from credentials at download time).
    assert.match(a.link ?? '', /\/dl\/audiobookbay\/abb-1\?file=/);
    assert.deepEqual([a.keyParam, a.downloadUrl, a.magnetUrl, a.hasFile], ['apikey', undefined, undefined, true]);
    assert.doesNotMatch(JSON.stringify(page), new RegExp(tz.apiKey));
    const last = tz.searches().at(-1)!;
    assert.deepEqual([last.query.t, last.query.author, last.query.cat], ['book', 'Brandon Sanderson', '3030']);
  });

  it('Torznab: an indexer without book-search gets free text q=, and one that rejects a category with 400 is searched again without it', async () => {
    const feed = new TorznabFeed(indexerHttp('Torznab', fast), tz.feedUrl('Strict'), tz.apiKey);
    const caps = await feed.caps();
    const q = bookQuery(caps, { title: 'The Final Empire', author: 'Brandon Sanderson' }, { offset: 0, limit: 50 });
    assert.deepEqual([q.mode, q.q, q.categories], ['search', 'The Final Empire Sanderson', []]);
    const before = tz.searches().length;
    const page = await feed.search({ ...q, categories: [3030] });
    assert.equal(page.releases.length, 1);
    const sent = tz.searches().slice(before);
    assert.deepEqual(sent.map((r) => r.query.cat), ['3030', undefined], 'the category once, then without it');
    await feed.search({ ...q, categories: [3030] });
    assert.equal(tz.searches().at(-1)!.query.cat, undefined, 'the refusal is remembered');
  });

  it('Torznab: a wrong API key, an <error/>, malformed XML, a persistent 429 and a dead server are clear errors without the key', async () => {
    const http = indexerHttp('Torznab', fast);
    const wrong = await rejects(new TorznabFeed(http, tz.feedUrl('AudioBookBay'), 'not-the-key').caps(), 'unauthorized', /Torznab: t=caps: error 100 "Invalid API Key" \(check the API key\)/);
    assert.doesNotMatch(wrong.message, /not-the-key/);
    const feed = new TorznabFeed(http, tz.feedUrl('AudioBookBay'), tz.apiKey);
    tz.setFault({ type: 'malformed', count: 1 });
    await rejects(feed.search({ mode: 'search', q: 'x', categories: [], offset: 0, limit: 5 }), 'malformed', /^Torznab: answered the search with malformed XML/);
    tz.setFault({ type: 'error', code: 900, description: 'Cloudflare challenge failed', count: 1 });
    await rejects(feed.search({ mode: 'search', q: 'x', categories: [], offset: 0, limit: 5 }), 'error', /error 900 "Cloudflare challenge failed"/);
    tz.setFault({ type: 'status', status: 429, retryAfter: 0, count: 3 });
    const n = tz.requests.length;
    const limited = await rejects(feed.search({ mode: 'search', q: 'x', categories: [], offset: 0, limit: 5 }), 'rate_limited', /HTTP 429/);
    assert.equal(tz.requests.length - n, 3, 'the first try and two retries');
    assert.ok(limited.transient);
    const down = new TorznabFeed(http, 'http://127.0.0.1:9/api', tz.apiKey);
    await rejects(down.caps(), 'unreachable', /^Torznab: cannot reach http:\/\/127\.0\.0\.1:9/);
  });

  it('Torznab: a 429 with Retry-After is waited out and the search succeeds', async () => {
    const feed = new TorznabFeed(indexerHttp('Torznab', fast), tz.feedUrl('AudioBookBay'), tz.apiKey);
    tz.setFault({ type: 'status', status: 429, retryAfter: 0, count: 1 });
    const page = await feed.search({ mode: 'search', q: 'Sanderson', categories: [], offset: 0, limit: 5 });
    assert.equal(page.releases.length, 2);
  });

  it('Prowlarr: lists its indexers with caps, searches one indexer per request with the key in the header', async () => {
    const server = new ProwlarrServer(indexerHttp('Prowlarr', fast), pr.url, pr.apiKey);
    const eps = await server.endpoints();
    assert.deepEqual(eps.map((e) => [e.key, e.name]), [['5', 'AudioBookBay'], ['6', 'EbookOnly']]);
    assert.deepEqual(await eps[0].caps(), { categories: [3000, 3030], bookParams: ['q', 'title', 'author'], limitMax: 100 });
    const page = await eps[0].search({ mode: 'book', title: 'The Final Empire', author: 'Brandon Sanderson', categories: [3030], offset: 0, limit: 100 });
    assert.deepEqual(page.releases.map((r) => r.guid), ['abb-1']);
    const r = page.releases[0];
    assert.deepEqual([r.indexer, r.seeders, r.leechers, r.freeleech, r.categories], ['AudioBookBay', 12, 2, true, [3030]]);
    assert.match(r.link ?? '', /\/5\/download\?link=/);
    assert.equal(r.keyParam, 'apikey');
    assert.doesNotMatch(JSON.stringify(page), new RegExp(pr.apiKey));
    const sent = pr.searches().at(-1)!;
    assert.deepEqual([sent.query.indexerIds, sent.query.categories, sent.apiKeyHeader], ['5', '3030', pr.apiKey]);
    assert.equal(sent.query.apikey, undefined, 'the key goes in the header, not the URL');
    assert.deepEqual([sent.query.type, sent.query.query], ['book', '{Title:The Final Empire}{Author:Brandon Sanderson}'], 'a book search, as Prowlarr reads one');
  });

  it('Prowlarr: a book search only where the indexer lists its fields; free text elsewhere; braces never break a token', async () => {
    const server = new ProwlarrServer(indexerHttp('Prowlarr', fast), pr.url, pr.apiKey);
    const [abb, ebooks] = await server.endpoints();
    const q = bookQuery(await ebooks.caps(), { title: 'The Well of Ascension', author: 'Brandon Sanderson' }, { offset: 0, limit: 100 });
    assert.equal(q.mode, 'search', 'EbookOnly has no book search');
    await ebooks.search(q);
    const sent = pr.searches().at(-1)!;
    assert.deepEqual([sent.query.type, sent.query.query], ['search', 'The Well of Ascension Sanderson']);
    const book = await abb.search({ mode: 'book', title: 'The {Well} of Ascension', author: 'Brandon Sanderson', categories: [], offset: 0, limit: 100 });
    assert.equal(pr.searches().at(-1)!.query.query, '{Title:The  Well  of Ascension}{Author:Brandon Sanderson}');
    assert.deepEqual(book.releases.map((r) => r.guid), ['abb-2'], 'the simulator, like Prowlarr, read the title and author out of the tokens');
  });

  it('Prowlarr: an indexer that refuses a category is answered empty, then "unavailable": a clear error naming Prowlarr and the indexer', async () => {
    const [abb] = await new ProwlarrServer(indexerHttp('Prowlarr', fast), pr.url, pr.apiKey).endpoints();
    const q = { mode: 'book' as const, title: 'The Final Empire', author: 'Brandon Sanderson', categories: [3030], offset: 0, limit: 100 };
    pr.indexers[0].rejectCategories = [3030];
    const before = new Date(Date.now() - 1000);
    try {
      assert.equal(await abb.failedSince!(before), false, 'no failure on record yet');
      // Prowlarr keeps the indexer's 400 in its log and answers 200 without its results…
      assert.deepEqual((await abb.search(q)).releases, []);
      // …and on record (GET /api/v1/indexerstatus), where the end of a run looks for it.
      assert.equal(await abb.failedSince!(before), true);
      assert.equal(await abb.failedSince!(new Date(Date.now() + 60_000)), false, 'a failure before the search asked about is not this one');
      // …then disables the indexer: the next search of it alone is Prowlarr's own 400.
      await rejects(abb.search(q), 'unavailable', /^Prowlarr: AudioBookBay is disabled in Prowlarr after a failed search \(HTTP 400: "Search failed due to all selected indexers being unavailable"\); Prowlarr's log says why/);
    } finally {
      pr.indexers[0].rejectCategories = undefined;
      pr.clearFailures();
    }
    // Any other error answer keeps Prowlarr's message.
    pr.setFault({ type: 'status', status: 400, body: '{"message":"Invalid search type"}', count: 1 });
    await rejects(abb.search(q), 'rejected', /^Prowlarr: refused the search on AudioBookBay \(HTTP 400\): "Invalid search type"$/);
  });

  it('Prowlarr: a wrong key is 401, malformed JSON and an unreadable row are reported', async () => {
    await rejects(new ProwlarrServer(indexerHttp('Prowlarr', fast), pr.url, 'wrong-key').indexers(), 'unauthorized', /^Prowlarr: rejected the API key for the indexer list \(HTTP 401\)/);
    const server = new ProwlarrServer(indexerHttp('Prowlarr', fast), pr.url, pr.apiKey);
    pr.setFault({ type: 'malformed', count: 1 });
    await rejects(server.indexers(), 'malformed', /^Prowlarr: answered with something that is not JSON/);
  });
});
