// Every example flow (examples/**/*.json, shown under Import → Examples) loads in the Node-RED
// runtime with this package's nodes and the Dashboard 2.0 nodes, and its wiring follows the
// message contracts of lib/types.ts. Node-RED 4.1 here (CI runs test/nodes on Node-RED 5).
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { helper, tempStoreDir, withStore } from '../helpers/node-red';
import { forgetStores } from '../../lib/store/store';
import { allExamples, allModules, CORE, dashTypes, exampleFiles, ourTypes, readFlow as read, ROOT as root, type FlowNode } from './runtime';

const files = exampleFiles();
/** Every node of every example: a user imports them side by side, sharing one config set. */
const everything = new Map(allExamples().map((n) => [n.id, n]));

// What each of our nodes sends on each output, and what it needs on its input ('any' = a trigger).
const OUTPUT: Record<string, string[]> = {
  'abs-library': ['Book[]'], 'series-gaps': ['Gap[]'], 'mam-search': ['Candidate[]', 'NotFound[]'], 'indexer-search': ['Candidate[]', 'NotFound[]'],
  'qbit-queue': ['Download[]'], 'torrent-queue': ['Download[]'], 'abs-import-watch': ['ImportEvent'], 'gap-store': ['WantedRow[]'],
};
const INPUT: Record<string, string> = {
  'abs-library': 'any', 'series-gaps': 'Book[]', 'mam-search': 'Gap[]', 'indexer-search': 'Gap[]', 'qbit-queue': 'Candidate[]', 'torrent-queue': 'Candidate[]', 'abs-import-watch': 'any', 'gap-store': 'any',
};
// Config references each node type must carry, and the type they point at.
const CONFIG_REFS: Record<string, Record<string, string>> = {
  'abs-library': { server: 'abs-server' }, 'mam-search': { account: 'mam-account' }, 'indexer-search': { prowlarr: 'prowlarr-server' }, 'qbit-queue': { server: 'qbit-server', mam: 'mam-account' },
  'torrent-queue': { mam: 'mam-account' }, 'abs-import-watch': { abs: 'abs-server' }, 'ui-page': { ui: 'ui-base', theme: 'ui-theme' }, 'ui-group': { page: 'ui-page' },
  'ui-table': { group: 'ui-group' }, 'ui-chart': { group: 'ui-group' }, 'ui-button': { group: 'ui-group' }, 'ui-notification': { ui: 'ui-base' },
};
/** A node that picks its client (torrent-queue, abs-import-watch) points the picked client's field at that client's config node. */
const CLIENT_FIELD: Record<string, [string, string]> = { qbittorrent: ['server', 'qbit-server'], transmission: ['transmission', 'transmission-server'], deluge: ['deluge', 'deluge-server'] };
function configRefs(n: FlowNode): Record<string, string> {
  const refs = { ...(CONFIG_REFS[n.type] ?? {}) };
  if (n.type === 'torrent-queue' || n.type === 'abs-import-watch') {
    const [field, type] = CLIENT_FIELD[String(n.client ?? 'qbittorrent')];
    refs[field] = type;
    // Without a MAM account torrent-queue fetches only indexer-search's finds (through their server node).
    if (n.type === 'torrent-queue' && n.mam === '') delete refs.mam;
  }
  return refs;
}
const SECRET_NAMES = /^(token|apikey|api_key|password|pass|mamid|mam_id|secret|cookie|credentials)$/i;

/** Follows wires from `from` through at most `hops` nodes; true when `to` is reached. */
function reaches(byId: Map<string, FlowNode>, from: string, port: number, to: string): boolean {
  const seen = new Set<string>();
  const queue = [...(byId.get(from)?.wires?.[port] ?? [])];
  while (queue.length) {
    const id = queue.shift() as string;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    const n = byId.get(id);
    if (n && !OUTPUT[n.type]) for (const w of n.wires ?? []) queue.push(...w);
  }
  return false;
}

describe('example flows', () => {
  it('exist: the nightly pipeline, the approval flow, the dashboard pages and the notifications', () => {
    const names = files.map((f) => relative(join(root, 'examples'), f));
    assert.deepEqual(names.sort(), ['01-nightly-pipeline.json', '02-approval-dashboard.json', '04-notifications.json', '05-prowlarr-transmission-pipeline.json', 'dashboard/03-dashboard-pages.json']);
  });

  it('import side by side: no id appears in two examples, and one config set (in 01) and one ui-base (in 03) serve them all', () => {
    const seen = new Map<string, string>();
    for (const file of files) {
      for (const n of read(file)) {
        assert.equal(seen.get(n.id), undefined, `${n.id} (${n.type}) is in ${relative(root, file)} and ${seen.get(n.id)}: importing both warns "nodes already exist"`);
        seen.set(n.id, relative(root, file));
      }
    }
    for (const type of ['abs-server', 'mam-account', 'qbit-server', 'transmission-server', 'ui-base', 'ui-theme']) {
      assert.equal([...everything.values()].filter((n) => n.type === type).length, 1, `one ${type} across the examples`);
    }
  });

  it('puts a "Run now" inject beside each schedule, wired to the same node', () => {
    const schedules = [...everything.values()].filter((n) => n.type === 'inject' && (n.crontab || n.repeat));
    assert.ok(schedules.length >= 4);
    for (const s of schedules) {
      const now = [...everything.values()].filter((n) => n.type === 'inject' && !n.crontab && !n.repeat && n.z === s.z
        && JSON.stringify(n.wires) === JSON.stringify(s.wires) && /now/i.test(String(n.name)));
      assert.equal(now.length, 1, `schedule "${String(s.name)}" has no Run-now inject beside it`);
      assert.ok(Math.abs(Number(now[0].x) - Number(s.x)) <= 40 && Math.abs(Number(now[0].y) - Number(s.y)) <= 60, `"${String(now[0].name)}" is not beside "${String(s.name)}"`);
    }
  });

  it('a node that says "preview" or "dry run" in its name has dry run on', () => {
    const named = [...everything.values()].filter((n) => /preview|dry run/i.test(String(n.name ?? '')) && n.type === 'qbit-queue');
    assert.ok(named.length >= 1);
    for (const n of named) assert.equal(n.dryRun, true, `${String(n.name)} queues for real`);
  });

  for (const file of files) {
    const name = relative(join(root, 'examples'), file);
    describe(name, () => {
      const flow = read(file);
      const byId = new Map(flow.map((n) => [n.id, n]));

      it('uses only types registered by this package, the dashboard package or Node-RED core', () => {
        const unknown = flow.filter((n) => !ourTypes.includes(n.type) && !dashTypes.includes(n.type) && !CORE.includes(n.type));
        assert.deepEqual(unknown.map((n) => n.type), []);
      });

      it('has unique ids, wires to existing nodes, one tab holding every flow node, and a comment saying what to configure', () => {
        assert.equal(byId.size, flow.length);
        const tabs = flow.filter((n) => n.type === 'tab');
        assert.equal(tabs.length, 1);
        for (const n of flow) {
          if (n.type !== 'tab' && (n.wires || n.x !== undefined)) assert.equal(n.z, tabs[0].id, `${n.type} ${n.id} is not on the tab`);
          for (const target of (n.wires ?? []).flat()) assert.ok(byId.has(target), `${n.id} wires to missing ${target}`);
        }
        const comments = flow.filter((n) => n.type === 'comment');
        assert.ok(comments.some((c) => /configure|install/i.test(`${String(c.name)} ${String(c.info)}`)), 'no comment saying what to configure');
      });

      it('points every config reference at a node of the right type in the example set', () => {
        for (const n of flow) {
          for (const [prop, type] of Object.entries(configRefs(n))) {
            const ref = everything.get(String(n[prop]));
            assert.equal(ref?.type, type, `${n.type} ${n.id}.${prop} → ${String(n[prop])}`);
          }
        }
      });

      it('wires our nodes only along the message contracts', () => {
        for (const n of flow) {
          const outputs = OUTPUT[n.type];
          if (!outputs) continue;
          assert.equal(n.wires?.length, outputs.length, `${n.type} ${n.id} has ${n.wires?.length} outputs`);
          n.wires!.forEach((targets, port) => {
            for (const t of targets) {
              const need = INPUT[byId.get(t)!.type];
              if (need) assert.ok(need === 'any' || need === outputs[port], `${n.type}[${port}] (${outputs[port]}) → ${byId.get(t)!.type} (${need})`);
            }
          });
        }
      });

      it('ships no secrets: no credentials and no secret-named property with a value', () => {
        for (const n of flow) {
          assert.equal(n.credentials, undefined, `${n.type} ${n.id} carries credentials`);
          for (const [k, v] of Object.entries(n)) if (SECRET_NAMES.test(k)) assert.ok(v === '' || v == null, `${n.type} ${n.id}.${k} is set`);
        }
      });
    });
  }

  describe('the nightly pipeline', () => {
    const flow = read(join(root, 'examples', '01-nightly-pipeline.json'));
    const byId = new Map(flow.map((n) => [n.id, n]));
    const one = (type: string) => { const list = flow.filter((n) => n.type === type); assert.equal(list.length, 1, type); return list[0]; };

    it('runs abs-library → series-gaps → mam-search (output 1) → qbit-queue from a daily 01:00 inject', () => {
      const [inject, lib, gaps, search, queue] = ['inject', 'abs-library', 'series-gaps', 'mam-search', 'qbit-queue'].map((t) => (t === 'inject' ? flow.find((n) => n.type === 'inject' && n.crontab === '00 01 * * *')! : one(t)));
      assert.ok(inject, 'no daily 01:00 inject');
      assert.deepEqual(inject.wires, [[lib.id]]);
      assert.ok(lib.wires![0].includes(gaps.id));
      assert.ok(gaps.wires![0].includes(search.id));
      assert.deepEqual(search.wires![0].filter((id) => byId.get(id)!.type === 'qbit-queue'), [queue.id]);
      assert.equal(search.wires![1].some((id) => byId.get(id)!.type === 'qbit-queue'), false, 'not-found gaps must never reach qbit-queue');
      assert.ok(search.wires![1].some((id) => byId.get(id)!.type === 'debug'), 'mam-search output 2 goes to a debug');
      assert.ok(queue.wires![0].some((id) => byId.get(id)!.type === 'debug'), 'qbit-queue results go to a debug');
    });

    it('polls abs-import-watch every 5 minutes, records its events in the store (gap-store) and reports them in words', () => {
      const watch = one('abs-import-watch');
      const inject = flow.find((n) => n.type === 'inject' && n.repeat && n.wires![0].includes(watch.id))!;
      assert.equal(inject.repeat, '300');
      const record = flow.find((n) => n.type === 'gap-store' && watch.wires![0].includes(n.id))!;
      assert.equal(record?.action, 'event', 'the events go to a gap-store that records them');
      const debug = flow.find((n) => n.type === 'debug' && record.wires![0].includes(n.id))!;
      assert.equal(debug.complete, 'notice', 'the debug shows the sentence');
    });

    it('the Catch node\'s debug shows the error sentence, not a folded error object', () => {
      const debug = byId.get(one('catch').wires![0][0])!;
      assert.equal(debug.complete, 'error.message');
    });

    it('sends Catch and Status output to a debug; Status watches the five pipeline nodes', () => {
      for (const type of ['catch', 'status']) assert.ok(flow.some((n) => n.type === 'debug' && reaches(byId, one(type).id, 0, n.id)), type);
      const watched = (one('status').scope as string[]).map((id) => byId.get(id)!.type).sort();
      assert.deepEqual(watched, ['abs-import-watch', 'abs-library', 'mam-search', 'qbit-queue', 'series-gaps']);
    });
  });

  describe('the Prowlarr + Transmission variant', () => {
    const flow = read(join(root, 'examples', '05-prowlarr-transmission-pipeline.json'));
    const one = (type: string) => { const list = flow.filter((n) => n.type === type); assert.equal(list.length, 1, type); return list[0]; };

    it('searches through a prowlarr-server and queues and watches through the same transmission-server', () => {
      const [queue, watch, search] = ['torrent-queue', 'abs-import-watch', 'indexer-search'].map(one);
      for (const n of [queue, watch]) assert.deepEqual([n.client, n.transmission, everything.get(String(n.transmission))?.type], ['transmission', 'abgcfgtransmsrv1', 'transmission-server'], n.type);
      assert.equal(everything.get(String(search.prowlarr))?.type, 'prowlarr-server');
      assert.deepEqual(search.wires![0], [queue.id]);
      assert.deepEqual(flow.filter((n) => n.type === 'mam-search'), [], 'the Prowlarr variant has no mam-search');
    });

    it('warns in the search-source comment that MAM through Prowlarr loses mam-search\'s safety', () => {
      const note = flow.find((n) => n.type === 'comment' && /SEARCH SOURCE/.test(String(n.info)));
      assert.ok(note, 'no marked place for the search source');
      assert.match(String(note.info), /MAM through Prowlarr loses mam-search's safety/);
      assert.match(String(note.info), /ratio/);
    });
  });

  describe('the notifications', () => {
    const flow = read(join(root, 'examples', '04-notifications.json'));
    const byId = new Map(flow.map((n) => [n.id, n]));

    it('sends the import events of 01 through core nodes only: an http request to ntfy and one to a Home Assistant service', () => {
      assert.deepEqual(flow.filter((n) => !CORE.includes(n.type)).map((n) => n.type), []);
      const linkIn = flow.find((n) => n.type === 'link in')!;
      assert.deepEqual(linkIn.links, ['abglinkeventsout']);
      assert.ok((everything.get('abglinkeventsout')!.links as string[]).includes(linkIn.id), '01 does not link its events here');
      const posts = flow.filter((n) => n.type === 'http request');
      assert.deepEqual(posts.map((n) => [n.method, /ntfy|\/api\/services\/notify\//.test(String(n.url))]), [['POST', true], ['POST', true]]);
      for (const p of posts) assert.ok(reaches(byId, linkIn.id, 0, p.id), `${String(p.name)} is not fed by the events`);
    });
  });

  describe('the approval flow', () => {
    const flow = read(join(root, 'examples', '02-approval-dashboard.json'));
    const byId = new Map(flow.map((n) => [n.id, n]));

    it('queues only through a qbit-queue that requires msg.approved, fed by the table and the Approve-all button', () => {
      const queues = flow.filter((n) => n.type === 'qbit-queue');
      assert.ok(queues.length >= 1);
      for (const q of queues) assert.equal(q.requireApproval, true, `${q.id} queues without approval`);
      const table = flow.find((n) => n.type === 'ui-table')!;
      assert.ok((table.columns as { type: string }[]).some((c) => c.type === 'button'), 'no Approve button column');
      const approving = queues.filter((q) => reaches(byId, table.id, 0, q.id));
      assert.equal(approving.length, 1);
      const button = flow.find((n) => n.type === 'ui-button' && /approve/i.test(String(n.label)))!;
      assert.ok(reaches(byId, button.id, 0, approving[0].id));
      const feeding = flow.filter((n) => n.wires?.flat().includes(approving[0].id));
      assert.ok(feeding.length >= 2);
      for (const f of feeding) assert.ok(f.type === 'function' && /approved:/.test(String(f.func)), `${f.type} ${f.id} feeds the queue without msg.approved`);
    });
  });

  describe('the dashboard pages', () => {
    const dash = read(join(root, 'examples', 'dashboard', '03-dashboard-pages.json'));
    const nightly = read(join(root, 'examples', '01-nightly-pipeline.json'));

    it('has Series, Wanted and Downloads pages under one ui-base at /dashboard', () => {
      assert.deepEqual(dash.filter((n) => n.type === 'ui-page').map((p) => p.name), ['Series', 'Wanted', 'Downloads']);
      assert.deepEqual(dash.filter((n) => n.type === 'ui-base').map((b) => b.path), ['/dashboard']);
      assert.ok(dash.some((n) => n.type === 'ui-chart'));
    });

    it('is fed by the nightly pipeline through link nodes (series-gaps and abs-import-watch output)', () => {
      const all = everything;
      for (const source of ['series-gaps', 'gap-store', 'qbit-queue']) {
        const from = nightly.find((n) => n.type === source)!;
        const out = from.wires![0].map((id) => all.get(id)!).find((n) => n.type === 'link out');
        assert.ok(out, `${source} has no link out`);
        for (const target of out.links as string[]) {
          const inNode = all.get(target);
          assert.equal(inNode?.type, 'link in', `${source}: link ${target} not in the dashboard`);
          assert.ok((inNode.links as string[]).includes(out.id), 'link in does not link back');
        }
      }
      const table = dash.find((n) => n.type === 'ui-table' && n.name === 'Series completion')!;
      assert.ok((table.columns as { key: string; type: string }[]).some((c) => c.key === 'completion' && c.type === 'progress'));
    });

    it('lists the wanted books through gap-store, with per-row action buttons (labels from the row) wired back to a gap-store', () => {
      const byId = new Map(dash.map((n) => [n.id, n]));
      const table = dash.find((n) => n.type === 'ui-table' && n.name === 'Wanted books')!;
      const buttons = (table.columns as { key: string; type: string; keyType: string }[]).filter((c) => c.type === 'button');
      assert.deepEqual(buttons.map((c) => [c.key, c.keyType]), [['retry', 'key'], ['toggle', 'key']]);
      assert.ok(dash.some((n) => n.type === 'gap-store' && reaches(byId, n.id, 0, table.id)));
      assert.ok(dash.some((n) => n.type === 'gap-store' && reaches(byId, table.id, 0, n.id)));
    });
  });

  describe('in the Node-RED runtime', () => {
    let dir: string;
    before(function () {
      dir = tempStoreDir('abg-examples-');
      withStore(dir);
      return new Promise<void>((resolve) => helper.startServer(() => resolve()));
    });
    after(function () {
      return new Promise<void>((resolve) => helper.stopServer(() => resolve()));
    });
    afterEach(async () => { await helper.unload(); forgetStores(); });

    it('loads all five examples together with every node created (no unknown types, no clash)', async () => {
      const flow = [...everything.values()];
      // The test helper registers the catch/status module once per catch or status NODE, so a
      // flow with two Catch nodes fails with "already registered"; allModules() has them anyway.
      const h = helper as unknown as { _nodeModules: Record<string, unknown> };
      const preload = h._nodeModules;
      h._nodeModules = {};
      try {
        await helper.load(allModules() as never, flow);
      } finally {
        h._nodeModules = preload;
      }
      const missing = flow.filter((n) => n.type !== 'tab' && !n.d && !helper.getNode(n.id)).map((n) => `${n.type} ${n.id}`);
      assert.deepEqual(missing, []);
    });

    it('would catch an unknown type: a flow with one creates none of its nodes', async () => {
      const flow = read(files[0]);
      const tab = flow.find((n) => n.type === 'tab')!;
      await helper.load(allModules() as never, [...flow, { id: 'abgunknown000001', type: 'no-such-node', z: tab.id, wires: [] }]);
      assert.equal(helper.getNode(flow.find((n) => n.type === 'abs-library')!.id), null);
    });
  });
});
