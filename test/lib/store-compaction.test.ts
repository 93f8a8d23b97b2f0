// The store files are compacted on a schedule, not only at load, and only when they grew.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeStores, collection } from '../../lib/store/store';
import { compactIfGrown, configureCompaction, resetCompaction, type Timers } from '../../lib/store/compaction';

class FakeTimers implements Timers {
  ticks = new Map<number, { fn: () => void; ms: number }>();
  private next = 1;
  setInterval(fn: () => void, ms: number) { const id = this.next++; this.ticks.set(id, { fn, ms }); return id; }
  clearInterval(handle: unknown) { this.ticks.delete(handle as number); }
  fire() { for (const t of this.ticks.values()) t.fn(); }
}

describe('lib/store compaction schedule', () => {
  let timers: FakeTimers;
  afterEach(() => { closeStores(); resetCompaction(); });

  it('each tick rewrites a file that grew (one line per record) and leaves an idle one alone; close clears the timer', async () => {
    timers = new FakeTimers();
    configureCompaction({ everyMs: 60_000, timers });
    const dir = mkdtempSync(join(tmpdir(), 'abg-compact-'));
    const file = join(dir, 'downloads.db');
    const db = await collection(dir, 'downloads');
    assert.equal(timers.ticks.size, 1);
    assert.equal([...timers.ticks.values()][0].ms, 60_000);
    await db.insert({ key: 'a', n: 0 });
    for (let i = 1; i <= 30; i++) await db.update({ key: 'a' }, { $set: { n: i } });
    const lines = () => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).length;
    assert.equal(lines(), 31);
    const compacted = new Promise((resolve) => db.once('compactionDone', resolve));
    timers.fire();
    await compacted;
    await new Promise((resolve) => setImmediate(resolve)); // the tick notes the new size after the rewrite
    assert.equal(lines(), 1);
    assert.equal(JSON.parse(readFileSync(file, 'utf8').split('\n')[0]).n, 30);

    const mtime = statSync(file).mtimeMs;
    let again = false;
    db.once('compactionDone', () => { again = true; });
    timers.fire();
    await db.count({}); // queued behind any compaction the tick started
    assert.equal(again, false, 'a file that did not grow is not rewritten');
    assert.equal(statSync(file).mtimeMs, mtime);

    closeStores();
    assert.equal(timers.ticks.size, 0, 'closing the store clears its schedule');
  });

  it('compactIfGrown says whether it rewrote the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'abg-compact-'));
    const file = join(dir, 'cache.db');
    const db = await collection(dir, 'cache');
    const last = { bytes: statSync(file).size };
    await db.insert({ key: 'a' });
    await db.update({ key: 'a' }, { $set: { n: 1 } });
    assert.equal(await compactIfGrown(db, file, last), true);
    assert.equal(last.bytes, statSync(file).size);
    assert.equal(await compactIfGrown(db, file, last), false);
  });

  it('reset stops every schedule and goes back to the real timers', async () => {
    timers = new FakeTimers();
    configureCompaction({ everyMs: 60_000, timers });
    await collection(mkdtempSync(join(tmpdir(), 'abg-compact-')), 'cache');
    assert.equal(timers.ticks.size, 1);
    resetCompaction();
    assert.equal(timers.ticks.size, 0);
    closeStores();
    await collection(mkdtempSync(join(tmpdir(), 'abg-compact-')), 'cache');
    assert.equal(timers.ticks.size, 0, 'a file opened after the reset is not on the test\'s timers');
  });
});
