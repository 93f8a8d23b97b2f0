// abs-library on a big library: 10,000 books in 2,000 series on the ABS simulator.
// Prints requests made vs the floor ⌈N/page⌉ (list pages alone), wall time, heap and RSS.
// Run: npm run bench abs-library   (or: node --import tsx bench/abs-library.bench.ts)
import { AbsClient } from '../lib/abs/client';
import { readLibrary } from '../lib/abs/library-reader';
import { startAbsSim } from '../test/sim/abs-sim';

const BOOKS = Number(process.env.BENCH_BOOKS ?? 10000);
const SERIES = Number(process.env.BENCH_SERIES ?? 2000);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

async function run(label: string, pageSize: number, batchSize?: number): Promise<void> {
  const sim = await startAbsSim({ generate: { books: BOOKS, series: SERIES } });
  const client = new AbsClient({ baseUrl: sim.url, token: sim.token });
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = process.hrtime.bigint();
  const { books } = await readLibrary(client, { libraryIds: [sim.libraryIds.generated], pageSize, batchSize });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const mem = process.memoryUsage();
  const floor = Math.ceil(BOOKS / pageSize);
  const kinds = { list: 0, batch: 0, other: 0 };
  for (const r of sim.requests) {
    if (r.path.endsWith('/items')) kinds.list++;
    else if (r.path === '/api/items/batch/get') kinds.batch++;
    else kinds.other++;
  }
  const seriesCount = new Set(books.flatMap((b) => b.series.map((s) => s.name))).size;
  console.log(`${label}: ${books.length} books, ${seriesCount} series`);
  console.log(`  requests ${client.requestCount} (list ${kinds.list} + batch/get ${kinds.batch} + other ${kinds.other}); floor ⌈N/page⌉ = ${floor}`);
  console.log(`  per-series filter instead of batch/get would be ≥ ${floor + seriesCount + 1} (one per series + list pages + library list)`);
  console.log(`  wall ${ms.toFixed(0)} ms; heap +${mb(mem.heapUsed - heapBefore)} (now ${mb(mem.heapUsed)}), rss ${mb(mem.rss)}`);
  await client.close();
  await sim.close();
}

(async () => {
  console.log(`abs-library bench: ${BOOKS} books / ${SERIES} series, simulator on 127.0.0.1 (includes simulator CPU)`);
  await run('page 200, batch 200 (default)', 200);
  await run('page 500, batch 500', 500);
  await run('page 200, batch 1000', 200, 1000);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
