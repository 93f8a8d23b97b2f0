// indexer-search's run against the simulators: the same ranking with reasons, what the
// indexer does not say stays unknown (a release without an author never passes on its title
// alone), secrets stay out of the results, the never-stale cache (0 requests warm), its own
// back-off, and an indexer that fails is left out without a back-off for the book.
import { strict as assert } from 'node:assert';
import { ServiceError } from '../../lib/errors';
import { indexerHttp, ProwlarrServer, TorznabFeed } from '../../lib/indexer/client';
import { rankReleases, toIndexerTorrent } from '../../lib/indexer/rank';
import { runIndexerSearch, type IndexerRunOptions } from '../../lib/indexer/search-run';
import type { IndexerEndpoint } from '../../lib/indexer/types';
import { collection, forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Gap } from '../../lib/types';
import { tempStoreDir } from '../helpers/node-red';
import { AUDIO_BOOKS, simRelease, startTorznabSim, type TorznabSim } from '../sim/torznab-sim';
import { startProwlarrSim, type ProwlarrSim } from '../sim/prowlarr-sim';

const MiB = 1024 * 1024;
const fast = { minIntervalMs: 0, backoffMs: 5, retries: 1 };
const gap = (title: string, authors: string[], series?: string, sequence?: string): Gap => ({
  key: `series:${(series ?? title).toLowerCase()}|${authors.join('+').toLowerCase()}#${sequence ?? title}`, kind: 'series', status: 'wanted', title, authors,
  ...(series ? { series, sequence } : {}), source: 'library', reason: 'missing', expectedDurationSec: 20 * 3600,
});
const EMPIRE = gap('The Final Empire', ['Brandon Sanderson'], 'Mistborn', '1');
const DUNE = gap('Dune', ['Frank Herbert']);
const MARTIAN = gap('The Martian', ['Andy Weir']);
const HAIL = gap('Project Hail Mary', ['Andy Weir']);

describe('lib/indexer runIndexerSearch', () => {
  let tz: TorznabSim;
  let pr: ProwlarrSim;
  let dir: string;
  const opts: Partial<IndexerRunOptions> = { cacheTtlMs: 3600_000 };

  before(async () => {
    tz = await startTorznabSim({ indexers: [{ id: 1, name: 'AudioBookBay', categories: [AUDIO_BOOKS], bookSearch: false, releases: [
      simRelease('e1', 'Brandon Sanderson - Mistborn 01 - The Final Empire (2006) [m4b]', { sizeBytes: 900 * MiB, infohash: 'c'.repeat(40) }),
      simRelease('d1', 'Dune [mp3]', { sizeBytes: 700 * MiB }),
      simRelease('d2', 'Dune Messiah by Frank Herbert [mp3]', { sizeBytes: 500 * MiB }),
      simRelease('m1', 'The Martian by Andy Weir (Unabridged) 64kbps', { sizeBytes: 500 * MiB }),
    ] }] });
    pr = await startProwlarrSim({ indexers: [{ id: 7, name: 'PublicBooks', categories: [AUDIO_BOOKS], bookSearch: true, releases: [
      simRelease('p1', 'The Final Empire', { author: 'Brandon Sanderson', sizeBytes: 950 * MiB, infohash: 'c'.repeat(40) }),
      simRelease('p2', 'Project Hail Mary by Andy Weir (2021) [m4b]', { sizeBytes: 600 * MiB }),
      simRelease('p3', 'Project Hail Mary (2021) [mp3]', { sizeBytes: 600 * MiB }),
    ] }] });
  });
  after(async () => { await tz.close(); await pr.close(); });
  beforeEach(() => { forgetStores(); dir = tempStoreDir('abg-indexer-run-'); tz.setFault(null); });

  const torznab = () => new TorznabFeed(indexerHttp('Torznab', fast), tz.feedUrl('AudioBookBay'), tz.apiKey, 'AudioBookBay');
  async function run(gaps: Gap[], endpoints: IndexerEndpoint[] = [torznab()], o = opts, wanted?: WantedStore) {
    return runIndexerSearch(gaps, { node: 'cfg-1', endpoints, cache: await collection(dir, 'cache'), ...(wanted ? { wanted } : {}) }, o);
  }

  it('accepts the right release by the same ranking, says what was read from the title, and keeps the API key out', async () => {
    const res = await run([EMPIRE, MARTIAN]);
    assert.deepEqual(res.candidates.map((c) => c.torrent.title), ['Brandon Sanderson - Mistborn 01 - The Final Empire (2006) [m4b]', 'The Martian by Andy Weir (Unabridged) 64kbps']);
    const c = res.candidates[0];
    assert.ok(c.torrent.id < 0, 'an indexer id is negative, never a MAM id');
    assert.deepEqual(c.torrent.series, [{ name: 'Mistborn', position: '1' }]);
    assert.equal(c.torrent.source?.indexer, 'AudioBookBay');
    assert.equal(c.torrent.source?.keyParam, 'apikey');
    assert.ok(c.reasons.includes('author not given by the indexer: read from the release title (Brandon Sanderson)'), c.reasons.join(' | '));
    assert.ok(c.reasons.includes('language not given by the indexer nor in the title: taken as ENG'));
    assert.ok(c.reasons.some((r) => /^author matches/.test(r)));
    assert.doesNotMatch(JSON.stringify(res), new RegExp(tz.apiKey));
  });

  it('a release without an author that matches only the title of a common title is not accepted', () => {
    const release = (title: string, author?: string) => toIndexerTorrent({ guid: title, title, indexer: 'AudioBookBay', sizeBytes: 700 * MiB, seeders: 40, categories: [3030], freeleech: false, published: '', hasFile: true, ...(author ? { author } : {}) }, 'cfg-1', 'ENG');
    const res = rankReleases(DUNE, [release('Dune [mp3]'), release('Dune (Unabridged) [m4b]')], {}, 'ENG');
    assert.deepEqual(res.accepted, []);
    for (const r of res.rejected) assert.ok(r.reasons.includes('author not given by AudioBookBay nor in the release title'), r.reasons.join(' | '));
    // The same release with the author given by the indexer is the book.
    assert.equal(rankReleases(DUNE, [release('Dune [mp3]', 'Frank Herbert')], {}, 'ENG').accepted.length, 1);
  });

  it('a bundle keeps its marker through the parser ("(Books 1-3)") and is not taken for one book', () => {
    const t = (title: string) => toIndexerTorrent({ guid: title, title, indexer: 'X', sizeBytes: 1500 * MiB, seeders: 40, categories: [3030], freeleech: false, published: '', hasFile: true }, 'cfg-1', 'ENG');
    const res = rankReleases(EMPIRE, [t('Brandon Sanderson - The Final Empire (Mistborn Books 1-3) [m4b]')], {}, 'ENG');
    assert.deepEqual(res.accepted, []);
    assert.match(res.rejected[0].reasons.join(' | '), /1-3/);
    assert.equal(rankReleases(EMPIRE, [t('Brandon Sanderson - The Final Empire [m4b]')], {}, 'ENG').accepted.length, 1, 'the same release without the marker is the book');
  });

  it('a search on an indexer without book-search sends free text and a miss is backed off', async () => {
    const res = await run([DUNE]);
    assert.deepEqual(res.candidates, []);
    assert.equal(tz.searches().at(-1)?.query.q, 'Dune Herbert');
    assert.match(res.notFound[0].reason, /nearest miss: "Dune Messiah by Frank Herbert \[mp3\]" .*title similarity 0\.67 below 0\.80/);
    assert.ok(res.notFound[0].retryAfter, 'every indexer answered: the back-off applies');
  });

  it('a warm run sends no request (cache), and a miss waits for its back-off with no request', async () => {
    const feed = torznab();
    await run([EMPIRE, DUNE], [feed]);
    const n = tz.requests.length;
    const warm = await run([EMPIRE, DUNE], [feed]);
    assert.equal(tz.requests.length, n, 'no request on the warm run');
    assert.equal(warm.candidates.length, 1);
    assert.match(warm.notFound[0].reason, /^not searched: nothing acceptable on the indexers' last search .*next search after/);
    assert.equal(warm.stats.searches, 0);
  });

  it('the user\'s Retry restarts the back-off: the book is searched again (a fresh request, not the cache)', async () => {
    const wanted = await WantedStore.open(dir);
    await wanted.syncGaps([DUNE]);
    await run([DUNE], [torznab()], opts, wanted);
    await new Promise((r) => setTimeout(r, 5));
    await wanted.retry(DUNE.key);
    const n = tz.searches().length;
    const again = await run([DUNE], [torznab()], opts, wanted);
    assert.equal(tz.searches().length, n + 1);
    assert.ok(again.notFound[0].retryAfter);
  });

  it('leaves alone the books mam-search leaves alone: ignored, with a download (suspect imports too), failed', async () => {
    const wanted = await WantedStore.open(dir);
    const gaps = [EMPIRE, DUNE, MARTIAN, HAIL];
    await wanted.syncGaps(gaps);
    await wanted.setIgnored(EMPIRE.key, true);
    await wanted.setState(DUNE.key, 'imported_suspect');
    await wanted.setState(MARTIAN.key, 'failed');
    const n = tz.searches().length;
    const res = await run(gaps, [torznab()], opts, wanted);
    assert.equal(res.stats.skipped, 3);
    assert.equal(tz.searches().length, n + 1, 'only Project Hail Mary is searched');
    assert.deepEqual([...res.candidates, ...res.notFound].map((x) => x.gap.key), [HAIL.key]);
  });

  it('searches Torznab and Prowlarr together; one release on both (same info-hash) is one candidate', async () => {
    const prowlarr = await new ProwlarrServer(indexerHttp('Prowlarr', fast), pr.url, pr.apiKey).endpoints();
    const res = await run([EMPIRE, HAIL], [torznab(), ...prowlarr]);
    assert.equal(res.candidates.filter((c) => c.gap.key === EMPIRE.key).length, 1);
    const hail = res.candidates.find((c) => c.gap.key === HAIL.key);
    assert.equal(hail?.torrent.source?.indexer, 'PublicBooks');
    // Prowlarr's ReleaseResource has no author field: it is read from the title, and a release
    // whose title names none is rejected for it.
    assert.equal(hail.torrent.title, 'Project Hail Mary by Andy Weir (2021) [m4b]');
    assert.ok(hail.reasons.includes('author not given by the indexer: read from the release title (Andy Weir)'), hail.reasons.join(' | '));
    assert.doesNotMatch(JSON.stringify(res), new RegExp(pr.apiKey));
  });

  it('an indexer that fails (429 after retries) is left out for the rest of the run and the books get no back-off', async () => {
    tz.setFault({ type: 'status', status: 429, retryAfter: 0 });
    const n = tz.requests.length;
    const res = await run([EMPIRE, DUNE, MARTIAN]);
    assert.equal(tz.requests.length - n, 2, 'caps: one try + one retry; then no more requests this run');
    assert.equal(res.candidates.length, 0);
    for (const nf of res.notFound) {
      assert.match(nf.reason, /not searched on AudioBookBay: Torznab: rate limited t=caps \(HTTP 429/);
      assert.equal(nf.retryAfter, undefined);
    }
    assert.match(res.stats.stoppedBy ?? '', /AudioBookBay/);
  });

  it('an empty answer right before the indexer failed (Prowlarr hides the failure) is not trusted: no back-off, not cached', async () => {
    // Empty answers (one unrelated release for `other`), then a failure on the search of `failAt`.
    const searched: string[] = [];
    const endpoint = (failAt?: string, other?: string): IndexerEndpoint => ({
      key: '7', name: 'PublicBooks', caps: async () => ({ categories: [3000, 3030], bookParams: ['q', 'title', 'author'], limitMax: 100 }),
      search: async (q) => {
        if (q.title === failAt) throw new ServiceError('Prowlarr', 'PublicBooks is disabled in Prowlarr after a failed search', { code: 'unavailable' });
        searched.push(q.title ?? '');
        const cookbook = { guid: 'x1', title: 'A Cookbook [mp3]', indexer: 'PublicBooks', sizeBytes: 300 * MiB, categories: [3030], freeleech: false, published: '2024-01-01T00:00:00Z' };
        return { releases: q.title === other ? [cookbook] : [], unreadable: [] };
      },
    });
    const day0 = Date.parse('2026-01-01T00:00:00Z');
    const at = (days: number) => () => new Date(day0 + days * 86400_000);
    const runAt = async (days: number, failAt?: string, other?: string) => runIndexerSearch([DUNE, MARTIAN, HAIL], { node: 'cfg-1', endpoints: [endpoint(failAt, other)], cache: await collection(dir, 'cache'), now: at(days) }, opts);

    await runAt(0);
    const hidden = await runAt(2, HAIL.title);
    const [dune, martian, hail] = hidden.notFound;
    assert.ok(dune.retryAfter, 'an empty answer followed by a working search keeps its back-off');
    assert.equal(martian.retryAfter, undefined, 'the empty answer right before the failure gets no back-off');
    assert.match(martian.reason, /^no results on the indexers; PublicBooks failed right after this search \(its empty answer may hide the failure\): searched again on the next run$/);
    assert.equal(hail.retryAfter, undefined);
    searched.length = 0;
    const next = await runAt(2);
    assert.deepEqual(searched, [MARTIAN.title, HAIL.title], 'Martian asked again (its empty page left the cache), Dune still waits');
    // Martian's first miss (day 0) is kept, not forgotten: this is its second miss, 3 days.
    assert.equal(next.notFound[1].retryAfter, new Date(day0 + 5 * 86400_000).toISOString());
    // An answer with results in between: the empty one before it stays trusted.
    const later = await runAt(30, HAIL.title, MARTIAN.title);
    assert.ok(later.notFound[0].retryAfter, 'Dune: not the answer right before the failure');
    assert.ok(later.notFound[1].retryAfter, 'Martian: the indexer answered it');
  });

  it('the LAST search of a run: Prowlarr\'s failure record is asked once, and an empty answer it hid gets no back-off', async () => {
    let statusAsked = 0;
    let failedAfter: number | undefined;
    let failing = true;
    const endpoint: IndexerEndpoint = {
      key: '7', name: 'PublicBooks', caps: async () => ({ categories: [3030], bookParams: ['q', 'title', 'author'], limitMax: 100 }),
      // The search of `Hail` "failed" inside Prowlarr: the answer is empty, the failure only recorded.
      search: async (q) => { if (failing && q.title === HAIL.title) failedAfter = Date.now(); return { releases: [], unreadable: [] }; },
      failedSince: async (since) => { statusAsked++; return failedAfter !== undefined && failedAfter >= since.getTime(); },
    };
    const res = await runIndexerSearch([DUNE, HAIL], { node: 'cfg-1', endpoints: [endpoint], cache: await collection(dir, 'cache') }, opts);
    assert.equal(statusAsked, 1, 'asked once, for the last empty answer only');
    assert.ok(res.notFound[0].retryAfter, 'Dune: a later search of the indexer went fine');
    assert.equal(res.notFound[1].retryAfter, undefined);
    assert.match(res.notFound[1].reason, /PublicBooks failed right after this search/);
    failing = false;
    failedAfter = undefined;
    const again = await runIndexerSearch([HAIL], { node: 'cfg-1', endpoints: [endpoint], cache: await collection(dir, 'cache') }, opts);
    assert.ok(again.notFound[0].retryAfter, 'no failure on record: the empty answer stands, with its back-off');
    const warm = await runIndexerSearch([HAIL], { node: 'cfg-1', endpoints: [endpoint], cache: await collection(dir, 'cache') }, opts);
    assert.deepEqual([warm.stats.searches, statusAsked], [0, 2], 'a run with no live answer asks nothing');
  });

  it('stops at the per-run cap of searches and says so', async () => {
    const res = await run([EMPIRE, DUNE, MARTIAN], [torznab()], { ...opts, maxSearches: 1 });
    assert.equal(res.stats.searches, 1);
    assert.match(res.notFound.at(-1)!.reason, /per-run cap of 1 indexer searches reached/);
  });
});
