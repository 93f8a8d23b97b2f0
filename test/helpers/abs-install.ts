// Prepares the vendored Audiobookshelf 2.36.0 server (../shared/vendor/audiobookshelf, see its
// VENDORED.md) for tests: a copy with its production dependencies installed, kept in
// .tmp/abs-server/<lock hash>-<node ABI> so only the first run pays for `npm ci` (sqlite3
// builds from source, about a minute and a half). The source stays read-only.
// Run directly (`npx tsx test/helpers/abs-install.ts`) to prepare it ahead of the tests (CI).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(__dirname, '..', '..');
const READY = '.abg-ready';

/** Where the vendored server is: ABS_SERVER_SOURCE, else ../shared/vendor/audiobookshelf. */
export function absSource(): string {
  const candidates = [process.env.ABS_SERVER_SOURCE, join(REPO, '..', 'shared', 'vendor', 'audiobookshelf')].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(join(p, 'index.js')) && existsSync(join(p, 'package-lock.json')));
  if (!found) throw new Error(`Audiobookshelf server source not found (looked in ${candidates.join(', ')}); set ABS_SERVER_SOURCE to the vendored audiobookshelf folder`);
  return found;
}

/** The installed copy's folder; installs it when missing. Returns how long that took. */
export function ensureAbsInstalled(log: (line: string) => void = () => {}): { dir: string; installMs: number } {
  const source = absSource();
  const lockHash = createHash('sha256').update(readFileSync(join(source, 'package-lock.json'))).digest('hex').slice(0, 16);
  // Native modules (sqlite3) are built for one Node ABI: a different Node needs its own copy.
  const root = process.env.ABS_SERVER_DIR ?? join(REPO, '.tmp', 'abs-server');
  const dir = join(root, `${lockHash}-node${process.versions.modules}`);
  if (existsSync(join(dir, READY))) return { dir, installMs: 0 };
  const started = Date.now();
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  cpSync(source, partial, { recursive: true });
  log(`installing the Audiobookshelf server in ${dir} (npm ci --omit=dev, once per lock file)`);
  execFileSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: partial, stdio: ['ignore', 'ignore', 'pipe'] });
  writeFileSync(join(partial, READY), new Date().toISOString());
  // Another run finished first (and may be running from it): use that one, never replace it.
  if (existsSync(join(dir, READY))) {
    rmSync(partial, { recursive: true, force: true });
    return { dir, installMs: Date.now() - started };
  }
  // Rename last, so an interrupted install is never mistaken for a finished one.
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return { dir, installMs: Date.now() - started };
}

if (require.main === module) {
  const { dir, installMs } = ensureAbsInstalled((line) => console.log(line));
  console.log(installMs ? `Audiobookshelf server installed in ${(installMs / 1000).toFixed(1)} s: ${dir}` : `Audiobookshelf server already installed: ${dir}`);
}
