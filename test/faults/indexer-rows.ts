// Fault matrix rows for the indexer search: the pipeline with indexer-search (a Prowlarr or a
// Torznab simulator holding the world's books) instead of mam-search, into one REAL client
// (one daemon per test file: indexer.test.ts for qBittorrent, indexer-transmission.test.ts,
// indexer-deluge.test.ts). Every row (row.ts): the error or the not-found reason names the
// service, the store stays consistent, and after the fault is cleared the re-run queues each
// missing book once, with one .torrent fetched per book from the indexer and nothing asked of
// MAM. The search-side rows do not depend on the client, but their re-runs add and confirm
// the books in it: they run against every client because that costs about a second a row.
import assert from 'node:assert/strict';
import { serviceName } from '../../lib/clients/ref';
import { forgetStores } from '../../lib/store/store';
import type { ClientType } from '../../lib/types';
import type { DaemonInstance } from '../helpers/daemon';
import { freePort } from '../helpers/qbittorrent';
import type { IndexerKind } from './indexer-world';
import { printMatrixAtEnd } from './matrix';
import type { RunOutcome } from './pipeline';
import { runRow, type RowSpec } from './row';
import type { World } from './world';

const NAME: Record<IndexerKind, 'Prowlarr' | 'Torznab'> = { prowlarr: 'Prowlarr', torznab: 'Torznab' };

/** Nothing of MAM was used: the books came from the indexer only. */
function noMam(_o: RunOutcome, w: World): void {
  assert.equal(w.mam.requests.length, 0, 'MAM was not asked');
}

/** The faulty run found nothing, fetched no .torrent and left every book searchable again. */
function nothingFetched(o: RunOutcome, w: World): void {
  noMam(o, w);
  assert.equal(w.indexer!.downloads().size, 0, 'no .torrent fetched');
  assert.equal(o.queue?.downloads.length ?? 0, 0, 'nothing queued');
  for (const n of o.notFound) assert.equal(n.retryAfter, undefined, `"${n.gap.title}" is searched again on the next run (no back-off)`);
}

export function indexerFaultRows(client: ClientType, start: () => Promise<DaemonInstance>): void {
  printMatrixAtEnd();
  const service = serviceName(client);
  describe(`fault matrix: indexer search into ${service}`, function () {
    this.timeout(60_000);
    let d: DaemonInstance;
    before(async () => { d = await start(); });
    after(async () => { await d?.close(); });
    beforeEach(() => forgetStores());

    const row = (kind: IndexerKind, spec: Omit<RowSpec, 'service' | 'world' | 'row'> & { row: string }) =>
      runRow(d, { ...spec, row: `${NAME[kind]}: ${spec.row}`, service: NAME[kind], world: { indexer: kind, seriesCount: 1, client } });

    it('Prowlarr down: stops at indexer-search naming Prowlarr; nothing queued', async () => {
      const dead = `http://127.0.0.1:${await freePort()}`;
      await row('prowlarr', {
        row: 'down', fault: () => undefined, first: { indexerUrl: dead },
        stops: { stage: 'indexer-search', error: /^Prowlarr: .*(ECONNREFUSED|cannot reach)/ }, check: nothingFetched, clear: () => undefined,
      });
    });

    it('Prowlarr wrong API key (401): stops naming the rejected key; nothing queued', async () => {
      await row('prowlarr', {
        row: 'wrong API key (401)', fault: () => undefined, first: { indexerKey: 'wrong-prowlarr-key' },
        stops: { stage: 'indexer-search', error: /^Prowlarr: rejected the API key for the indexer list \(HTTP 401\)$/ }, check: nothingFetched, clear: () => undefined,
      });
    });

    it('Prowlarr 429 with a long Retry-After on the search: the reason names Prowlarr; no back-off', async () => {
      await row('prowlarr', {
        row: '429, Retry-After 1 h', fault: (w) => w.indexer!.setFault({ type: 'status', status: 429, retryAfter: 3600, skip: 1 }),
        keepsRunning: /^indexer-search stopped: AudioBookBay \w+: Prowlarr: rate limited the search on AudioBookBay \w+ \(HTTP 429; Retry-After too long/,
        check: nothingFetched, clear: (w) => w.indexer!.setFault(null),
      });
    });

    it('Prowlarr 429 with Retry-After 1 s, once: waited out, every book queued in the same run', async () => {
      await row('prowlarr', {
        row: '429, Retry-After 1 s, once', fault: (w) => w.indexer!.setFault({ type: 'status', status: 429, retryAfter: 1, skip: 1, count: 1 }),
        keepsRunning: /^$/,
        check: (o, w) => {
          noMam(o, w);
          assert.equal(w.indexer!.searches().length, w.missing.length + 1, 'the refused search was asked again after the wait');
          assert.equal(o.queue?.downloads.length, w.missing.length, 'every book queued despite the 429');
        },
        clear: () => undefined, rerunNote: 'nothing left to do',
      });
    });

    it('Prowlarr malformed JSON on the search: the reason names Prowlarr; no back-off', async () => {
      await row('prowlarr', {
        row: 'malformed JSON', fault: (w) => w.indexer!.setFault({ type: 'malformed', skip: 1 }),
        keepsRunning: /^indexer-search stopped: AudioBookBay \w+: Prowlarr: answered with something that is not JSON/,
        check: nothingFetched, clear: (w) => w.indexer!.setFault(null),
      });
    });

    it('Prowlarr: its indexer rejects the audiobook category (HTTP 400): the reason names Prowlarr and the indexer; no back-off', async () => {
      // Prowlarr hides the indexer's 400 (an empty 200 for the first book), then disables the
      // indexer: the next search answers 400 "all selected indexers being unavailable".
      await row('prowlarr', {
        row: 'indexer rejects category 3030 (400)', fault: (w) => { w.indexer!.indexer.rejectCategories = [3030]; },
        keepsRunning: /^indexer-search stopped: AudioBookBay \w+: Prowlarr: AudioBookBay \w+ is disabled in Prowlarr after a failed search \(HTTP 400: "Search failed due to all selected indexers being unavailable"/,
        check: (o, w) => {
          nothingFetched(o, w);
          assert.deepEqual(w.indexer!.searches().map((r) => r.query.categories), w.missing.map(() => '3030'), 'each book asked once, with the category');
          assert.match(o.notFound[0].reason, /^no results on the indexers; AudioBookBay \w+ failed right after this search/, 'the first book\'s empty answer is not trusted');
        },
        // The user fixes the indexer's categories in Prowlarr (or its back-off ends).
        clear: (w) => { w.indexer!.indexer.rejectCategories = []; w.indexer!.clearFailures(); },
      });
    });

    it('Torznab down: the reason names Torznab; nothing queued, no back-off', async () => {
      const dead = `http://127.0.0.1:${await freePort()}/api/v2.0/indexers/x/results/torznab/`;
      await row('torznab', {
        row: 'down', fault: () => undefined, first: { indexerUrl: dead },
        keepsRunning: /^indexer-search stopped: AudioBookBay \w+: Torznab: .*(ECONNREFUSED|cannot reach)/, check: nothingFetched, clear: () => undefined,
      });
    });

    it('Torznab wrong API key (401 with <error/>): the reason names Torznab and the key', async () => {
      await row('torznab', {
        row: 'wrong API key (401)', fault: () => undefined, first: { indexerKey: 'wrong-torznab-key' },
        keepsRunning: /^indexer-search stopped: AudioBookBay \w+: Torznab: .*Invalid API Key/, check: nothingFetched, clear: () => undefined,
      });
    });

    it('Torznab 429 with a long Retry-After on the search: the reason names Torznab', async () => {
      await row('torznab', {
        row: '429, Retry-After 1 h', fault: (w) => w.indexer!.setFault({ type: 'status', status: 429, retryAfter: 3600, skip: 1 }),
        keepsRunning: /^indexer-search stopped: AudioBookBay \w+: Torznab: rate limited the search \(HTTP 429; Retry-After too long/,
        check: nothingFetched, clear: (w) => w.indexer!.setFault(null),
      });
    });

    it('Torznab malformed XML on the search: the reason names Torznab', async () => {
      await row('torznab', {
        row: 'malformed XML', fault: (w) => w.indexer!.setFault({ type: 'malformed', skip: 1 }),
        keepsRunning: /^indexer-search stopped: AudioBookBay \w+: Torznab: /, check: nothingFetched, clear: (w) => w.indexer!.setFault(null),
      });
    });

    it('Torznab indexer rejects the audiobook category (HTTP 400) its caps list: searched without it, every book queued', async () => {
      await row('torznab', {
        row: 'category 3030 rejected (400)', fault: (w) => { w.indexer!.indexer.rejectCategories = [3030]; },
        keepsRunning: /^$/,
        check: (o, w) => {
          noMam(o, w);
          assert.deepEqual(w.indexer!.searches().map((r) => r.query.cat ?? ''), ['3030', '', ...w.missing.slice(1).map(() => '')], 'refused once with cat=3030, then never sent again');
          assert.equal(o.queue?.downloads.length, w.missing.length, 'every book queued without the category');
        },
        clear: () => undefined, rerunNote: 'nothing left to do',
      });
    });

    for (const kind of ['prowlarr', 'torznab'] as const) {
      it(`${NAME[kind]}: ${service} restarted between add and confirm: healed, one torrent per book`, async () => {
        let adds = 0;
        let restarts = 0;
        await row(kind, {
          row: `${service} restarted between add and confirm`, fault: () => undefined,
          first: () => ({ hooks: { afterAdd: async () => { if (!adds++) { restarts++; await d.restart(); } } } }),
          // The client kept the add over its restart (confirmed), or lost it: the intent stays and
          // the re-run adds it again. Both end with one torrent per book.
          keepsRunning: new RegExp(`^(|${service}: accepted torrent [0-9a-f]{40} but does not list it; it will be added again on the next run)$`), allowIntent: true,
          check: (o, w) => { noMam(o, w); assert.equal(restarts, 1, `${service} was restarted once, after the first add`); },
          clear: () => undefined, rerunNote: 'a kept intent is healed',
        });
      });
    }
  });
}
