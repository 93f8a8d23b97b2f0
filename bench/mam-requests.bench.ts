// `npm run bench mam-requests`: how many MAM searches mam-search sends, against the MAM
// simulator, for a library with long series (more than 100 uploads, so a title-less hole's book
// may be on page 2 of the series answer) and short ones. Prints, for a cold run, the searches
// and the pages after a query's first next to the number of gaps whose torrent only page 2
// holds (paging's floor), and for a warm re-run the searches sent (the floor is 0). Not a
// pass/fail test.
import { MamClient } from '../lib/mam/client';
import { runSearch } from '../lib/mam/search-run';
import { collection } from '../lib/store/store';
import { WantedStore } from '../lib/store/wanted';
import type { Gap } from '../lib/types';
import { tempStoreDir } from '../test/helpers/node-red';
import { mamRow, startMamSim } from '../test/sim/mam-sim';

const LONG = 6; // series with 130 uploads each
const SHORT = 14; // series with 8 uploads each
const WORDS = ['Amber', 'Basalt', 'Cinder', 'Drift', 'Ember', 'Fathom', 'Gale', 'Hollow', 'Ivory', 'Juniper', 'Kestrel', 'Lumen', 'Mire', 'Nettle', 'Onyx', 'Pyre', 'Quill', 'Rime', 'Sable', 'Thorn'];

async function main(): Promise<void> {
  const sim = await startMamSim({ mamId: 'bench-mam-id' });
  sim.user.unsat.limit = 10_000;
  const gaps: Gap[] = [];
  let id = 100_000;
  let onPage2 = 0;
  for (const [s, word] of WORDS.slice(0, LONG + SHORT).entries()) {
    const long = s < LONG;
    const uploads = long ? 130 : 8;
    const series = `${word} Saga`;
    const author = `Ada ${word}`;
    // Newest first in MAM's answer: upload k (1-based) is row k; it holds position k.
    for (let k = uploads; k >= 1; k--) sim.addRow(mamRow({ id: ++id, title: `A ${word} Tale`, authors: [author], series: [[series, String(k)]] }));
    const gap = (seq: number, title?: string): Gap => ({ key: `series:${word}#${seq}`, kind: 'series', status: 'wanted', authors: [author], series, sequence: String(seq), source: 'library', reason: 'hole', ...(title ? { title } : {}) });
    // A title-less hole on page 1, one on page 2 (long series only) and a titled gap.
    gaps.push(gap(3));
    if (long) { gaps.push(gap(115)); onPage2++; }
    sim.addRow(mamRow({ id: ++id, title: `The Lost ${word} Chronicle`, authors: [author], series: [[series, '200']] }));
    gaps.push(gap(200, `The Lost ${word} Chronicle`));
  }
  const client = new MamClient({ baseUrl: sim.url, mamId: 'bench-mam-id', minIntervalMs: 0 });
  const dir = tempStoreDir('abg-bench-mam-requests-');
  const wanted = await WantedStore.open(dir);
  await wanted.syncGaps(gaps);
  const deps = { api: client, wanted, cache: await collection(dir, 'cache') };
  const options = { maxSearches: 1000 };
  try {
    const started = process.hrtime.bigint();
    const cold = await runSearch(gaps, deps, options);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const found = new Set(cold.candidates.map((c) => c.gap.key)).size;
    console.log(`${gaps.length} gaps in ${LONG} long series (130 uploads) and ${SHORT} short ones (8 uploads): ${found} found, ${cold.notFound.length} not found`);
    console.log(`cold run: ${cold.stats.searches} MAM searches, of which ${cold.stats.pages} pages after a query's first; gaps whose torrent only page 2 holds: ${onPage2} (paging's floor: one extra page each, at most one per series)  [${ms.toFixed(0)} ms]`);
    const before = sim.searches().length;
    const warm = await runSearch(gaps, deps, options);
    console.log(`warm re-run: ${sim.searches().length - before} MAM searches (floor 0), ${warm.stats.cacheHits} cached pages read, ${new Set(warm.candidates.map((c) => c.gap.key)).size} found`);
  } finally {
    await client.close();
    await sim.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
