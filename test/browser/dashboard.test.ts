// `npm run demo` seen in chromium: once the demo reports its first confirmed import, the
// Dashboard 2.0 pages show filled tables (series completion, wanted books, downloads with their
// import state) at desktop (1280 px) and phone (400 px) width; the Wanted buttons answer with a toast. Screenshots go to docs/ for the README with SCREENSHOTS=docs (else a temp folder). Needs `npm run build` first (CI does),
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

  /** The cell texts of the page's first table, read from the cell content (a stacked card also shows the column title). */
  const rowsJs = `[...(document.querySelector('table') || { querySelectorAll: () => [] }).querySelectorAll('tbody tr')]
    .map((tr) => [...tr.querySelectorAll('td')].map((td) => ((td.querySelector('.nrdb-table-cell-align') || td).textContent || '').trim()))`;

  /** Opens a dashboard page at `width` px and waits until its first table's rows pass `ready`. */
  async function tableRows(path: string, width: number, ready: string, what: string): Promise<string[][]> {
    await page.setViewport({ width, height: width < 600 ? 860 : 800 });
    await page.goto(`${base}/dashboard/${path}`, { waitUntil: 'domcontentloaded' });
    try {
      await page.waitForFunction(`((rows) => rows.length > 0 && (${ready})(rows))(${rowsJs})`, { timeout: 30000 });
    } catch {
      throw new Error(`${path} at ${width} px: ${what}; the table shows ${JSON.stringify(await page.evaluate(rowsJs))}\n${output.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 300));
    return page.evaluate(rowsJs) as Promise<string[][]>;
  }

  /** At phone width: nothing wider than the screen, tables stacked as cards, key column first. */
  async function assertPhoneLayout(path: string, firstTitle: string): Promise<void> {
    const layout = await page.evaluate(`(() => {
      const table = document.querySelector('table');
      const firstCard = table.querySelector('tbody tr');
      const titles = [...firstCard.querySelectorAll('td')].map((td) => (td.firstElementChild && td.firstElementChild.matches('div:not(.nrdb-table-cell-align)') ? td.firstElementChild.textContent.trim() : null));
      const visible = [...document.querySelectorAll('.v-btn, td')].filter((e) => e.getBoundingClientRect().width > 0);
      return {
        scroll: document.documentElement.scrollWidth,
        beyond: visible.filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).length,
        titles,
        cardHeights: [...table.querySelectorAll('tbody tr')].map((tr) => Math.round(tr.getBoundingClientRect().height)),
      };
    })()`) as { scroll: number; beyond: number; titles: (string | null)[]; cardHeights: number[] };
    assert.ok(layout.scroll <= 400, `${path}: the page is ${layout.scroll} px wide at 400 px`);
    assert.equal(layout.beyond, 0, `${path}: cells or buttons past the right edge`);
    assert.equal(layout.titles[0], firstTitle, `${path}: stacked cards start with the key column (${JSON.stringify(layout.titles)})`);
    // A card fits on one phone screen (860 px here), however long the reason it shows.
    for (const h of layout.cardHeights) assert.ok(h <= 760, `${path}: a card ${h} px tall`);
  }

  // The demo library owns Mistborn 1, 2, 4, 7 and The Expanse 1, 1.5, 2, 4; MAM has Mistborn 3
  // and 5 and Expanse 3, and only a German Mistborn 6. Once the three are imported:
  for (const width of [1280, 400]) {
    const suffix = width === 400 ? '-phone' : '';
    describe(`at ${width} px`, () => {
      it('Downloads: the three books the demo queued, named by title (never the torrent), imported', async () => {
        const rows = await tableRows('downloads', width, `(rows) => rows.length === 3 && rows.every((r) => r[1] === 'imported')`, 'three imported downloads');
        assert.deepEqual(rows.map((r) => r[0]).sort(), ['Mistborn #3', 'Mistborn #5', 'The Expanse #3']);
        if (width === 400) await assertPhoneLayout('downloads', 'Book');
        await page.screenshot({ path: screenshotPath(`dashboard-downloads${suffix}.png`), fullPage: true });
      });

      it('Series: owned + missing = total, novellas apart, a number beside each bar', async () => {
        const rows = await tableRows('series', width, `(rows) => rows.some((r) => r[0] === 'Mistborn' && r[1] === '6')`, 'Mistborn owning 6');
        const mistborn = rows.find((r) => r[0] === 'Mistborn')!;
        const expanse = rows.find((r) => r[0] === 'The Expanse')!;
        // Series | Owned | Missing | Total | Complete (bar) | % | Missing books | Novellas
        assert.deepEqual([mistborn[1], mistborn[2], mistborn[3], mistborn[5], mistborn[6]], ['6', '1', '≥ 7', '86%', '#6 (not found)']);
        assert.deepEqual([expanse[1], expanse[2], expanse[3], expanse[5], expanse[7]], ['4', '0', '≥ 4', '100%', '#1.5 owned']);
        if (width === 400) await assertPhoneLayout('series', 'Series');
        await page.screenshot({ path: screenshotPath(`dashboard${suffix}.png`), fullPage: true });
      });

      it('Wanted: only the buttons a book\'s state allows; imported books have none', async () => {
        const rows = await tableRows('wanted', width, `(rows) => rows.length === 4`, 'four wanted books');
        // Book | State | Why | Next search | retry | toggle
        assert.deepEqual(rows.map((r) => [r[0], r[1]]), [['Mistborn #6', 'not found'], ...rows.slice(1).map((r) => [r[0], 'in the library'])]);
        assert.match(rows[0][2], /none acceptable/, `the not-found reason is shown: ${JSON.stringify(rows[0])}`);
        const buttons = await page.evaluate(`[...document.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('.v-btn')]
          .filter((b) => b.getBoundingClientRect().width > 0).map((b) => b.textContent.trim().toLowerCase()))`) as string[][];
        assert.deepEqual(buttons, [['retry', 'ignore'], [], [], []]);
        if (width === 400) await assertPhoneLayout('wanted', 'Book');
        await page.screenshot({ path: screenshotPath(`dashboard-wanted${suffix}.png`), fullPage: true });
      });

      // After the checks above: pressing buttons changes the store.
      if (width === 400) {
        it('Wanted at 400 px: Ignore and Unignore answer with a toast in words and swap the button', async () => {
          await tableRows('wanted', 400, `(rows) => rows.length === 4`, 'four wanted books');
          const press = async (label: string, toast: RegExp) => {
            await page.evaluate(`[...document.querySelectorAll('tbody tr .v-btn')].find((b) => b.textContent.trim().toLowerCase() === ${JSON.stringify(label)}).click()`);
            await page.waitForFunction(`${toast}.test(document.body.innerText)`, { timeout: 10000 });
            assert.doesNotMatch(await page.evaluate('document.body.innerText') as string, /series:|brandon sanderson#/, 'a store key in the page');
          };
          await press('ignore', /“Mistborn #6” is ignored/);
          await page.waitForFunction(`[...document.querySelectorAll('tbody tr .v-btn')].some((b) => b.textContent.trim().toLowerCase() === 'unignore')`, { timeout: 10000 });
          await new Promise((r) => setTimeout(r, 800)); // the toast fades in
          await page.screenshot({ path: screenshotPath('dashboard-wanted-toast-phone.png'), fullPage: true });
          await press('unignore', /“Mistborn #6” is wanted again/);
        });
      }
    });
  }
});
