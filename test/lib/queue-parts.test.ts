// The small rules qbit-queue is built from, each on its own: what input it accepts, which
// candidates an approval lets through, the tags qBittorrent gets, one MAM call per torrent per
// run, the wedge's words, one run at a time per store, and the ledger's own promises.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceError } from '../../lib/errors';
import type { WedgeOutcome } from '../../lib/mam/client';
import { approvedKeys, parseCandidates, tagsFor, toDownload, type QueueSettings } from '../../lib/queue/candidates';
import { DownloadStore, type DownloadRecord } from '../../lib/queue/downloads';
import { serialized } from '../../lib/queue/lock';
import { inQueueLane, runQueue } from '../../lib/queue/queue';
import { perRunSource } from '../../lib/queue/source';
import { spendWedge, wedgeNote } from '../../lib/queue/wedge';
import { forgetStores } from '../../lib/store/store';
import { WantedStore } from '../../lib/store/wanted';
import { tempStoreDir } from '../helpers/node-red';
import { FakeQbit, candidate, fakeTorrent } from '../helpers/qbittorrent';

const settings: QueueSettings = { category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false };

describe('lib/queue candidates: input, approval, tags', () => {
  it('accepts Candidate[] and names the first problem of anything else, with where it is', () => {
    assert.deepEqual(parseCandidates([candidate(1)]).map((c) => c.gap.key), ['series:expanse#1']);
    assert.throws(() => parseCandidates({ not: 'a list' }), (e: Error) => e.message.startsWith('qbit-queue expects msg.payload to be Candidate[] from mam-search or indexer-search: payload '));
    const noId = { ...candidate(1), torrent: { ...candidate(1).torrent, id: 0 } };
    assert.throws(() => parseCandidates([candidate(2), noId]), /Candidate\[\] from mam-search or indexer-search: 1\.torrent\.id /);
    assert.throws(() => parseCandidates([{ ...candidate(1), gap: { ...candidate(1).gap, key: '' } }]), /: 0\.gap\.key /);
  });

  it('approval: true approves every candidate, a list approves by key or torrent id, anything else none', () => {
    const cs = [candidate(1), candidate(2), candidate(3)];
    assert.deepEqual([...approvedKeys(true, cs)], ['series:expanse#1', 'series:expanse#2', 'series:expanse#3']);
    assert.deepEqual([...approvedKeys(['series:expanse#2', 1003], cs)], ['series:expanse#2', 'series:expanse#3']);
    assert.deepEqual([...approvedKeys('series:expanse#1', cs)], []);
    assert.deepEqual([...approvedKeys(false, cs)], []);
  });

  it('tags: ours, the user\'s, the series; commas (qBittorrent\'s separator) become spaces; blanks and repeats go', () => {
    const c = candidate(1, 'Dune, Expanded');
    assert.deepEqual(tagsFor(c, { ...settings, tags: ['mine', ' mine ', '  ', ',', 'audiobook-gaps'] }), ['audiobook-gaps', 'mine', 'Dune  Expanded']);
    const noSeries = candidate(2);
    delete noSeries.gap.series;
    assert.deepEqual(tagsFor(noSeries, settings), ['audiobook-gaps']);
  });

  it('a ledger record reads as a queued Download: no hash or name yet reads empty, the intent time until confirmed', () => {
    const rec: DownloadRecord = { key: 'k', phase: 'intent', gap: candidate(1).gap, torrentId: 7, category: 'c', tags: ['t'], savePath: '/s', paused: false, intentAt: '2030-01-01T00:00:00.000Z' };
    assert.deepEqual(toDownload(rec), { key: 'k', hash: '', name: '', category: 'c', tags: ['t'], savePath: '/s', state: 'queued', queuedAt: '2030-01-01T00:00:00.000Z', torrentId: 7 });
    const added = toDownload({ ...rec, phase: 'added', hash: 'h', name: 'N', queuedAt: '2030-01-02T00:00:00.000Z' }, true);
    assert.deepEqual([added.hash, added.name, added.queuedAt, added.dryRun], ['h', 'N', '2030-01-02T00:00:00.000Z', true]);
  });
});

describe('lib/queue source: one MAM call per torrent per run', () => {
  it('fetches a .torrent once per id, and buys a wedge once: the omnibus\'s other gaps read "already personal"', async () => {
    const calls: string[] = [];
    let answer: WedgeOutcome = 'bought';
    const mam = {
      downloadTorrent: async (id: number) => { calls.push(`file ${id}`); return Buffer.from(`t${id}`); },
      buyWedge: async (id: number) => { calls.push(`wedge ${id}`); return answer; },
    };
    const run = perRunSource(mam);
    assert.equal(String(await run.downloadTorrent(1)), 't1');
    assert.equal(String(await run.downloadTorrent(1)), 't1');
    assert.equal(String(await run.downloadTorrent(2)), 't2');
    assert.deepEqual([await run.buyWedge?.(5), await run.buyWedge?.(5), await run.buyWedge?.(5)], ['bought', 'already_personal', 'already_personal']);
    answer = 'vip';
    assert.deepEqual([await run.buyWedge?.(6), await run.buyWedge?.(6)], ['vip', 'vip'], 'only a purchase turns into "already personal"');
    assert.deepEqual(calls, ['file 1', 'file 2', 'wedge 5', 'wedge 6']);
    assert.equal(perRunSource({ downloadTorrent: mam.downloadTorrent }).buyWedge, undefined, 'a client that cannot buy wedges stays so');
  });
});

describe('lib/queue wedge: spending the planned wedge', () => {
  it('no buyer, or MAM refusing, is a refusal that says the torrent is not downloaded as a paid one', async () => {
    const tail = '; not downloaded as a paid torrent (mam-search planned it as freeleech with a wedge)';
    assert.deepEqual(await spendWedge(undefined, 9), { ok: false, reason: `MyAnonamouse: torrent 9: this MAM account client cannot spend freeleech wedges${tail}` });
    const plain = await spendWedge(async () => { throw new Error('socket hang up'); }, 9);
    assert.deepEqual(plain, { ok: false, reason: `MyAnonamouse: torrent 9: socket hang up${tail}` });
    const named = await spendWedge(async () => { throw new ServiceError('MyAnonamouse', 'Not enough FL Wedges'); }, 9);
    assert.deepEqual(named, { ok: false, reason: `MyAnonamouse: Not enough FL Wedges${tail}` }, 'not prefixed twice');
    const inside = await spendWedge(async () => { throw new Error('answer from MyAnonamouse was empty'); }, 9);
    assert.match(inside.ok ? '' : inside.reason, /^MyAnonamouse: torrent 9: answer from MyAnonamouse/, 'the service name must lead, not just appear');
    assert.deepEqual(await spendWedge(async () => 'global_freeleech', 9), { ok: true, outcome: 'global_freeleech' });
  });

  it('an expired session is thrown, not a refusal', async () => {
    const expired = new ServiceError('MyAnonamouse', 'MAM session expired', { code: 'session_expired' });
    await assert.rejects(spendWedge(async () => { throw expired; }, 9), (e) => e === expired);
  });

  it('the note says whether a wedge was spent or why none was needed', () => {
    assert.equal(wedgeNote('bought'), 'freeleech wedge spent');
    assert.equal(wedgeNote('already_personal'), 'no wedge needed (already personal)');
    assert.equal(wedgeNote('vip'), 'no wedge needed (vip)');
  });
});

describe('lib/queue lock: one run at a time per store', () => {
  it('a run starts after the one before it ended (failed or not); other stores do not wait', async () => {
    const log: string[] = [];
    let releaseA!: () => void;
    let releaseB!: () => void;
    const a = serialized('s', () => new Promise<void>((r) => { log.push('a'); releaseA = r; }).then(() => log.push('a done')));
    const b = serialized('s', () => new Promise<void>((r) => { log.push('b'); releaseB = r; }).then(() => { log.push('b done'); throw new Error('b failed'); }));
    await serialized('other', async () => log.push('other'));
    assert.deepEqual(log, ['a', 'other']);
    releaseA();
    await a;
    // b runs now; a run asked for after a ended still waits for b.
    const c = serialized('s', async () => log.push('c'));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(log, ['a', 'other', 'a done', 'b']);
    releaseB();
    await assert.rejects(b, /b failed/);
    await c;
    assert.deepEqual(log, ['a', 'other', 'a done', 'b', 'b done', 'c']);
  });
});

describe('lib/queue lanes: a run waits for its own store only', () => {
  it('a run waits while its store\'s lane is busy (lib/heal shares it), not for another store\'s', async () => {
    forgetStores();
    const intents: string[] = [];
    const depsFor = async (dir: string) => {
      const wanted = await WantedStore.open(dir);
      await wanted.syncGaps([candidate(1).gap]);
      const hooks = { afterIntent: (k: string) => { intents.push(`${dir}:${k}`); } };
      return { qbit: new FakeQbit(), source: { downloadTorrent: async (id: number) => fakeTorrent(`book-${id}`) }, downloads: await DownloadStore.open(dir), wanted, lockKey: dir, hooks };
    };
    const [busyDir, freeDir] = [tempStoreDir('abg-lane-busy-'), tempStoreDir('abg-lane-free-')];
    let open!: () => void;
    const gate = new Promise<void>((r) => { open = r; });
    const busy = inQueueLane(busyDir, () => gate);
    // Should the other store wait too, it is let go after a while, so the test fails instead of hanging.
    const free = runQueue(await depsFor(freeDir), [candidate(1)], settings).then((r) => r.downloads.length);
    const first = await Promise.race([free, new Promise((r) => setTimeout(() => r('still waiting'), 5000))]);
    if (first === 'still waiting') open();
    assert.equal(first, 1);
    const waiting = runQueue(await depsFor(busyDir), [candidate(1)], settings);
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(intents, [`${freeDir}:${candidate(1).gap.key}`], 'not started while its lane is busy');
    open();
    await busy;
    assert.equal((await waiting).downloads.length, 1);
  });
});

describe('lib/queue DownloadStore: the exactly-once ledger', () => {
  let dir: string;
  let store: DownloadStore;
  const base = (key: string, intentAt: string): Omit<DownloadRecord, 'phase'> => ({ key, gap: candidate(1).gap, torrentId: 1, category: 'c', tags: [], savePath: '', paused: false, intentAt });
  beforeEach(async () => {
    forgetStores();
    dir = tempStoreDir('abg-ledger-');
    store = await DownloadStore.open(dir);
  });

  it('one intent per key; changes touch only their own record; lists sort by intent time, then key', async () => {
    assert.equal(await store.recordIntent(base('b', '2030-01-02T00:00:00.000Z')), true);
    assert.equal(await store.recordIntent(base('a', '2030-01-03T00:00:00.000Z')), true);
    assert.equal(await store.recordIntent(base('c', '2030-01-02T00:00:00.000Z')), true);
    assert.equal(await store.recordIntent(base('b', '2030-01-09T00:00:00.000Z')), false, 'the key is taken');
    assert.deepEqual((await store.list()).map((r) => r.key), ['b', 'c', 'a']);
    // Each change is made to two records: one that landed on the wrong record would show.
    for (const k of ['b', 'c']) await store.update(k, { hash: `h${k}`, torrentFile: 'c2VjcmV0LXBhc3NrZXk=' });
    for (const k of ['c', 'a']) await store.confirm(k, { queuedAt: '2030-01-04T00:00:00.000Z' });
    for (const k of ['a', 'c']) await store.setWatch(k, { emitted: [k === 'c' ? 'completed' : 'stalled'] });
    const [a, b, c] = [await store.get('a'), await store.get('b'), await store.get('c')];
    assert.deepEqual([a?.phase, a?.hash, a?.watch], ['added', undefined, { emitted: ['stalled'] }]);
    assert.deepEqual([b?.phase, b?.hash, !!b?.torrentFile, b?.watch], ['intent', 'hb', true, undefined]);
    assert.deepEqual([c?.phase, c?.hash, c?.torrentFile, c?.watch], ['added', 'hc', undefined, { emitted: ['completed'] }]);
    assert.deepEqual((await store.list({ phase: 'intent' })).map((r) => r.key), ['b']);
    assert.equal((await store.byHash('hc'))?.key, 'c');
  });

  it('the .torrent (it holds the passkey) is gone from downloads.db once confirmed or dropped', async () => {
    const secret = Buffer.from('d8:announce40:https://t.example/announce?passkey=SECRETe').toString('base64');
    const file = () => readFileSync(join(dir, 'downloads.db'), 'utf8');
    await store.recordIntent(base('a', '2030-01-01T00:00:00.000Z'));
    await store.recordIntent(base('b', '2030-01-01T00:00:00.000Z'));
    await store.update('a', { hash: 'ha', torrentFile: secret });
    await store.update('b', { hash: 'hb', torrentFile: secret });
    assert.ok(file().includes(secret));
    await store.confirm('a', {});
    await store.drop('b');
    assert.ok(!file().includes(secret));
    assert.equal(await store.get('b'), null);
  });

  it('drop removes an intent only; byHash finds confirmed downloads only; retire moves only a confirmed one aside', async () => {
    await store.recordIntent(base('a', '2030-01-01T00:00:00.000Z'));
    await store.recordIntent(base('b', '2030-01-01T00:00:00.000Z'));
    await store.update('a', { hash: 'ha' });
    await store.update('b', { hash: 'hb' });
    assert.equal(await store.byHash('ha'), null, 'an intent is not a download yet');
    await store.confirm('a', {});
    await store.drop('a');
    assert.equal((await store.get('a'))?.phase, 'added', 'a confirmed download is never dropped');
    await store.retire('b');
    assert.deepEqual((await store.list()).map((r) => r.key).sort(), ['a', 'b'], 'an intent is not retired, nor anything else');
    await store.retire('a');
    assert.equal(await store.get('a'), null, 'the key is free for a new attempt');
    const kept = (await store.list()).find((r) => r.hash === 'ha') as DownloadRecord & { retiredFrom?: string };
    assert.match(kept.key, /^a~retired~\d+$/);
    assert.equal(kept.retiredFrom, 'a');
    assert.equal(await store.recordIntent(base('a', '2030-02-01T00:00:00.000Z')), true);
  });

  it('an intent that died before its .torrent or magnet was fetched is dropped by the next run, which queues the book once', async () => {
    const c = candidate(7);
    await store.recordIntent({ ...base(c.gap.key, '2030-01-01T00:00:00.000Z'), torrentId: c.torrent.id });
    await store.recordIntent({ ...base('other', '2030-01-01T00:00:00.000Z'), hash: 'f'.repeat(40) });
    const qbit = new FakeQbit();
    let fetched = 0;
    const report = await runQueue({ qbit, source: { downloadTorrent: async () => { fetched++; return fakeTorrent('Seven'); } }, downloads: store, lockKey: dir }, [c], settings);
    assert.deepEqual([report.healed, report.failed, report.downloads.map((d) => d.key), fetched, qbit.adds], [[], [], [c.gap.key], 1, 1]);
    assert.equal(await store.get('other'), null, 'a hash without its payload cannot be added either: dropped');
  });

  it('only a taken key reads as "already queued": a write that fails otherwise is an error', async () => {
    const bad = { ...base('x', '2030-01-01T00:00:00.000Z'), gap: { ...candidate(1).gap, $where: 'not storable' } };
    await assert.rejects(store.recordIntent(bad), /\$/);
    assert.deepEqual(await store.list(), []);
  });
});
