// npm run mutate [-- lib/gaps lib/store …]: one Stryker run per module (all of them without
// arguments), each with only its own tests, then the mutation score of each module.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { MODULES, slug } from './mutate-modules.mjs';

const asked = process.argv.slice(2).map((a) => a.replace(/\/+$/, ''));
const unknown = asked.filter((a) => !MODULES[a]);
if (unknown.length) {
  console.error(`mutate: unknown module "${unknown[0]}" (one of ${Object.keys(MODULES).join(', ')})`);
  process.exit(2);
}
const names = asked.length ? asked : Object.keys(MODULES);
const rows = [];
for (const name of names) {
  console.log(`\n=== mutate ${name} ===`);
  const run = spawnSync('npx', ['stryker', 'run', 'stryker.config.mjs'], { stdio: 'inherit', env: { ...process.env, MUTATE_MODULE: name } });
  rows.push({ name, ...(run.status === 0 ? score(name) : { error: `stryker exited with ${run.status}` }) });
}

console.log('\nmodule            killed  survived  no cov  timeout  score');
for (const r of rows) {
  if (r.error) console.log(`${r.name.padEnd(17)} ${r.error}`);
  else console.log(`${r.name.padEnd(17)} ${String(r.killed).padStart(6)}  ${String(r.survived).padStart(8)}  ${String(r.noCoverage).padStart(6)}  ${String(r.timeout).padStart(7)}  ${r.score.toFixed(1)} %`);
}
process.exit(rows.some((r) => r.error) ? 1 : 0);

/**
 * Counts from Stryker's JSON report (mutation-testing-report-schema), and the survivors as a
 * Markdown list (reports/mutation/<module>.survivors.md) to explain or kill in docs/mutation.md.
 */
function score(name) {
  const report = JSON.parse(readFileSync(`reports/mutation/${slug(name)}.json`, 'utf8'));
  const c = { Killed: 0, Survived: 0, NoCoverage: 0, Timeout: 0 };
  const survivors = [];
  for (const [path, file] of Object.entries(report.files)) {
    const lines = file.source.split('\n');
    for (const m of file.mutants) {
      if (m.status in c) c[m.status]++;
      if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
      const { start, end } = m.location;
      const original = start.line === end.line ? lines[start.line - 1].slice(start.column - 1, end.column - 1) : `${lines[start.line - 1].slice(start.column - 1)}…`;
      survivors.push(`- \`${path}:${start.line}\` ${m.mutatorName}${m.status === 'NoCoverage' ? ' (no coverage)' : ''}: \`${clip(original)}\` → \`${clip(m.replacement ?? '')}\``);
    }
  }
  writeFileSync(`reports/mutation/${slug(name)}.survivors.md`, `# Surviving mutants: ${name}\n\n${survivors.join('\n')}\n`);
  const detected = c.Killed + c.Timeout;
  const valid = detected + c.Survived + c.NoCoverage;
  return { killed: c.Killed, survived: c.Survived, noCoverage: c.NoCoverage, timeout: c.Timeout, score: valid ? (100 * detected) / valid : 100 };
}

function clip(text) {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 70 ? `${one.slice(0, 67)}…` : one;
}
