// Mutation testing (npm run mutate): Stryker changes one operator or literal at a time in a
// module and runs that module's tests; a mutant that no test notices is a rule no test guards.
// MUTATE_MODULE picks the module (scripts/mutate.mjs sets it; see scripts/mutate-modules.mjs).
import { MODULES, slug } from './scripts/mutate-modules.mjs';

const name = process.env.MUTATE_MODULE ?? 'lib/gaps';
const mod = MODULES[name];
if (!mod) throw new Error(`stryker: unknown module "${name}" (one of ${Object.keys(MODULES).join(', ')})`);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'mocha',
  // The mocha runner reads .mocharc.cjs (it loads tsx); spec narrows it to the module's tests.
  mochaOptions: { config: '.mocharc.cjs', spec: mod.spec },
  // MUTATE_CHECK=off skips the type check of each mutant (much faster on a loaded machine);
  // a mutant that would not compile then counts as killed or survived by the tests instead.
  checkers: process.env.MUTATE_CHECK === 'off' ? [] : ['typescript'],
  // lib/ alone: a mutant that does not compile is caught there; checking tests and nodes too
  // made each check several seconds on 2 cores.
  tsconfigFile: 'tsconfig.mutate.json',
  // Type-check only the mutated file's dependents, not the whole project, per mutant.
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // A mutant in a module-level constant needs every test re-run in a fresh process: minutes
  // each on 2 cores. They are skipped (counted as "ignored" in the report, listed in docs).
  ignoreStatic: true,
  mutate: mod.mutate,
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 2),
  // A mutant that loops forever is a kill (timeout); a short limit keeps such runs brief.
  timeoutMS: 5000,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: `reports/mutation/${slug(name)}.json` },
  clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true },
  // One sandbox folder per module, so that two modules can be measured at once.
  tempDirName: `.stryker-tmp-${slug(name)}`,
  ignorePatterns: ['.stryker-tmp*', 'reports'],
  cleanTempDir: true,
};
