import assert from 'node:assert/strict';
import { helper } from '../helpers/node-red';
import type { Book } from '../../lib/types';
import absServerNode from '../../nodes/abs-server/abs-server';
import absLibraryNode from '../../nodes/abs-library/abs-library';
import { startAbsSim, type AbsSim } from '../sim/abs-sim';

// The Catch node from the Node-RED that runs the tests (4.1, or NODE_RED_HOME's 5.x).
const home = process.env.NODE_RED_HOME;
const catchNode = require(require.resolve('@node-red/nodes/core/common/25-catch.js', home ? { paths: [home] } : undefined));

type Spied = NodeJS.EventEmitter & { receive(m: object): void; status: { args: unknown[][] }; warn: { args: unknown[][] }; error: { args: unknown[][] } };
type Msg = { payload: Book[]; topic?: string; books?: Book[]; error?: { message: string } };

describe('abs-library node', () => {
  let sim: AbsSim;
  afterEach(async () => { await helper.unload(); await sim.close(); });

  // Flow nodes need a tab (z): without one, Node-RED takes the Catch node for a config node.
  const flow = (over: object = {}) => [
    { id: 'f1', type: 'tab' },
    { id: 'srv', type: 'abs-server', url: sim.url },
    { id: 'lib', z: 'f1', type: 'abs-library', server: 'srv', library: '_all', pageSize: 5, property: 'payload', wires: [['out']], ...over },
    { id: 'out', z: 'f1', type: 'helper' },
    { id: 'catcher', z: 'f1', type: 'catch', scope: ['lib'], uncaught: false, wires: [['caught']] },
    { id: 'caught', z: 'f1', type: 'helper' },
  ];
  const load = (over: object = {}, token?: string) => helper.load([absServerNode, absLibraryNode, catchNode], flow(over), { srv: { token: token ?? sim.token } });
  const next = (id: string) => new Promise<Msg>((resolve) => helper.getNode(id).once('input', resolve));
  const statuses = (n: Spied) => n.status.args.map((a) => a[0] as { fill?: string; text?: string });

  it('sends Book[] in msg.payload, keeps the rest of msg, and shows progress then the count', async () => {
    sim = await startAbsSim({ generate: { books: 8, series: 3 } });
    await load();
    const got = next('out');
    const node = helper.getNode('lib') as unknown as Spied;
    node.receive({ topic: 'nightly', payload: 'go' });
    const msg = await got;
    assert.equal(msg.topic, 'nightly');
    assert.equal(msg.payload.length, 20);
    const guards = msg.payload.find((b) => b.title === 'Guards! Guards!');
    assert.deepEqual(guards?.series, [{ name: 'Discworld', sequence: '8' }, { name: 'Discworld - City Watch', sequence: '1' }]);
    await new Promise((r) => setImmediate(r));
    const texts = statuses(node).map((s) => s.text);
    assert.ok(texts.includes('reading… 5/12') && texts.includes('reading… 12/12') && texts.includes('reading… 17/20'), texts.join(' | '));
    assert.deepEqual(statuses(node).at(-1), { fill: 'green', shape: 'dot', text: '20 books' });
    assert.match(String(node.warn.args[0]?.[0]), /skipped library "Podcasts"/);
    // The nightly re-run does not repeat the podcast notice.
    const again = next('out');
    node.receive({ payload: 'second night' });
    await again;
    assert.equal(node.warn.args.filter((a) => /skipped library/.test(String(a[0]))).length, 1);
  });

  it('reads one library into a custom property', async () => {
    sim = await startAbsSim({ generate: { books: 8, series: 3 } });
    await load({ library: sim.libraryIds.generated, property: 'books' });
    const got = next('out');
    (helper.getNode('lib') as unknown as Spied).receive({ payload: 'keep me' });
    const msg = await got;
    assert.equal(msg.payload as unknown, 'keep me');
    assert.deepEqual(msg.books?.map((b) => b.libraryId), Array(8).fill(sim.libraryIds.generated));
  });

  for (const [name, fault, pattern] of [
    ['a 401', null, /^(ServiceError: )?Audiobookshelf: rejected the API key \(401\)/],
    ['a 500 half-way', { kind: 'server-error', page: 1 } as const, /^(ServiceError: )?Audiobookshelf: server error on page 1 of library .* \(HTTP 500\)/],
    ['malformed JSON', { kind: 'malformed', page: 2 } as const, /^(ServiceError: )?Audiobookshelf: answered with something that is not JSON/],
  ] as const) {
    it(`on ${name}: done(err) reaches a Catch node, status red, nothing sent, no secret anywhere`, async () => {
      sim = await startAbsSim();
      const token = fault ? sim.token : 'bad-key-never-shown-42';
      await load({}, token);
      if (fault) sim.setFault(fault);
      let sent = 0;
      helper.getNode('out').on('input', () => sent++);
      const caught = next('caught');
      const node = helper.getNode('lib') as unknown as Spied;
      node.receive({ payload: 'go' });
      const msg = await caught;
      assert.match(String(msg.error?.message), pattern);
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(sent, 0);
      const last = statuses(node).at(-1);
      assert.equal(last?.fill, 'red');
      assert.ok((last?.text ?? '').length > 0 && (last?.text ?? '').length < 20);
      const logged = (helper.log() as unknown as { args: unknown[][] }).args;
      const everything = JSON.stringify([msg, node.status.args, node.warn.args, node.error.args, logged]);
      assert.ok(logged.length > 0, 'the error was logged');
      assert.ok(!everything.includes(token), 'the key leaked');
    });
  }
});
