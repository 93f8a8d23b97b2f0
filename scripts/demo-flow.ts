// The demo's flows: the nightly-pipeline and dashboard examples exactly as a user imports them,
// pointed at the demo services, with faster timers (search at start, watcher every 5 s) and the
// simulators' credentials in a plain flows_cred.json (demo-settings.js disables encryption).
// With another client (--client transmission|deluge) the queue node becomes a torrent-queue and
// the watcher picks that client, both on the client's config node (example 05's for Transmission).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_SECRETS } from './demo-services';
import type { ClientType } from '../lib/types';

type FlowNode = Record<string, unknown> & { id: string; type: string; z?: string; wires?: string[][] };

const examples = join(__dirname, '..', 'examples');

export interface DemoTargets { absUrl: string; mamUrl: string; qbitUrl: string; downloads: string; client?: ClientType; clientPassword?: string }

export function demoFlow(t: DemoTargets): { flows: FlowNode[]; credentials: Record<string, Record<string, string>> } {
  const client = t.client ?? 'qbittorrent';
  const files = ['01-nightly-pipeline.json', 'dashboard/03-dashboard-pages.json'];
  const byId = new Map<string, FlowNode>();
  for (const f of files) for (const n of JSON.parse(readFileSync(join(examples, f), 'utf8')) as FlowNode[]) byId.set(n.id, n);
  const flows = [...byId.values()];
  const only = (type: string) => {
    const list = flows.filter((n) => n.type === type);
    if (list.length !== 1) throw new Error(`demo: the examples should hold one ${type}, found ${list.length}`);
    return list[0];
  };

  const abs = only('abs-server');
  const mam = only('mam-account');
  const qbit = only('qbit-server');
  abs.url = t.absUrl;
  mam.url = t.mamUrl;
  qbit.url = t.qbitUrl;
  const queue = only('qbit-queue');
  queue.savePath = t.downloads;

  const watch = only('abs-import-watch');
  let server = qbit;
  if (client !== 'qbittorrent') {
    // The same nodes (ids, wires, status scope), picking the other client.
    server = client === 'transmission'
      ? { ...(JSON.parse(readFileSync(join(examples, '05-prowlarr-transmission-pipeline.json'), 'utf8')) as FlowNode[]).find((n) => n.type === 'transmission-server')!, url: t.qbitUrl }
      : { id: 'abgdemodelugesv1', type: 'deluge-server', name: 'Deluge', url: t.qbitUrl, timeout: 10 };
    flows.splice(flows.indexOf(qbit), 1, server);
    Object.assign(queue, { type: 'torrent-queue', client, server: '', [client]: server.id });
    Object.assign(watch, { client, server: '', [client]: server.id });
  }
  for (const n of flows.filter((x) => x.type === 'inject')) {
    if (n.crontab) Object.assign(n, { name: 'daily 01:00 (demo: also 2 s after start)', once: true, onceDelay: 2 });
    else if (n.repeat && n.wires?.[0]?.includes(watch.id)) Object.assign(n, { name: 'every 5 s (5 min in the example)', repeat: '5', once: true, onceDelay: 4 });
    else if (n.repeat && n.topic === 'refresh') Object.assign(n, { repeat: '5', name: 'refresh every 5 s' });
  }
  const tab = flows.find((n) => n.type === 'tab' && n.id === only('abs-library').z) as FlowNode;
  flows.push({
    id: 'abgdemonotice001', type: 'comment', z: tab.id, name: 'DEMO: configured against local simulators', x: 760, y: 40, wires: [],
    info: `Audiobookshelf simulator ${t.absUrl}, MyAnonamouse simulator ${t.mamUrl}, ${String(server.name)} ${t.qbitUrl}. The search runs 2 s after start, the watcher every 5 s. Dashboard: /dashboard.`,
  });

  const credentials: Record<string, Record<string, string>> = {
    [abs.id]: { token: DEMO_SECRETS.absToken },
    [mam.id]: { mamId: DEMO_SECRETS.mamId },
    [server.id]: client === 'deluge' ? { password: t.clientPassword ?? '' } : { username: DEMO_SECRETS.qbitUser, password: DEMO_SECRETS.qbitPassword },
  };
  return { flows, credentials };
}

export function writeDemoFlow(userDir: string, t: DemoTargets): void {
  const { flows, credentials } = demoFlow(t);
  writeFileSync(join(userDir, 'flows.json'), JSON.stringify(flows, null, 2));
  writeFileSync(join(userDir, 'flows_cred.json'), JSON.stringify(credentials, null, 2));
}
