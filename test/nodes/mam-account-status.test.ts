// mam-account-status on Node-RED: any input gives the account summary with a short badge, the
// mam-account's opt-in dynamic seedbox registration runs at deploy and is not repeated within
// the hour, and an ASN-locked session from another network reaches a Catch node with what to do.
import assert from 'node:assert/strict';
import { helper, tempStoreDir } from '../helpers/node-red';
import { forgetStores } from '../../lib/store/store';
import type { AccountSummary } from '../../lib/mam/account-summary';
import mamAccountNode from '../../nodes/mam-account/mam-account';
import mamAccountStatusNode from '../../nodes/mam-account-status/mam-account-status';
import { startMamSim, type MamSim } from '../sim/mam-sim';

const home = process.env.NODE_RED_HOME;
const catchNode = require(require.resolve('@node-red/nodes/core/common/25-catch.js', home ? { paths: [home] } : undefined));

type Spied = NodeJS.EventEmitter & { receive(m: object): void; status: { args: unknown[][] } };
type Msg = { payload: unknown; topic?: string; error?: { message: string } };
const COOKIE = 'status-node-session-cookie';

describe('mam-account-status node', () => {
  let sim: MamSim;
  before(async () => { sim = await startMamSim({ mamId: COOKIE }); });
  after(async () => { await sim.close(); });
  beforeEach(() => {
    forgetStores();
    helper.settings({ audiobookGaps: { storeDir: tempStoreDir('abg-acct-status-'), mamMinIntervalMs: 1 } } as Parameters<typeof helper.settings>[0]);
    sim.account.refuse(null);
    Object.assign(sim.account.seedbox, { registeredIp: undefined, lastChange: undefined, requests: 0 });
  });
  afterEach(async () => {
    await helper.unload();
    helper.settings({});
  });

  const flow = (account: object): object[] => [
    { id: 'f1', type: 'tab' },
    { id: 'acct', type: 'mam-account', url: sim.url, ratioFloor: 1.5, unsatMargin: 5, ...account },
    { id: 'st', z: 'f1', type: 'mam-account-status', account: 'acct', wires: [['out']] },
    { id: 'out', z: 'f1', type: 'helper' },
    { id: 'catcher', z: 'f1', type: 'catch', scope: ['st'], uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', type: 'helper' },
  ];
  const load = (account: object = {}) => helper.load([mamAccountNode, mamAccountStatusNode, catchNode], flow(account) as Parameters<typeof helper.load>[1], { acct: { mamId: COOKIE } });
  const next = (id: string) => new Promise<Msg>((resolve) => helper.getNode(id).once('input', resolve));
  const lastStatus = () => (helper.getNode('st') as unknown as Spied).status.args.at(-1)?.[0] as { fill: string; text: string };

  it('sends the account summary for any input, with a "ratio · unsatisfied/limit" badge, and spends nothing', async () => {
    await load();
    const out = next('out');
    (helper.getNode('st') as unknown as Spied).receive({ topic: 'hourly', payload: 'anything' });
    const msg = await out;
    const s = msg.payload as AccountSummary;
    assert.equal(msg.topic, 'hourly');
    assert.equal(s.username, 'simreader');
    assert.equal(s.classname, 'Power User');
    assert.equal(s.ratio, 3.2);
    assert.equal(s.bufferBytes, Math.round(320e9 / 1.5 - 100e9));
    assert.deepEqual(s.unsatisfied, { count: 12, limit: 100, margin: 5 });
    assert.equal(s.wedges, 3);
    assert.equal(s.bonusPoints, 5000);
    assert.equal(s.seedbox.state, 'off');
    assert.deepEqual(lastStatus(), { fill: 'green', shape: 'dot', text: 'ratio 3.20 · 12/100' });
    assert.ok(lastStatus().text.length < 20);
    assert.deepEqual(sim.requests.map((r) => r.path), ['/jsonLoad.php'], 'one read, no bonus or seedbox call');
    assert.equal(sim.account.seedbox.requests, 0);
  });

  it('with the dynamic seedbox IP on, registers once at deploy and reports that state without asking again', async () => {
    await load({ dynamicSeedbox: true });
    const out = next('out');
    (helper.getNode('st') as unknown as Spied).receive({ payload: 1 });
    const s = (await out).payload as AccountSummary;
    assert.equal(s.seedbox.state, 'updated');
    assert.equal((s.seedbox as { ip?: string }).ip, sim.account.seedbox.callerIp);
    assert.equal(sim.account.seedbox.requests, 1, 'the deploy registered; the status read it back within the hour');
    await helper.unload();
    forgetStores();
    await load({ dynamicSeedbox: true }); // a redeploy a minute later: the hour is remembered in the store
    const again = next('out');
    (helper.getNode('st') as unknown as Spied).receive({ payload: 1 });
    assert.equal(((await again).payload as AccountSummary).seedbox.state, 'updated');
    assert.equal(sim.account.seedbox.requests, 1);
  });

  it('a session locked to another network reaches Catch with what to do on MAM, and a red badge', async () => {
    await load();
    sim.account.refuse({ kind: 'asn' });
    const caught = next('caught');
    (helper.getNode('st') as unknown as Spied).receive({ payload: 1 });
    const msg = await caught;
    assert.match(msg.error?.message ?? '', /^MyAnonamouse: refused the session: "Session ASN mismatch".*Preferences → Security/);
    assert.ok(!(msg.error?.message ?? '').includes(COOKIE));
    assert.equal(lastStatus().fill, 'red');
  });
});
