// `npm run demo` seen in chromium: once the demo reports its first confirmed import, the
// Dashboard 2.0 pages show filled tables (series completion, wanted books, downloads with their
// import state). Screenshots go to docs/ for the README with SCREENSHOTS=docs (else a temp folder). Needs `npm run build` first (CI does),
// and qbittorrent-nox + mktorrent like the demo itself.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { launchChromium, requireBrowserPrerequisites, ROOT, screenshotPath } from './harness';

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
    // What `npm run demo` runs after its build step (CI has built already).
    demo = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'demo.ts')], {
      cwd: ROOT,
      env: { ...process.env, PORT: '0', ABG_DEMO_DIR: demoDir },
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
    // PORT=0: the demo picks a free port once qBittorrent has its own, and prints the editor URL.
    base = /Node-RED editor\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
    assert.ok(base, `the demo printed no editor URL:\n${output}`);
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

  /** Opens a dashboard page and waits until its first table's rows (cell texts) pass `ready`. */
  async function tableRows(path: string, ready: string, what: string): Promise<string[][]> {
    await page.goto(`${base}/dashboard/${path}`, { waitUntil: 'domcontentloaded' });
    const rowsJs = `[...document.querySelectorAll('table')][0]
      ? [...[...document.querySelectorAll('table')][0].querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim()))
      : []`;
    try {
      await page.waitForFunction(`((rows) => rows.length > 0 && (${ready})(rows))(${rowsJs})`, { timeout: 30000 });
    } catch {
      throw new Error(`${path}: ${what}; the table shows ${JSON.stringify(await page.evaluate(rowsJs))}\n${output.slice(-2000)}`);
    }
    return page.evaluate(rowsJs) as Promise<string[][]>;
  }

  // The demo library owns Mistborn 1, 2, 4, 7 and The Expanse 1, 1.5, 2, 4; MAM has Mistborn 3
  // and 5 and Expanse 3, and only a German Mistborn 6. Once the three are imported:
  it('Downloads: the three books the demo queued show as imported', async () => {
    const rows = await tableRows('downloads', `(rows) => rows.length === 3 && rows.every((r) => r[3] === 'imported')`, 'three imported downloads');
    assert.deepEqual(rows.map((r) => r[2]).sort(), ['3', '3', '5']);
    await page.screenshot({ path: screenshotPath('dashboard-downloads.png') });
  });

  it('Series: imported books count as owned at once; Missing keeps only what is still missing, with its state', async () => {
    const rows = await tableRows('series', `(rows) => rows.some((r) => r[0] === 'Mistborn' && r[3] === '6 (not_found)')`, 'Mistborn missing only #6 (not found)');
    const mistborn = rows.find((r) => r[0] === 'Mistborn')!;
    const expanse = rows.find((r) => r[0] === 'The Expanse')!;
    assert.deepEqual(mistborn.slice(0, 5), ['Mistborn', 'Brandon Sanderson', '6', '6 (not_found)', '≥ 7']);
    assert.deepEqual(expanse.slice(0, 5), ['The Expanse', 'James S. A. Corey', '5', '', '≥ 4']);
    assert.deepEqual(rows.filter((r) => r[4] === '?'), [], 'a Total of "?"');
    await page.screenshot({ path: screenshotPath('dashboard.png') });
  });

  it('Wanted: all four wanted books with their state: the one still missing first, the imported ones after', async () => {
    const rows = await tableRows('wanted', `(rows) => rows.length === 4`, 'four wanted books');
    assert.deepEqual(rows.map((r) => [r[1], r[2], r[4]]), [['Mistborn', '6', 'not_found'], ...rows.slice(1).map((r) => [r[1], r[2], 'imported'])]);
    assert.match(rows[0][5], /none acceptable/, `the not-found reason is shown: ${JSON.stringify(rows[0])}`);
    await page.screenshot({ path: screenshotPath('dashboard-wanted.png') });
  });
});
