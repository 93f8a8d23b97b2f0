// The modules `npm run mutate` measures, each with only the tests that exercise it, so one run
// stays short on 2 cores (a mutant is tested by the tests that cover it, not by the whole suite).
export const MODULES = {
  'lib/gaps': {
    mutate: ['lib/gaps/**/*.ts'],
    // The metadata tests run findGaps against the provider simulator (find.ts, language.ts).
    spec: ['test/lib/gaps-*.test.ts', 'test/lib/rules-guarded.test.ts', 'test/lib/metadata-fixtures.test.ts',
      'test/lib/metadata-language.test.ts', 'test/lib/metadata-providers.test.ts', 'test/lib/metadata-resilience.test.ts'],
  },
  'lib/identity': {
    mutate: ['lib/identity/**/*.ts'],
    spec: ['test/lib/gaps-sequence.test.ts', 'test/lib/identity-*.test.ts', 'test/lib/gaps-analyse.test.ts', 'test/lib/gaps-owned.test.ts', 'test/lib/metadata-language.test.ts'],
  },
  'lib/store': {
    mutate: ['lib/store/**/*.ts'],
    // store-*: the files, compaction, the state collection and the dashboard rows; at-rest: file modes.
    spec: ['test/lib/store*.test.ts', 'test/secrets/at-rest.test.ts', 'test/lib/wanted-store*.test.ts', 'test/lib/gaps-rekey.test.ts', 'test/lib/rules-guarded.test.ts', 'test/nodes/gap-store.test.ts', 'test/nodes/series-gaps.test.ts', 'test/lib/heal-rules.test.ts'],
  },
  'lib/queue': {
    mutate: ['lib/queue/**/*.ts'],
    spec: ['test/lib/qbit-queue*.test.ts', 'test/lib/queue-*.test.ts', 'test/lib/watch-suspect.test.ts', 'test/lib/gaps-identity-claims.test.ts', 'test/lib/clients-ref.test.ts', 'test/lib/indexer-download.test.ts', 'test/lib/indexer-magnet.test.ts'],
  },
  'lib/indexer/fetch': {
    // How an indexer result is fetched: secrets out of links and magnets, the .torrent or magnet, the payload the queue adds.
    mutate: ['lib/indexer/links.ts', 'lib/indexer/download.ts', 'lib/queue/payload.ts'],
    spec: ['test/lib/indexer-fetch-rules.test.ts', 'test/lib/indexer-magnet.test.ts', 'test/lib/indexer-download.test.ts', 'test/lib/indexer-client.test.ts', 'test/lib/indexer-search-run.test.ts', 'test/lib/qbit-queue.test.ts'],
  },
  'lib/watch': {
    mutate: ['lib/watch/**/*.ts'],
    spec: ['test/lib/qbit-watch.test.ts', 'test/lib/watch-*.test.ts', 'test/lib/clients-ref.test.ts'],
  },
  'lib/heal': {
    mutate: ['lib/heal/**/*.ts'],
    // The fault rows run the real qbittorrent-nox: the tick's steps end to end.
    spec: ['test/lib/heal-*.test.ts', 'test/lib/watch-suspect.test.ts', 'test/faults/heal.test.ts', 'test/lib/clients-ref.test.ts'],
  },
  'lib/clients/ref.ts': {
    mutate: ['lib/clients/ref.ts'],
    // Which ledger records a queue / watcher node follows (the client of a record).
    spec: ['test/lib/clients-ref.test.ts'],
  },
  'lib/mam/rank.ts': {
    mutate: ['lib/mam/rank.ts'],
    spec: ['test/lib/mam-rank*.test.ts', 'test/lib/mam-ranking-*.test.ts', 'test/lib/rules-guarded.test.ts', 'test/lib/mam-prefer.test.ts'],
  },
  // The evidence rules rank.ts calls (and its preference and near-miss helpers), measured with
  // the ranking's tests: they are reached through rankTorrents, and through their own unit tests.
  'lib/mam/evidence': {
    mutate: ['lib/mam/{length,markers,named-books,edition,misses,prefer}.ts'],
    spec: ['test/lib/mam-rank*.test.ts', 'test/lib/mam-ranking-*.test.ts', 'test/lib/rules-guarded.test.ts', 'test/lib/mam-length.test.ts',
      'test/lib/mam-prefer.test.ts', 'test/lib/mam-misses.test.ts', 'test/lib/mam-edition.test.ts', 'test/lib/mam-markers.test.ts', 'test/lib/mam-named-books.test.ts'],
  },
  // The release-title parser, with its labelled sets (tuned, held-out, fresh) and its rule tests.
  'lib/indexer/title': {
    mutate: ['lib/indexer/title-parse.ts', 'lib/indexer/title-tags.ts'],
    spec: ['test/lib/indexer-title-*.test.ts'],
  },
};

/** "lib/mam/rank.ts" → "lib-mam-rank.ts": the report file of a module. */
export const slug = (name) => name.replace(/[\\/]+/g, '-');
