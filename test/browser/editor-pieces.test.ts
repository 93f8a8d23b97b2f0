// The form pieces several editors share (resources/editor-pieces.js) as a user meets them in
// chromium after `npm start`: the Client select of torrent-queue and abs-import-watch shows only
// the picked client's config field and saves the pick; the ranking form of mam-search and
// indexer-search has the same rows and words in both, each node's own defaults, saves what is
// typed and refuses a bad number; the queue options of qbit-queue and torrent-queue save too.
// A broken or missing shared script turns these red. Needs `npm run build` first (CI does).
import assert from 'node:assert/strict';
import type { Page } from 'puppeteer-core';
import { startEditorSession, waitForTray, type EditorSession } from './harness';

describe('shared editor form pieces in chromium (npm start)', function () {
  this.timeout(60000);
  let editor: EditorSession | undefined;
  let page: Page;
  let pageErrors: string[] = [];
  const QBIT = 'abgpiecqb00001';
  const MAM = 'abgpiecmam0001';

  before(async () => {
    editor = await startEditorSession();
    ({ page, errors: pageErrors } = editor);
    // Config nodes for the required fields, so `valid` speaks of the shared fields only.
    await page.evaluate(`RED.view.importNodes([{ id: '${QBIT}', type: 'qbit-server', url: 'http://127.0.0.1:8080' },
      { id: '${MAM}', type: 'mam-account' }], { notify: false, applyNodeDefaults: true })`);
  });

  after(() => editor?.close());

  afterEach(() => assert.deepEqual(pageErrors.splice(0), []));

  /** Adds a node (the type's defaults under `props`; a null prop is left out, as in a flow saved
   *  before it existed) and opens its edit dialog; returns its id. */
  async function edit(type: string, props: Record<string, unknown> = {}): Promise<string> {
    const id = await page.evaluate(`(() => { const props = ${JSON.stringify(props)};
      const n = { id: RED.nodes.id(), type: ${JSON.stringify(type)}, x: 300, y: 120, z: RED.workspaces.active(), wires: [], ...props };
      RED.view.importNodes([n], { notify: false, applyNodeDefaults: true });
      Object.keys(props).filter((k) => props[k] === null).forEach((k) => delete RED.nodes.node(n.id)[k]);
      RED.editor.edit(RED.nodes.node(n.id)); return n.id; })()`) as string;
    await waitForTray(page, '#node-input-name');
    return id;
  }

  async function reopen(id: string): Promise<void> {
    await page.evaluate(`RED.editor.edit(RED.nodes.node(${JSON.stringify(id)}))`);
    await waitForTray(page, '#node-input-name');
  }

  async function close(button: 'ok' | 'cancel'): Promise<void> {
    await page.click(`#node-dialog-${button}`);
    await page.waitForSelector('#node-input-name', { hidden: true, timeout: 5000 });
  }

  function saved(id: string, props: string[]): Promise<Record<string, unknown>> {
    return page.evaluate(`(() => { const n = RED.nodes.node(${JSON.stringify(id)});
      return Object.fromEntries(${JSON.stringify(props)}.map((p) => [p, n[p]]).concat([['valid', n.valid]])); })()`) as Promise<Record<string, unknown>>;
  }

  const shownRows = (type: string) => page.evaluate(`['server', 'transmission', 'deluge']
    .filter((f) => $('#${type}-row-' + f).is(':visible'))`) as Promise<string[]>;

  for (const type of ['torrent-queue', 'abs-import-watch']) {
    it(`${type}: the Client select shows only the picked client's config field and saves the pick`, async () => {
      const id = await edit(type, { client: 'transmission' });
      assert.equal(await page.$eval('#node-input-client', (e) => (e as HTMLSelectElement).value), 'transmission');
      assert.deepEqual(await page.$$eval('#node-input-client option', (els) => els.map((e) => e.textContent)), ['qBittorrent', 'Transmission', 'Deluge']);
      assert.deepEqual(await shownRows(type), ['transmission']);
      await page.select('#node-input-client', 'deluge');
      assert.deepEqual(await shownRows(type), ['deluge']);
      // Each field is a config-node select of its own type, with Node-RED's "Add new" entry.
      assert.equal(await page.$$eval('#node-input-deluge option', (els) => els.map((e) => (e as HTMLOptionElement).value).pop()), '_ADD_');
      await close('ok');
      assert.deepEqual(await saved(id, ['client']), { client: 'deluge', valid: false });

      // A flow saved before the choice existed (no `client`): the qBittorrent field.
      const old = await edit(type, { client: null, server: QBIT });
      assert.deepEqual(await shownRows(type), ['server']);
      assert.equal(await page.$eval('#node-input-client', (e) => (e as HTMLSelectElement).value), 'qbittorrent');
      assert.equal(await page.$eval('#node-input-server', (e) => (e as HTMLSelectElement).value), QBIT);
      await close('cancel');
      assert.equal((await saved(old, [])).valid, true, 'a qBittorrent node with its config node is valid');
      if (type === 'torrent-queue') {
        const labels = await page.evaluate(`[${JSON.stringify(id)}, ${JSON.stringify(old)}].map((i) => RED.utils.getNodeLabel(RED.nodes.node(i)))`);
        assert.deepEqual(labels, ['queue in Deluge', 'queue in qBittorrent']);
      }
      await page.evaluate(`RED.nodes.remove(${JSON.stringify(id)}); RED.nodes.remove(${JSON.stringify(old)}); RED.view.redraw(true)`);
    });
  }

  const RANKING = ['formats', 'titleThreshold', 'allowOmnibus', 'allowAbridged', 'allowDramatised', 'allowTranslation', 'maxSearches',
    'cacheHours', 'retryDays', 'candidatesPerGap', 'minMiBPerHour', 'maxMiBPerHour', 'minMiB', 'maxMiB', 'weights'];

  /** The ranking rows as the user sees them: each row's words and its inputs, from Formats on. */
  const rankingRows = () => page.evaluate(`(() => { const rows = $('#dialog-form .form-row').filter((i, r) => $(r).find('input').length).get();
    return rows.slice(rows.findIndex((r) => $(r).find('#node-input-formats').length))
      .map((r) => [r.textContent.replace(/\\s+/g, ' ').trim(), $(r).find('input').map((i, e) => e.id + ':' + e.type).get().join(' ')]); })()`) as Promise<string[][]>;

  it('mam-search and indexer-search: the same ranking form, each node\'s defaults, saved as typed, a bad number refused', async () => {
    const forms: Record<string, string[][]> = {};
    for (const [type, maxSearches] of [['mam-search', 30], ['indexer-search', 60]] as const) {
      const id = await edit(type, type === 'mam-search' ? { account: MAM } : {});
      assert.deepEqual(await saved(id, ['formats', 'maxSearches', 'titleThreshold', 'maxMiB', 'weights']),
        { formats: 'm4b, m4a, mp3', maxSearches, titleThreshold: 0.8, maxMiB: 6144, weights: '', valid: true }, type);
      forms[type] = await rankingRows();
      await page.evaluate(`$('#node-input-formats').val('m4b'); $('#node-input-titleThreshold').val('0.9');
        $('#node-input-allowAbridged').prop('checked', true); $('#node-input-cacheHours').val('2'); $('#node-input-minMiB').val('');
        $('#node-input-weights').val('{"format":40}'); $('#node-input-retryDays').val('2, 4')`);
      await close('ok');
      assert.deepEqual(await saved(id, ['formats', 'titleThreshold', 'allowAbridged', 'allowOmnibus', 'cacheHours', 'minMiB', 'weights', 'retryDays']),
        { formats: 'm4b', titleThreshold: '0.9', allowAbridged: true, allowOmnibus: false, cacheHours: '2', minMiB: '', weights: '{"format":40}', retryDays: '2, 4', valid: true }, type);
      await reopen(id);
      assert.equal(await page.$eval('#node-input-titleThreshold', (e) => (e as HTMLInputElement).value), '0.9', 'reopened with the saved value');
      await page.evaluate(`$('#node-input-maxMiBPerHour').val('lots')`);
      await close('ok');
      assert.deepEqual(await saved(id, ['maxMiBPerHour']), { maxMiBPerHour: 'lots', valid: false }, `${type}: a bad number is refused`);
      await page.evaluate(`RED.nodes.remove(${JSON.stringify(id)}); RED.view.redraw(true)`);
    }
    assert.equal(forms['mam-search'].length, 9, JSON.stringify(forms['mam-search']));
    assert.deepEqual(forms['indexer-search'], forms['mam-search']);
    assert.deepEqual(RANKING.filter((f) => !forms['mam-search'].some((r) => r[1].includes(`node-input-${f}:`))), [], 'fields missing from the form');
  });

  it('qbit-queue and torrent-queue: the queue options save as typed; Per run must be a number', async () => {
    const placeholders: string[] = [];
    for (const type of ['qbit-queue', 'torrent-queue']) {
      const id = await edit(type, { server: QBIT });
      placeholders.push(await page.$eval('#node-input-savePath', (e) => (e as HTMLInputElement).placeholder));
      assert.ok(await page.$('#node-input-mam + .red-ui-button, #node-input-mam ~ a'), `${type}: the MAM field is a config-node select`);
      await page.evaluate(`$('#node-input-tags').val('kids'); $('#node-input-maxPerRun').val('4'); $('#node-input-dryRun').prop('checked', true)`);
      await close('ok');
      const props = await saved(id, ['tags', 'maxPerRun', 'dryRun', 'paused', 'category', 'requireApproval']);
      assert.deepEqual(props, { tags: 'kids', maxPerRun: '4', dryRun: true, paused: false, category: 'audiobooks', requireApproval: false, valid: true }, type);
      await reopen(id);
      await page.evaluate(`$('#node-input-maxPerRun').val('four')`);
      await close('ok');
      assert.deepEqual(await saved(id, ['maxPerRun']), { maxPerRun: 'four', valid: false }, `${type}: Per run must be a number`);
      await page.evaluate(`RED.nodes.remove(${JSON.stringify(id)}); RED.view.redraw(true)`);
    }
    // Each node's own catalog words (the shared rows name the node's keys).
    assert.deepEqual(placeholders, ["qBittorrent's default (or the category's)", "the client's default"]);
  });
});
