import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collection, forgetStores } from '../../lib/store/store';

describe('lib/store collection files', () => {
  let dir: string;
  beforeEach(async () => {
    forgetStores();
    dir = mkdtempSync(join(tmpdir(), 'abg-store-'));
    const db = await collection(dir, 'downloads');
    // A realistic size: nedb itself would drop a bad line silently below 10 % of the file.
    for (let i = 0; i < 60; i++) await db.insert({ key: `series:s#${i}`, phase: 'added' });
    forgetStores();
  });

  it('a half-written last line stops the load with a clear error and a byte-exact backup', async () => {
    const file = join(dir, 'downloads.db');
    appendFileSync(file, '{"key":"series:s#60","phase":"inte');
    const before = readFileSync(file, 'utf8');
    await assert.rejects(collection(dir, 'downloads'), /^Store: cannot read .*downloads\.db: its last line is half-written .*a copy was saved as .*downloads\.db\.corrupt-/);
    const backups = readdirSync(dir).filter((f) => f.startsWith('downloads.db.corrupt-'));
    assert.equal(backups.length, 1);
    assert.equal(readFileSync(join(dir, backups[0]), 'utf8'), before);
    assert.equal(readFileSync(file, 'utf8'), before, 'the store file is left as it was');
  });

  it('a broken line in the middle names its line number; once repaired the store loads with every record', async () => {
    const file = join(dir, 'downloads.db');
    const good = readFileSync(file, 'utf8');
    const lines = good.split('\n');
    writeFileSync(file, [...lines.slice(0, 10), 'not json', ...lines.slice(10)].join('\n'));
    await assert.rejects(collection(dir, 'downloads'), /line 11 is not a valid record/);
    writeFileSync(file, good); // the user's fix, then a redeploy
    const db = await collection(dir, 'downloads');
    assert.equal(await db.count({}), 60);
  });
});
