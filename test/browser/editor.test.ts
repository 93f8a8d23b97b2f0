// The editor a user sees after `npm start`, in Debian's chromium: every node of the package in the
// "audiobooks" palette, every edit dialog opening without a script error or an untranslated
// label, and the abs-server Test connection button against the ABS simulator (right key and
// wrong key). Screenshots go to docs/ for the README with SCREENSHOTS=docs (else a temp folder). Needs `npm run build` first (CI does).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { startAbsSim, type AbsSim } from '../sim/abs-sim';
import { launchChromium, packageNodeTypes, requireBrowserPrerequisites, ROOT, screenshotPath, startNodeRed, waitForTray, type RunningNodeRed } from './harness';

/** Palette category from each node's .html, so config nodes (no palette entry) are told apart. */
function categoryOf(type: string): string {
  const html = readFileSync(join(ROOT, 'nodes', type, `${type}.html`), 'utf8');
  return /category:\s*'([^']+)'/.exec(html)?.[1] ?? '';
}

/** In the page: how many lines an element's text takes (text boxes whose tops differ by more than
 *  half a font size; icons are not text, so they do not count). */
const LINES = `const lines = (el) => {
  const tops = []; const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let t = walk.nextNode(); t; t = walk.nextNode()) {
    if (!t.textContent.trim()) continue;
    const r = document.createRange(); r.selectNodeContents(t);
    for (const b of r.getClientRects()) if (b.width > 0) tops.push(b.top);
  }
  const half = parseFloat(getComputedStyle(el).fontSize) / 2;
  return tops.sort((a, b) => a - b).filter((t, i, all) => i === 0 || t - all[i - 1] > half).length; }`;

describe('editor in chromium (npm start + ABS simulator)', function () {
  this.timeout(60000);
  let sim: AbsSim | undefined;
  let red: RunningNodeRed | undefined;
  let chrome: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let page: Page;
  const pageErrors: string[] = [];
  const types = packageNodeTypes();
  const paletteTypes = types.filter((t) => categoryOf(t) !== 'config');

  before(async () => {
    requireBrowserPrerequisites();
    sim = await startAbsSim();
    red = await startNodeRed();
    chrome = await launchChromium();
    page = await chrome.browser.newPage();
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    await page.goto(red.url, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector(`.red-ui-palette-node[data-palette-type="${paletteTypes[0]}"]`, { timeout: 20000 });
    // The palette fills before the flows have loaded; dialogs opened earlier are dropped.
    await page.waitForFunction(`$('.red-ui-header-toolbar').is(':visible') && !$('#red-ui-loading-progress').is(':visible')
      && !!RED.workspaces.active()`, { timeout: 20000 });
  });

  after(async () => {
    await chrome?.close();
    await red?.stop();
    await sim?.close();
  });

  it('shows every node of the package in the "audiobooks" palette category', async () => {
    const listed = await page.$$eval('#red-ui-palette-base-category-audiobooks .red-ui-palette-node', (els) =>
      els.map((e) => e.getAttribute('data-palette-type')));
    assert.deepEqual([...listed].sort(), [...paletteTypes].sort(), red?.log());
    // In the order the pipeline runs, so a new user reads it left to right, top to bottom.
    assert.deepEqual(listed, ['abs-library', 'series-gaps', 'mam-search', 'indexer-search', 'qbit-queue', 'torrent-queue', 'abs-import-watch', 'gap-store', 'mam-account-status']);
    const wrapped = await page.evaluate(`(() => { ${LINES}; return $('#red-ui-palette-base-category-audiobooks .red-ui-palette-label').get()
      .filter((e) => lines(e) > 1).map((e) => e.textContent); })()`);
    assert.deepEqual(wrapped, [], 'palette labels on two lines');
    // Collapse the core categories so the screenshot shows ours.
    await page.evaluate(`$('.red-ui-palette-category.red-ui-palette-open').not('#red-ui-palette-container-audiobooks')
      .find('.red-ui-palette-header').trigger('click')`);
    await page.waitForFunction(`$('.red-ui-palette-category.red-ui-palette-open').length === 1`);
    await new Promise((r) => setTimeout(r, 400));
    await page.screenshot({ path: screenshotPath('editor-palette.png') });
  });

  const trayOpened = (selector: string) => waitForTray(page, selector);

  async function testConnection(token: string): Promise<string> {
    await page.evaluate(`RED.editor.editConfig('', 'abs-server', '_ADD_', 'node-input')`);
    await trayOpened('#node-config-input-url');
    await page.evaluate(`$('#node-config-input-url').val('')`);
    await page.type('#node-config-input-url', sim!.url);
    await page.type('#node-config-input-token', token);
    await page.click('#node-config-abs-server-test');
    await page.waitForFunction(`/^[✓✗]/.test(document.querySelector('#node-config-abs-server-test-result').textContent)`, { timeout: 10000 });
    return page.$eval('#node-config-abs-server-test-result', (el) => el.textContent ?? '');
  }

  async function cancelConfig(): Promise<void> {
    await page.click('#node-config-dialog-cancel');
    await page.waitForSelector('#node-config-input-url', { hidden: true });
  }

  it('abs-server: Test connection with the simulator\'s key shows version and libraries', async () => {
    const before = sim!.requests.length;
    assert.equal(await testConnection(sim!.token), '✓ Audiobookshelf 2.36.0, 3 libraries');
    assert.ok(sim!.requests.slice(before).some((r) => r.path === '/api/libraries'), 'the button reached the simulator');
    await page.screenshot({ path: screenshotPath('abs-server-test.png') });
    await cancelConfig();
  });

  it('abs-server: a wrong key shows the 401 without echoing the key', async () => {
    const text = await testConnection('wrong-key-1234567890');
    assert.match(text, /^✗ .*rejected the API key \(401\)/);
    assert.ok(!text.includes('wrong-key-1234567890'));
    await cancelConfig();
    assert.deepEqual(pageErrors, []);
  });

  it('opens every node and config node without a script error, an untranslated label or a label on two lines', async () => {
    const wrapping: string[] = [];
    for (const type of types) {
      const config = categoryOf(type) === 'config';
      await page.evaluate(config
        ? `RED.editor.editConfig('', ${JSON.stringify(type)}, '_ADD_', 'node-input')`
        : `(() => { const n = { id: RED.nodes.id(), type: ${JSON.stringify(type)}, x: 300, y: 120, z: RED.workspaces.active(), wires: [] };
            RED.view.importNodes([n], { notify: false, applyNodeDefaults: true }); RED.editor.edit(RED.nodes.node(n.id)); })()`);
      const prefix = config ? 'node-config' : 'node';
      await trayOpened(`#${prefix}-input-name`);
      const labels = await page.$$eval('.red-ui-tray .form-row label', (els) => els.map((e) => (e.textContent ?? '').trim()));
      const raw = labels.filter((l) => /^[\w-]+\.[\w.-]+$/.test(l));
      assert.deepEqual(raw, [], `${type}: labels shown as i18n keys`);
      assert.ok(labels.filter(Boolean).length >= 2, `${type}: the form has labels (${labels.join(', ')})`);
      // A key missing from the catalog renders as nothing: every translated label must show text.
      const blank = await page.$$eval('.red-ui-tray .form-row label', (els) =>
        els.filter((e) => e.querySelector('[data-i18n]') && !(e.textContent ?? '').trim()).map((e) => e.getAttribute('for')));
      assert.deepEqual(blank, [], `${type}: labels without text (i18n catalog not loaded?)`);
      // The same for the words after an input ("minutes", "candidates"), shared form pieces' included.
      const silent = await page.$$eval('.red-ui-tray .form-row span[data-i18n]', (els) =>
        els.filter((e) => !(e.textContent ?? '').trim()).map((e) => e.getAttribute('data-i18n')));
      assert.deepEqual(silent, [], `${type}: translated texts that show nothing`);
      // A form label that wraps slides under its icon: every one stays on one line.
      const twoLines = await page.evaluate(`(() => { ${LINES}; return $('.red-ui-tray:last .form-row > label').get()
        .filter((e) => (e.textContent || '').trim() && lines(e) > 1).map((e) => e.textContent.trim()); })()`);
      wrapping.push(...(twoLines as string[]).map((l) => `${type}: ${l}`));
      await page.click(config ? '#node-config-dialog-cancel' : '#node-dialog-cancel');
      await page.waitForSelector(`#${prefix}-input-name`, { hidden: true, timeout: 5000 });
      if (!config) await page.evaluate(`RED.nodes.filterNodes({ type: ${JSON.stringify(type)} }).forEach((n) => RED.nodes.remove(n.id)); RED.view.redraw(true)`);
    }
    assert.deepEqual(wrapping, [], 'labels on two lines');
    assert.deepEqual(pageErrors, []);
  });

  it('torrent-queue and abs-import-watch: only the picked client\'s config field must name a config node; a flow saved without a client is qBittorrent\'s', async () => {
    const valid = await page.evaluate(`(() => {
      const z = RED.workspaces.active();
      const nodes = [
        { id: 'abgbrwqb000001', type: 'qbit-server', url: 'http://127.0.0.1:8080' },
        { id: 'abgbrwtq000001', type: 'torrent-queue', client: 'transmission', transmission: '', server: 'abgbrwqb000001', mam: '', maxPerRun: 10, x: 300, y: 200, z, wires: [[]] },
        { id: 'abgbrwtq000002', type: 'torrent-queue', client: 'qbittorrent', server: 'abgbrwqb000001', mam: '', maxPerRun: 10, x: 300, y: 260, z, wires: [[]] },
        { id: 'abgbrwaw000001', type: 'abs-import-watch', server: 'abgbrwqb000001', x: 300, y: 320, z, wires: [[]] },
        { id: 'abgbrwaw000002', type: 'abs-import-watch', client: 'deluge', server: 'abgbrwqb000001', deluge: '', x: 300, y: 380, z, wires: [[]] },
      ];
      RED.view.importNodes(nodes, { notify: false, applyNodeDefaults: true });
      const out = nodes.filter((n) => n.x).map((n) => [n.id, RED.nodes.node(n.id).valid, RED.nodes.node(n.id).client]);
      nodes.forEach((n) => RED.nodes.remove(n.id));
      RED.view.redraw(true);
      return out;
    })()`);
    assert.deepEqual(valid, [
      ['abgbrwtq000001', false, 'transmission'], ['abgbrwtq000002', true, 'qbittorrent'],
      ['abgbrwaw000001', true, 'qbittorrent'], ['abgbrwaw000002', false, 'deluge'],
    ]);
  });
});
