// nodes/_shared/search-node.ts, shared by mam-search and indexer-search: the lanes (one run at a
// time per key, a failed run does not block the next) and the two outputs with their counts.
import assert from 'node:assert/strict';
import type { Node, NodeAPI, NodeMessage } from 'node-red';
import { replaceSecret } from '../../lib/secrets';
import { runLanes, sendSearchOutcome } from '../../nodes/_shared/search-node';

describe('nodes/_shared/search-node', () => {
  it('runLanes: a run waits for the one before it on its key, not for other keys; a failed run does not block the lane', async () => {
    const lane = runLanes();
    const log: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    lane('acct-1', async () => { log.push('a start'); await held; log.push('a end'); throw new Error('boom'); });
    lane('acct-1', async () => { log.push('b'); });
    let otherDone!: () => void;
    const other = new Promise<void>((r) => { otherDone = r; });
    lane('acct-2', async () => { log.push('c'); otherDone(); });
    await other;
    assert.deepEqual(log, ['a start', 'c'], 'b waits for a; c (another key) does not');
    let bDone!: () => void;
    const last = new Promise<void>((r) => { bDone = r; });
    lane('acct-1', async () => { bDone(); });
    release();
    await last;
    assert.deepEqual(log, ['a start', 'c', 'a end', 'b']);
  });

  function fakeNode() {
    const warns: string[] = [];
    const statuses: object[] = [];
    const node = { warn: (t: string) => warns.push(t), status: (s: object) => statuses.push(s) } as unknown as Node;
    return { node, warns, statuses };
  }
  const RED = { util: { cloneMessage: (m: NodeMessage) => structuredClone(m) } } as unknown as NodeAPI;
  const cand = (key: string) => ({ gap: { key }, torrent: { id: key.length } });

  it('sendSearchOutcome: candidates on a copy of msg, not-found on a deep copy, counts with the books found (not the candidates)', () => {
    const { node, warns, statuses } = fakeNode();
    const sent: (NodeMessage | null)[][] = [];
    const msg = { _msgid: 'm1', topic: 'nightly', payload: [] as unknown, run: { at: 1 } } as NodeMessage;
    const outcome = { candidates: [cand('a'), cand('a'), cand('bb')], notFound: [{ gap: { key: 'c' } }], stats: { searches: 4 } as { searches: number; stoppedBy?: string } };
    sendSearchOutcome(RED, node, msg, (m) => sent.push(m), outcome, { statsKey: 'mamSearch', stopped: 'x: ', stoppedStatus: 'stopped' });
    const [[out1, out2]] = sent as (NodeMessage & { mamSearch: object; run: object })[][];
    assert.deepEqual(out1.payload, outcome.candidates);
    assert.deepEqual(out2.payload, outcome.notFound);
    assert.equal(out1.topic, 'nightly');
    assert.equal(out2.topic, 'nightly');
    // Flows downstream of the two outputs may change what they get without touching each other.
    assert.equal(out1.run, (msg as NodeMessage & { run: object }).run);
    assert.notEqual(out2.run, out1.run);
    assert.deepEqual(out2.run, out1.run);
    assert.deepEqual(out1.mamSearch, { searches: 4, found: 2, notFound: 1 });
    assert.deepEqual(out2.mamSearch, out1.mamSearch);
    assert.deepEqual(warns, []);
    assert.deepEqual(statuses, [{ fill: 'green', shape: 'dot', text: '2 of 3 found' }]);
  });

  it('sendSearchOutcome: a run stopped early warns with the reason (secrets redacted) and says so in the status', () => {
    replaceSecret('search-node-test', 'sekrit-apikey-123456');
    try {
      const { node, warns, statuses } = fakeNode();
      const outcome = { candidates: [cand('a')], notFound: [], stats: { stoppedBy: 'Prowlarr refused sekrit-apikey-123456' } };
      sendSearchOutcome(RED, node, { _msgid: 'm2', payload: [] }, () => undefined, outcome,
        { statsKey: 'indexerSearch', stopped: 'indexer-search: not every indexer answered: ', stoppedStatus: 'errors' });
      assert.equal(warns.length, 1);
      assert.match(warns[0], /^indexer-search: not every indexer answered: Prowlarr refused /);
      assert.ok(!warns[0].includes('sekrit-apikey-123456'));
      assert.deepEqual(statuses, [{ fill: 'yellow', shape: 'ring', text: '1 found, errors' }]);
    } finally {
      replaceSecret('search-node-test', undefined);
    }
  });
});
