// `npm run demo` seen in chromium: once the demo reports its first confirmed import, the
// Dashboard 2.0 pages show filled tables (series completion, wanted books, downloads with their
// import state). Screenshots go to docs/ for the README. Needs `npm run build` first (CI does),
// and qbittorrent-nox + mktorrent like the demo itself.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { freePort, launchChromium, requireBrowserPrerequisites, ROOT } from './harness';

function requireCommand(name: string): void {
  if (spawnSync('sh', ['-c', `command -v ${name}`]).status !== 0) throw new Error(`${name} is missing: install it with \`apt-get install ${name}\` (CI does)`);
}

describe('dashboard of npm run demo in chromium', function () {
  this.timeout(120000);
  let demo: ChildProcess | undefined;
  let demoDir = '';
  let output = '';
  let chrome: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;
  let base = '';

  before(async () => {
    requireBrowserPrerequisites();
    requireCommand('qbittorrent-nox');
    requireCommand('mktorrent');
    demoDir = mkdtempSync(join(tmpdir(), 'abg-demo-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // What `npm run demo` runs after its build step (CI has built already).
    demo = spawn(process.execPath, [require.resolve('tsx/cli'), join(ROOT, 'scripts', 'demo.ts')], {
      cwd: ROOT,
      env: { ...process.env, PORT: String(port), ABG_DEMO_DIR: demoDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    demo.stdout?.on('data', (b: Buffer) => { output += b.toString(); });
    demo.stderr?.on('data', (b: Buffer) => { output += b.toString(); });
    const deadline = Date.now() + 90000;
    while (!/first import confirmed/.test(output)) {
      if (demo.exitCode !== null) throw new Error(`the demo exited early:\n${output}`);
      if (Date.now() > deadline) throw new Error(`the demo confirmed no import within 90 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    chrome = await launchChromium();
    page = await chrome.browser.newPage();
  });

  after(async () => {
    await chrome?.close();
    if (demo && demo.exitCode === null) {
      const exited = new Promise((r) => demo!.once('exit', r));
      demo.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15000))]);
      if (demo.exitCode === null) demo.kill('SIGKILL');
    }
    if (demoDir) rmSync(demoDir, { recursive: true, force: true });
  });

  /** Opens a dashboard page and waits until each of its tables has at least one row. */
  async function tableTexts(path: string): Promise<string[]> {
    await page.goto(`${base}/dashboard/${path}`, { waitUntil: 'domcontentloaded' });
    await page.waitForFunction(`(() => { const t = [...document.querySelectorAll('table')];
      return t.length > 0 && t.every((x) => x.querySelectorAll('tbody tr td').length > 1); })()`, { timeout: 20000 });
    return page.$$eval('table', (tables) => tables.map((t) => (t.textContent ?? '').replace(/\s+/g, ' ')));
  }

  it('Series: the completion table lists the simulated library\'s series with their missing books', async () => {
    const [series] = await tableTexts('series');
    assert.match(series, /Mistborn/);
    assert.match(series, /The Expanse/);
    await page.screenshot({ path: join(ROOT, 'docs', 'dashboard.png') });
  });

  it('Wanted: the wanted books table has rows with their state', async () => {
    const [wanted] = await tableTexts('wanted');
    assert.match(wanted, /wanted|not_found|queued|downloading|completed|imported|unreleased|found/);
  });

  it('Downloads: the downloads the demo queued show as imported', async () => {
    const [downloads] = await tableTexts('downloads');
    assert.match(downloads, /imported/);
    await page.screenshot({ path: join(ROOT, 'docs', 'dashboard-downloads.png') });
  });
});
