// The examples as a user meets them in the editor (chromium, npm start): imported one after
// the other without a "nodes already exist" conflict, no node under the canvas's left edge,
// and once deployed with empty credentials every node whose config is incomplete says what is
// missing; a Run now makes the error reach the debug sidebar as words. Needs `npm run build`.
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { exampleFiles, readFlow } from '../examples/runtime';
import { screenshotPath, startEditorSession, type EditorSession } from './harness';

describe('the examples in the editor (chromium)', function () {
  this.timeout(90000);
  let editor: EditorSession | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  // 01 first (its config nodes), then 03 (the ui-base), then the ones building on them.
  const files = exampleFiles();
  const ordered = [files.find((f) => /01-/.test(f))!, files.find((f) => /03-/.test(f))!, ...files.filter((f) => !/0[13]-/.test(f))];

  before(async () => {
    editor = await startEditorSession();
    ({ page, errors: pageErrors } = editor);
  });

  after(() => editor?.close());

  it('imports 01, 03, then 02, 04 and 05 one after the other without a conflict', async () => {
    for (const file of ordered) {
      const flow = readFlow(file);
      const conflict = await page.evaluate(`(() => {
        try { RED.view.importNodes(${JSON.stringify(flow)}, { generateIds: false, addFlow: false, notify: false }); return ''; }
        catch (err) { return String(err.code || err.message); } })()`);
      assert.equal(conflict, '', `${file}: import refused`);
      const notice = await page.evaluate(`$('.red-ui-notification:visible').text()`) as string;
      assert.doesNotMatch(notice, /already exist|duplicate/i, `${file}: ${notice}`);
      const present = await page.evaluate(`${JSON.stringify(flow.map((n) => n.id))}.filter((id) => RED.nodes.node(id) || RED.nodes.workspace(id)).length`);
      assert.equal(present, flow.length, `${file}: not every node arrived under its own id`);
    }
    assert.deepEqual(pageErrors, []);
  });

  it('draws no node under the left or top edge of the canvas', async () => {
    const cut: unknown[] = [];
    for (const file of ordered) {
      const tab = readFlow(file).find((n) => n.type === 'tab')!;
      await page.evaluate(`RED.workspaces.show(${JSON.stringify(tab.id)}); RED.view.redraw(true)`);
      await new Promise((r) => setTimeout(r, 300));
      const edges = await page.evaluate(`RED.nodes.filterNodes({ z: ${JSON.stringify(tab.id)} })
        .map((n) => ({ name: n.name || n.type, left: n.x - (n.w || 100) / 2, top: n.y - (n.h || 30) / 2 }))`) as { name: string; left: number; top: number }[];
      cut.push(...edges.filter((e) => e.left < 20 || e.top < 10).map((e) => ({ file: file.replace(/.*examples\//, ''), ...e })));
    }
    assert.deepEqual(cut, [], 'nodes at the canvas edge');
  });

  it('on deploy with empty credentials, each node whose config is incomplete says what is missing', async () => {
    const tab = readFlow(ordered[0]).find((n) => n.type === 'tab')!;
    await page.evaluate(`RED.workspaces.show(${JSON.stringify(tab.id)})`);
    // Nodes without their credentials are flagged: the editor asks once, we confirm. On a busy
    // machine the dialog can come late or the click can land before the button is ready, so
    // click until the editor is clean (the deploy done), a few times at most.
    const confirmSel = '#red-ui-deploy-dialog-confirm-deploy-deploy';
    for (let attempt = 0; attempt < 3 && await page.evaluate('RED.nodes.dirty()'); attempt++) {
      await page.click('#red-ui-header-button-deploy');
      await page.waitForFunction(`$(${JSON.stringify(`${confirmSel}:visible`)}).length > 0 || !RED.nodes.dirty()`, { timeout: 15000 }).catch(() => undefined);
      const confirm = await page.$(`${confirmSel}`);
      if (confirm && await confirm.isVisible()) await confirm.click();
      await page.waitForFunction('!RED.nodes.dirty()', { timeout: 15000 }).catch(() => undefined);
    }
    assert.equal(await page.evaluate('RED.nodes.dirty()'), false, 'the flows were not deployed');
    const badge = (id: string) => `(RED.nodes.node(${JSON.stringify(id)}).status || {}).text || ''`;
    const want: Record<string, string> = { abgnightlymam010: 'no mam_id', abgnightlylib010: 'no ABS API key', abgnightlyqbq010: 'no mam_id' };
    try {
      await page.waitForFunction(Object.entries(want).map(([id, text]) => `${badge(id)} === ${JSON.stringify(text)}`).join(' && '), { timeout: 15000 });
    } catch {
      const got = await page.evaluate(`(${JSON.stringify(Object.keys(want))}).map((id) => [id, ${badge('__ID__').replace('"__ID__"', 'id')}])`);
      assert.fail(`badges: ${JSON.stringify(got)}\n${editor?.red.log().slice(-3000)}`);
    }
    for (const text of Object.values(want)) assert.ok(text.length < 20);
    await page.evaluate(`RED.view.redraw(true)`);
    await new Promise((r) => setTimeout(r, 500));
    await page.screenshot({ path: screenshotPath('editor-missing-config.png') });
  });

  it('Run now: the error reaches the debug sidebar as a sentence, not as a folded "error: object"', async () => {
    await page.evaluate(`RED.sidebar.show('debug')`);
    await page.evaluate(`$.post('inject/abgnightlyrun010')`);
    await page.waitForFunction(`$('.red-ui-debug-msg').text().includes('the abs-server has no API key')`, { timeout: 15000 });
    const messages = await page.$$eval('.red-ui-debug-msg', (els) => els.map((e) => (e.textContent ?? '').replace(/\s+/g, ' ').trim()));
    const about = messages.filter((m) => /abs-library|no API key/.test(m));
    assert.ok(about.length >= 1, messages.join('\n'));
    for (const m of about) assert.doesNotMatch(m, /error: ?object|\[object Object\]/i, m);
    assert.deepEqual(pageErrors, []);
  });
});
