// The three promises of every fault-matrix row, as assertions:
// 1. the store is consistent (ledger ↔ wanted ↔ qBittorrent agree, no half-done record left
//    except the one a timeout is documented to keep), 2. after the fault is cleared and the
//    pipeline re-run, every missing book is queued — none lost — and 3. none twice: one torrent
//    per book in the REAL qBittorrent and one .torrent download per book from MAM.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { QbitAdapter } from '../../lib/qbit/adapter';
import { TransmissionAdapter } from '../../lib/clients/transmission';
import { DelugeAdapter } from '../../lib/clients/deluge';
import type { DownloadClient } from '../../lib/clients/types';
import { serviceName } from '../../lib/clients/ref';
import { DownloadStore } from '../../lib/queue/downloads';
import { WantedStore } from '../../lib/store/wanted';
import { torrentDownloads, type World } from './world';

const IN_FLIGHT = new Set(['queued', 'downloading', 'completed', 'imported', 'imported_suspect']);

/** A client of the world's own kind, at its URL (or another one: a dead port) with its password (or a wrong one). */
export function adapter(w: Pick<World, 'qbit' | 'client'>, url = w.qbit.url, password = w.qbit.password): DownloadClient {
  if (w.client === 'transmission') return new TransmissionAdapter({ baseUrl: url, username: w.qbit.username, password, timeoutMs: 5000 });
  if (w.client === 'deluge') return new DelugeAdapter({ baseUrl: url, password, timeoutMs: 5000 });
  return new QbitAdapter({ baseUrl: url, username: w.qbit.username, password, timeoutMs: 5000 });
}

/** Hashes of this world's books that the real qBittorrent holds. */
export async function torrentsInQbit(w: World, expect?: string[]): Promise<string[]> {
  const q = adapter(w);
  try {
    // qBittorrent adds asynchronously ("Ok." comes first): give expected hashes a moment to show.
    for (let i = 0; ; i++) {
      const got = (await q.getTorrents(w.missing.map((m) => m.hash))).map((t) => t.hash);
      if (!expect || expect.every((h) => got.includes(h)) || i >= 20) return got;
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    void q.close();
  }
}

/** Problems found in the store; empty when consistent. */
export async function storeProblems(w: World, opts: { allowIntent?: boolean; removedByUser?: string[] } = {}): Promise<string[]> {
  const problems: string[] = [];
  const ledger = await (await DownloadStore.open(w.dir)).list();
  const wanted = await (await WantedStore.open(w.dir)).list();
  const expect = ledger.filter((d) => d.phase === 'added' && d.hash && !opts.removedByUser?.includes(d.hash)).map((d) => d.hash as string);
  const inQbit = new Set(await torrentsInQbit(w, expect));
  const byKey = new Map(wanted.map((r) => [r.key, r]));
  for (const d of ledger) {
    const rec = byKey.get(d.key);
    if (d.phase === 'intent' && !opts.allowIntent) problems.push(`ledger ${d.key} left in phase "intent"`);
    if (d.phase === 'added') {
      if (!d.hash || (!inQbit.has(d.hash) && !opts.removedByUser?.includes(d.hash))) problems.push(`ledger ${d.key} is "added" but qBittorrent lacks ${d.hash}`);
      if (!rec || !(IN_FLIGHT.has(rec.state) || rec.state === 'failed')) problems.push(`ledger ${d.key} is "added" but wanted says ${rec?.state ?? 'nothing'}`);
    }
    if (w.ownedTitles.includes(d.gap.title ?? '')) problems.push(`an owned book was queued: ${d.gap.title}`);
  }
  const added = new Set(ledger.filter((d) => d.phase === 'added').map((d) => d.key));
  for (const r of wanted) if (IN_FLIGHT.has(r.state) && !added.has(r.key)) problems.push(`wanted ${r.key} is ${r.state} with no ledger record`);
  for (const hash of inQbit) if (!ledger.some((d) => d.hash === hash)) problems.push(`qBittorrent holds ${hash} that no ledger record knows`);
  return problems;
}

export async function assertConsistent(w: World, opts: Parameters<typeof storeProblems>[1] = {}): Promise<void> {
  assert.deepEqual(await storeProblems(w, opts), [], 'store consistent');
}

/** After the re-run: every missing book queued, once in qBittorrent, fetched once from MAM. Returns a short summary. */
export async function assertAllQueuedOnce(w: World, opts: { removedByUser?: string[]; interrupted?: number[] } = {}): Promise<string> {
  await assertConsistent(w, opts);
  const ledger = await (await DownloadStore.open(w.dir)).list({ phase: 'added' });
  const wanted = await WantedStore.open(w.dir);
  for (const m of w.missing) {
    const rec = ledger.find((d) => d.hash === m.hash);
    assert.ok(rec, `"${m.title}" (${m.series} #${m.sequence}) was lost: not in the ledger`);
    assert.equal(rec.gap.sequence, m.sequence, `ledger record for ${m.title} has the right position`);
    const state = (await wanted.get(rec.key))?.state;
    // The watcher runs after each pipeline run: queued may already be downloading or completed.
    assert.ok(IN_FLIGHT.has(state ?? '') || (state === 'failed' && opts.removedByUser?.includes(m.hash)), `"${m.title}" is ${state}, not queued`);
  }
  assert.equal(ledger.length, w.missing.length, 'no extra downloads in the ledger');
  const inQbit = await torrentsInQbit(w);
  const expected = w.missing.length - (opts.removedByUser?.length ?? 0);
  assert.equal(inQbit.length, expected, `torrents of this world in qBittorrent (${inQbit.length}) = missing books (${expected})`);
  const fetched = torrentDownloads(w);
  // A fetch the crash cut off (the file never arrived) is the one that may be asked for again.
  const again = opts.interrupted ?? [];
  for (const m of w.missing) assert.equal(fetched.get(m.torrentId) ?? 0, again.includes(m.torrentId) ? 2 : 1, `.torrent of "${m.title}" fetched from ${w.indexer?.service ?? 'MAM'} ${again.includes(m.torrentId) ? 'twice (first one cut off)' : 'exactly once'}`);
  const total = [...fetched.values()].reduce((a, b) => a + b, 0);
  assert.equal(total, w.missing.length + again.length, 'no other .torrent fetched');
  return `${inQbit.length}/${w.missing.length} in ${serviceName(w.client)}, ${total} ${w.indexer?.service ?? 'MAM'} downloads${again.length ? ` (${again.length} re-fetch of the cut-off one)` : ''}`;
}

/** SIGKILL for the test's own qbittorrent-nox (found by its temporary profile): a crash, no clean shutdown. */
export function crashQbittorrent(w: { qbit: { profile?: string } }): void {
  if (!w.qbit.profile) throw new Error('crashQbittorrent: this world has no qbittorrent-nox');
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let cmd = '';
    try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
    if (cmd.startsWith('qbittorrent-nox') && cmd.includes(`--profile=${w.qbit.profile}`)) process.kill(Number(pid), 'SIGKILL');
  }
}
