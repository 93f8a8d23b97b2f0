// `npm run bench indexer-title`: the release-title parser on the labelled indexer titles
// (test/fixtures/indexer/release-titles.json): accuracy per field and per title, the misses,
// and the parse rate. The test (test/lib/indexer-title-parse.test.ts) fails below 90 %.
import { performance } from 'node:perf_hooks';
import { parseReleaseTitle } from '../lib/indexer/title-parse';
import { FIELDS, loadTitles, scoreTitles } from '../test/lib/indexer-title-accuracy';

const cases = loadTitles();
const s = scoreTitles(cases);
console.log(`titles: ${s.n}; entirely right: ${(s.whole * 100).toFixed(1)} %`);
for (const f of FIELDS) console.log(`  ${f.padEnd(11)} ${(s.fields[f] * 100).toFixed(1)} %`);
for (const m of s.misses) console.log(`  miss ${m.field}: "${m.raw}" → got "${m.got}", labelled "${m.want}"`);
const rounds = 200;
const t0 = performance.now();
for (let i = 0; i < rounds; i++) for (const c of cases) parseReleaseTitle(c.raw, c.attrs);
const ms = performance.now() - t0;
console.log(`parse rate: ${Math.round((rounds * cases.length) / (ms / 1000))} titles/s`);
