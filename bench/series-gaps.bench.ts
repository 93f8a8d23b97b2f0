// series-gaps at scale: 10,000 books in 2,000 series. Prints the analysis time (no network)
// and the requests each provider makes against the local simulator, cold and warm cache.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyse } from '../lib/gaps/analyse';
import { findGaps } from '../lib/gaps/find';
import { AudibleProvider } from '../lib/metadata/audible';
import { MetadataCache } from '../lib/metadata/cache';
import { HardcoverProvider } from '../lib/metadata/hardcover';
import { GoodreadsProvider } from '../lib/metadata/goodreads';
import type { MetadataProvider } from '../lib/metadata/provider';
import { MetadataSim, simulatedLibrary } from '../test/sim/metadata-sim';

const SERIES = 2000;
const PER_SERIES = 9; // the library owns 1, 2, 4, 6, 8 of each: 5 books → 10,000 books

async function main(): Promise<void> {
  const { series, books } = simulatedLibrary(SERIES, PER_SERIES);
  console.log(`library: ${books.length} books in ${SERIES} series`);

  analyse(books); // warm-up (JIT)
  const runs: number[] = [];
  let gaps = 0;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    gaps = analyse(books).gaps.length;
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  console.log(`analysis (library only, no network): median ${runs[2].toFixed(1)} ms, worst ${runs[4].toFixed(1)} ms, ${gaps} gaps`);

  const sim = new MetadataSim(series);
  await sim.start();
  const cache = await MetadataCache.open(mkdtempSync(join(tmpdir(), 'abg-bench-')), 3600_000);
  const fast = { cache, minIntervalMs: 0 };
  const providers: MetadataProvider[] = [
    new AudibleProvider({ baseUrl: sim.url, ...fast }),
    new HardcoverProvider({ token: sim.hardcoverToken, url: `${sim.url}/graphql`, ...fast }),
    new GoodreadsProvider({ baseUrl: sim.url, ...fast }),
  ];
  try {
    for (const label of ['cold cache', 'warm cache']) {
      const t = performance.now();
      const result = await findGaps(books, providers);
      const ms = performance.now() - t;
      const total = Object.values(result.requests).reduce((a, b) => a + b, 0);
      const per = Object.entries(result.requests).map(([k, v]) => `${k} ${v} (${(v / SERIES).toFixed(2)}/series)`).join(', ');
      console.log(`${label}: ${total} requests: ${per}; ${result.gaps.length} gaps; ${(ms / 1000).toFixed(1)} s incl. simulator`);
      if (label === 'warm cache' && total !== 0) throw new Error(`warm cache made ${total} requests`);
    }
  } finally {
    await Promise.all(providers.map((p) => p.close()));
    await sim.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
