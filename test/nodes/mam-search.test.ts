import assert from 'node:assert/strict';
import { helper, tempStoreDir } from '../helpers/node-red';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import type { Candidate, Gap, NotFound } from '../../lib/types';
import mamAccountNode from '../../nodes/mam-account/mam-account';
import mamSearchNode from '../../nodes/mam-search/mam-search';
import { mamRow, startMamSim, type MamSim } from '../sim/mam-sim';

const home = process.env.NODE_RED_HOME;
const catchNode = require(require.resolve('@node-red/nodes/core/common/25-catch.js', home ? { paths: [home] } : undefined));

type Spied = NodeJS.EventEmitter & { receive(m: object): void; status: { args: unknown[][] }; warn: { args: unknown[][] }; error: { args: unknown[][] } };
type Msg = { payload: unknown; topic?: string; error?: { message: string } };
const COOKIE = 'node-test-session-cookie-xyz';

function gap(seq: string, title: string): Gap {
  return { key: `series:expanse|corey#${seq}`, kind: 'series', status: 'wanted', title, authors: ['James S. A. Corey'], series: 'The Expanse', sequence: seq, source: 'library', reason: 'hole' };
}
const GAPS = [gap('2', "Caliban's War"), gap('4', 'Cibola Burn'), gap('6', "Babylon's Ashes")];

describe('mam-search node', () => {
  let sim: MamSim;
  let dir: string;
  beforeEach(async () => {
    forgetStores();
    dir = tempStoreDir('abg-mam-node-');
    helper.settings({ audiobookGaps: { storeDir: dir, mamMinIntervalMs: 1 } } as Parameters<typeof helper.settings>[0]);
    await (await WantedStore.open(dir)).syncGaps(GAPS);
    sim = await startMamSim({ mamId: COOKIE, rotate: true });
    sim.addRow(mamRow({ id: 2, title: "Caliban's War", authors: ['James S. A. Corey'], series: [['The Expanse', '2']] }));
    sim.addRow(mamRow({ id: 44, title: 'Cibola Burn (Abridged)', authors: ['James S. A. Corey'], series: [['The Expanse', '4']] }));
  });
  afterEach(async () => {
    await helper.unload();
    await sim.close();
    helper.settings({});
  });

  const flow = () => [
    { id: 'f1', type: 'tab' },
    { id: 'acct', type: 'mam-account', url: sim.url, languages: 'ENG' },
    { id: 'search', z: 'f1', type: 'mam-search', account: 'acct', maxSearches: 30, cacheHours: 6, wires: [['found'], ['missing']] },
    { id: 'found', z: 'f1', type: 'helper' },
    { id: 'missing', z: 'f1', type: 'helper' },
    { id: 'catcher', z: 'f1', type: 'catch', scope: ['search'], uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', type: 'helper' },
  ];
  const load = () => helper.load([mamAccountNode, mamSearchNode, catchNode], flow(), { acct: { mamId: COOKIE } });
  const next = (id: string) => new Promise<Msg>((resolve) => helper.getNode(id).once('input', resolve));
  const statuses = (n: Spied) => n.status.args.map((a) => a[0] as { fill?: string; text?: string });
  const secrets = () => [COOKIE, ...sim.requests.map((r) => r.cookie ?? COOKIE), sim.currentMamId];

  it('sends candidates on output 1 and not-found gaps with reasons on output 2, with a count status', async () => {
    await load();
    const found = next('found');
    const missing = next('missing');
    const node = helper.getNode('search') as unknown as Spied;
    node.receive({ topic: 'nightly', payload: GAPS });
    const [f, m] = await Promise.all([found, missing]);
    const candidates = f.payload as Candidate[];
    const notFound = m.payload as NotFound[];
    assert.equal(f.topic, 'nightly');
    assert.deepEqual(candidates.map((c) => c.torrent.id), [2]);
    assert.deepEqual(notFound.map((n) => n.gap.sequence), ['4', '6']);
    assert.match(notFound[0].reason, /abridged edition/);
    assert.match(notFound[1].reason, /none acceptable; .*series position 2 is not 6/);
    assert.ok(notFound[1].rejected?.some((r) => r.torrent.id === 2 && r.reasons.length > 0));
    assert.ok(notFound[1].retryAfter);
    assert.deepEqual(statuses(node).at(-1), { fill: 'green', shape: 'dot', text: '1 of 3 found' });
    // Progress on the badge while it runs, counted against the gaps it was given.
    assert.deepEqual(statuses(node).map((s) => s.text).filter((t, i, all) => /^searching/.test(t ?? '') && t !== all[i - 1]), ['searching 0/3', 'searching 1/3', 'searching 2/3', 'searching 3/3']);
    const everything = JSON.stringify([f, m, node.status.args, node.warn.args, node.error.args]);
    for (const s of secrets()) assert.ok(!everything.includes(s), 'a cookie leaked into a message or status');
  });

  it('a re-run sends no new search: the cache answers the found one, the back-off holds the misses', async () => {
    await load();
    const node = helper.getNode('search') as unknown as Spied;
    let got = next('missing');
    node.receive({ payload: GAPS });
    await got;
    const searches = sim.searches().length;
    got = next('missing');
    node.receive({ payload: GAPS });
    const again = (await got).payload as NotFound[];
    assert.equal(sim.searches().length, searches);
    assert.ok(again.every((n) => /^not searched: .*next search after/.test(n.reason)));
  });

  it('an expired session stops the run with ONE error through done(err), with no secret in it', async () => {
    sim.setFault({ type: 'login-page' });
    await load();
    let sent = 0;
    helper.getNode('found').on('input', () => sent++);
    helper.getNode('missing').on('input', () => sent++);
    const caught = next('caught');
    const node = helper.getNode('search') as unknown as Spied;
    node.receive({ payload: GAPS });
    const msg = await caught;
    assert.match(String(msg.error?.message), /MyAnonamouse: MAM session expired: create a new session and paste its mam_id/);
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(sent, 0);
    assert.equal(sim.requests.length, 1, 'one request, one error: not one per gap');
    assert.equal(statuses(node).at(-1)?.fill, 'red');
    const logged = (helper.log() as unknown as { args: unknown[][] }).args;
    const everything = JSON.stringify([msg, node.status.args, node.warn.args, node.error.args, logged]);
    for (const s of secrets()) assert.ok(!everything.includes(s), 'a cookie leaked');
  });

  it('two mam-search nodes on one account share one lane: one request at a time, no book searched twice', async () => {
    await sim.close();
    sim = await startMamSim({ mamId: COOKIE, rotate: true, delayMs: 15 });
    sim.addRow(mamRow({ id: 2, title: "Caliban's War", authors: ['James S. A. Corey'], series: [['The Expanse', '2']] }));
    const twin = [
      ...flow(),
      { id: 'search2', z: 'f1', type: 'mam-search', account: 'acct', maxSearches: 30, cacheHours: 6, wires: [['found2'], ['missing2']] },
      { id: 'found2', z: 'f1', type: 'helper' },
      { id: 'missing2', z: 'f1', type: 'helper' },
    ];
    await helper.load([mamAccountNode, mamSearchNode, catchNode], twin, { acct: { mamId: COOKIE } });
    const done = Promise.all([next('found'), next('found2')]);
    (helper.getNode('search') as unknown as Spied).receive({ payload: GAPS });
    (helper.getNode('search2') as unknown as Spied).receive({ payload: GAPS });
    const [a, b] = await done;
    assert.equal(sim.maxInFlight, 1);
    const texts = sim.searches().map((r) => JSON.stringify((r.body as { tor: { text: string } }).tor.text));
    assert.equal(new Set(texts).size, texts.length, `a query was sent twice: ${texts.join(', ')}`);
    assert.deepEqual([a, b].map((m) => (m.payload as Candidate[]).map((c) => c.torrent.id)), [[2], [2]]);
  });

  it('refuses a payload that is not Gap[] with a clear error', async () => {
    await load();
    const caught = next('caught');
    (helper.getNode('search') as unknown as Spied).receive({ payload: [{ title: 'no key' }] });
    assert.match(String((await caught).error?.message), /msg.payload\[0\] is not a gap/);
  });
});
