// `npm run bench indexer-title`: the release-title parser on each labelled set of indexer titles
// (test/fixtures/indexer/release-titles*.json: the set it was tuned on, the held-out set, the
// fresh set written after the tuning): accuracy per field and per title, wrong vs unknown per
// field, the misses, and the parse rate. The tests (test/lib/indexer-title-*.test.ts) set floors.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseReleaseTitle } from '../lib/indexer/title-parse';
import { FIELDS, TITLE_SETS, loadTitles, scoreTitles, type TitleSet } from '../test/lib/indexer-title-accuracy';

// BENCH_QUIET=1: the tables without the list of misses.
const quiet = process.env.BENCH_QUIET === '1';
const sets = (Object.keys(TITLE_SETS) as TitleSet[]).filter((s) => existsSync(join(__dirname, '../test/fixtures/indexer', `${TITLE_SETS[s]}.json`)));
for (const set of sets) {
  const s = scoreTitles(loadTitles(set));
  console.log(`\n${set} set (${TITLE_SETS[set]}.json): ${s.n} titles; entirely right: ${(s.whole * 100).toFixed(1)} %`);
  console.log(`  ${'field'.padEnd(11)} ${'right'.padStart(7)}  wrong  unknown`);
  for (const f of FIELDS) console.log(`  ${f.padEnd(11)} ${(s.fields[f] * 100).toFixed(1).padStart(5)} %  ${String(s.wrong[f]).padStart(5)}  ${String(s.unknown[f]).padStart(7)}`);
  if (!quiet) for (const m of s.misses) console.log(`  miss ${m.field}: "${m.raw}" → got "${m.got}", labelled "${m.want}"`);
}
const cases = sets.flatMap((s) => loadTitles(s));
const rounds = 200;
const t0 = performance.now();
for (let i = 0; i < rounds; i++) for (const c of cases) parseReleaseTitle(c.raw, c.attrs);
const ms = performance.now() - t0;
console.log(`\nparse rate: ${Math.round((rounds * cases.length) / (ms / 1000))} titles/s`);
