// The whole pipeline in a Node-RED child process (our nodes, node-red-node-test-helper on the
// real runtime) against simulated services: 10,000 owned books in 2,000 series, 5 % more in
// the catalog (500 missing: half holes, half after the last owned book), a MAM result for each.
// Prints the requests to each service vs the floor, wall time and CPU per stage, and the peak
// RSS of the Node-RED process, for a cold and a warm (second) run. Not a pass/fail test.
// Run: npm run bench pipeline   (BENCH_SERIES=400 for a quick look; BENCH_CLIENT=transmission or
//      deluge: the same through a real transmission-daemon / deluged with torrent-queue;
//      BENCH_SEARCH=prowlarr: indexer-search through the Prowlarr simulator, BENCH_INDEXERS of
//      its indexers (default 2) each holding a release of every missing book, instead of mam-search)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startAbsSim } from '../test/sim/abs-sim';
import { MetadataSim, type SimSeries } from '../test/sim/metadata-sim';
import { mamRow, startMamSim } from '../test/sim/mam-sim';
import { fakeTorrent, startQbittorrent } from '../test/helpers/qbittorrent';
import { startTransmission } from '../test/helpers/transmission';
import { startDeluge } from '../test/helpers/deluge';
import { AUDIO_BOOKS, simRelease, startProwlarrSim, type SimIndexer } from '../test/sim/prowlarr-sim';
import type { DaemonInstance } from '../test/helpers/daemon';
import { pipelineFlow } from '../test/faults/flow';
import { startNodeRedChild, type StageTiming } from '../test/faults/child';
import { readStates, summary } from '../scripts/demo-store';

const SERIES = Number(process.env.BENCH_SERIES ?? 2000);
const OWNED_PER_SERIES = 5;
const PAGE = 200;
const MAX_PER_RUN = 10; // qbit-queue's default cap of downloads per run
const MAX_SEARCHES = 1000; // raised from the default 30 so one run searches every new gap
// mam-search stops grabbing when the account nears its unsatisfied-torrent limit (limit − margin
// − unsatisfied; the simulated Power User: 100 − 5 − 12 = 83). Raised here so the run can show
// the floor "one search per new gap" for all of them; BENCH_UNSAT_LIMIT=100 shows the real stop.
const UNSAT_LIMIT = Number(process.env.BENCH_UNSAT_LIMIT ?? 1000);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

const CLIENT = process.env.BENCH_CLIENT === 'transmission' || process.env.BENCH_CLIENT === 'deluge' ? process.env.BENCH_CLIENT : undefined;
const CLIENT_NAME = CLIENT === 'transmission' ? 'Transmission' : CLIENT === 'deluge' ? 'Deluge' : 'qBittorrent';
const COMMAND = CLIENT === 'transmission' ? 'transmission-daemon' : CLIENT === 'deluge' ? 'deluged' : 'qbittorrent-nox';

// The search source: MAM directly (mam-search) or every indexer of a Prowlarr (indexer-search).
const PROWLARR = process.env.BENCH_SEARCH === 'prowlarr';
const INDEXERS = PROWLARR ? Number(process.env.BENCH_INDEXERS ?? 2) : 1;

/** 0 → "Na", 1 → "Nb", 27 → "Nbb": a number as a name. */
const inLetters = (n: number) => `N${[...n.toString(26)].map((d) => String.fromCharCode(97 + parseInt(d, 26))).join('')}`;

function hasClient(): boolean {
  return spawnSync('sh', ['-c', `command -v ${COMMAND}`], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  const start = CLIENT === 'transmission' ? startTransmission : CLIENT === 'deluge' ? startDeluge : startQbittorrent;
  const qbit: DaemonInstance | undefined = hasClient() ? await start() : undefined;
  const abs = await startAbsSim({ token: 'bench-abs-token' });
  const mam = await startMamSim({ mamId: 'bench-mam-id' });
  mam.user.unsat.limit = UNSAT_LIMIT;
  const indexers: SimIndexer[] = Array.from({ length: INDEXERS }, (_, k) => ({ id: k + 1, name: `Bench Indexer ${k + 1}`, categories: [AUDIO_BOOKS], bookSearch: k % 2 === 0, releases: [] }));
  const libraryId = abs.libraryIds.generated;
  const series: SimSeries[] = [];
  let missing = 0;
  for (let s = 0; s < SERIES; s++) {
    const name = `Bench Saga ${s}`;
    // An indexer gives no author field: indexer-search reads it from the release title, whose
    // parser takes no digits in a name, so the Prowlarr run spells the series number in letters.
    const author = PROWLARR ? `Writer ${String.fromCharCode(65 + (s % 26))} ${inLetters(s)}` : `Writer ${String.fromCharCode(65 + (s % 26))} Number${s}`;
    // Every 4th series lacks one book: alternately a hole (#3) or the one after the last owned (#6).
    const lacks = s % 4 === 0 ? (s % 8 === 0 ? 3 : 6) : 0;
    const size = lacks ? OWNED_PER_SERIES + 1 : OWNED_PER_SERIES;
    const books = [];
    for (let i = 1; i <= size; i++) {
      const asin = `B${String(s).padStart(6, '0')}${String(i).padStart(3, '0')}`;
      const title = `Chronicle ${s} Volume ${i}`;
      books.push({ asin, title, authors: [author], sequence: String(i) });
      if (i === lacks) {
        const id = 100_000 + s * 10 + i;
        mam.addTorrent(id, fakeTorrent(`bench-${s}-${i}`), mamRow({ id, title, authors: [author], series: [[name, String(i)]], size: '400.0 MiB' }));
        // Prowlarr: the same book on every indexer (a distinct .torrent each), in a usual indexer title.
        for (const ix of indexers) ix.releases.push(simRelease(`${ix.id}-${id}`, `${author} - ${title} (2020) [m4b]`, { sizeBytes: 400 * 1024 * 1024, author, file: fakeTorrent(`bench-${ix.id}-${s}-${i}`) }));
        missing++;
      } else {
        abs.addItem({ title, authors: [author], series: [{ name, sequence: String(i) }], asin, addedAt: 1_600_000_000_000 + s * 10 + i }, { libraryId });
      }
    }
    series.push({ asin: `S${String(s).padStart(8, '0')}X`, id: 10_000 + s, title: name, author, books });
  }
  const prowlarr = PROWLARR ? await startProwlarrSim({ apiKey: 'bench-prowlarr-key', indexers }) : undefined;
  const meta = new MetadataSim(series);
  await meta.start();
  const owned = abs.state.items.filter((i) => i.libraryId === libraryId).length;
  const dir = mkdtempSync(join(tmpdir(), 'abg-bench-pipeline-'));
  const q = qbit ?? { url: 'http://127.0.0.1:9', username: 'admin', downloads: dir };
  const cfg = pipelineFlow({ abs, meta, mam, qbit: q, dir, libraryId }, { absToken: abs.token, mamId: mam.currentMamId, qbitPassword: qbit?.password ?? 'x', ...(prowlarr ? { prowlarr: { url: prowlarr.url, apiKey: prowlarr.apiKey } } : {}) },
    { pageSize: PAGE, maxSearches: MAX_SEARCHES * INDEXERS, maxPerRun: MAX_PER_RUN, dryRun: !qbit, client: CLIENT });
  cfg.settings.audiobookGaps.mamMinIntervalMs = 0;
  cfg.settings.audiobookGaps.indexerMinIntervalMs = 0;
  console.log(`pipeline bench: ${owned} owned books in ${SERIES} series, ${missing} missing (${((100 * missing) / (owned + missing)).toFixed(1)} %), ${CLIENT_NAME}: ${qbit ? `real ${COMMAND}` : `dry run (${COMMAND} not installed)`}`);
  if (prowlarr) console.log(`search: indexer-search through the Prowlarr simulator, ${INDEXERS} indexers (${indexers.map((x) => `${x.name}: ${x.bookSearch ? 'book search' : 'free text'}`).join(', ')}), a release of each missing book on each`);
  console.log(`settings: page ${PAGE}, ${prowlarr ? 'indexer-search' : 'mam-search'} maxSearches ${MAX_SEARCHES * INDEXERS}, ${CLIENT ? 'torrent-queue' : 'qbit-queue'} maxPerRun ${MAX_PER_RUN}, all pacing intervals 0 ms (simulators)`);
  const { count: unsat, limit } = mam.user.unsat;
  if (!prowlarr) console.log(`MAM account: ${unsat} of ${limit} unsatisfied, margin 5: mam-search may grab ${limit - 5 - unsat} this run${limit - 5 - unsat < missing ? ` (fewer than the ${missing} new gaps: the run stops there, by design)` : ''}`);

  const child = await startNodeRedChild(cfg);
  let peak = 0;
  const sampler = setInterval(() => { try { peak = Math.max(peak, child.rss().now); } catch { /* exited */ } }, 20);
  try {
    for (const label of ['cold', 'warm']) {
      const before = { abs: abs.requests.length, audible: meta.hits.audible, mam: mam.requests.length, prowlarr: prowlarr?.requests.length ?? 0 };
      peak = 0;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const { count, stages } = await child.run(600_000);
      const wall = performance.now() - t0;
      const simCpu = process.cpuUsage(cpu0);
      const absReq = abs.requests.slice(before.abs);
      const list = absReq.filter((r) => r.path.endsWith('/items')).length;
      const batch = absReq.filter((r) => r.path === '/api/items/batch/get').length;
      const mamReq = mam.requests.slice(before.mam);
      const searches = mamReq.filter((r) => r.path === '/tor/js/loadSearchJSONbasic.php').length;
      const fetches = mamReq.filter((r) => r.path === '/tor/download.php').length;
      const audible = meta.hits.audible - before.audible;
      console.log(`\n${label} run: ${(wall / 1000).toFixed(1)} s wall, ${count} queued${qbit ? ` in ${CLIENT_NAME}` : ' (dry run)'}`);
      console.log(`  ABS        ${absReq.length} requests (list ${list} + batch/get ${batch} + other ${absReq.length - list - batch}); floor ⌈N/page⌉ = ${Math.ceil(owned / PAGE)} (+ ${Math.ceil(owned / PAGE)} batch/get)`);
      console.log(`  metadata   ${audible} Audible requests; floor ${label === 'cold' ? `one per series = ${SERIES}` : 'zero (warm cache)'}`);
      const newGaps = label === 'cold' ? missing : 0;
      if (prowlarr) {
        const req = prowlarr.requests.slice(before.prowlarr);
        const px = req.filter((r) => r.path === '/api/v1/search').length;
        const dl = req.filter((r) => /^\/\d+\/download$/.test(r.path)).length;
        console.log(`  Prowlarr   ${px} searches + ${dl} .torrent + ${req.length - px - dl} other (indexer list, status); floor one search per new gap per indexer = ${newGaps} × ${INDEXERS} = ${newGaps * INDEXERS}`);
      }
      if (prowlarr) console.log(`  MAM        ${mamReq.length} requests (not the search source here)`);
      else console.log(`  MAM        ${searches} searches + ${mamReq.length - searches - fetches} account + ${fetches} .torrent; floor one search per new gap = ${newGaps}${searches < newGaps ? ` — NOT all searched: see the store line` : ''}`);
      const states = readStates(dir);
      console.log(`  store      ${summary(states)}${states.wanted ? ` (${states.wanted} never searched: ${prowlarr ? 'indexer-search' : 'mam-search'} stopped early, account safety limit or per-run cap)` : ''}`);
      for (const s of stages as StageTiming[]) console.log(`  stage ${s.node.padEnd(7)} ${(s.ms / 1000).toFixed(2).padStart(6)} s wall, ${(s.cpuMs / 1000).toFixed(2).padStart(6)} s CPU (Node-RED process), ${s.size} items out`);
      console.log(`  Node-RED process peak RSS during the run ${mb(peak)} (VmHWM so far ${mb(child.rss().peak)}); simulators' CPU in the bench process ${((simCpu.user + simCpu.system) / 1e6).toFixed(2)} s`);
    }
  } finally {
    clearInterval(sampler);
    await child.kill();
    await Promise.all([abs.close(), mam.close(), meta.close(), qbit?.close(), prowlarr?.close()]);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
