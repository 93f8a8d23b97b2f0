// `npm run bench`: runs every bench/*.bench.ts (or the ones named on the command line) in
// its own process and lets each print its numbers. Not a pass/fail test.
const { readdirSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const dir = join(__dirname, '..', 'bench');
const wanted = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (!wanted.length || wanted.some((w) => f.includes(w))));
let failed = 0;
for (const file of files.sort()) {
  console.log(`\n## ${file}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(dir, file)], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
