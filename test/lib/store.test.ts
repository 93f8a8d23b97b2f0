import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collection, forgetStores, storeDir } from '../../lib/store/store';
import { ServiceError } from '../../lib/errors';

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

  it('the store lives in audiobook-gaps under the Node-RED user directory', () => {
    assert.equal(storeDir('/home/nr/.node-red'), join('/home/nr/.node-red', 'audiobook-gaps'));
  });

  it('one Datastore per file: every node that opens it shares the handle (nedb is not safe with two)', async () => {
    const a = await collection(dir, 'downloads');
    const b = await collection(dir, 'downloads');
    assert.equal(a, b);
    assert.notEqual(await collection(dir, 'wanted'), a);
  });

  it('a broken file is a ServiceError coded "corrupt" with its cause, and its copy is named by a file-safe time', async () => {
    const file = join(dir, 'downloads.db');
    appendFileSync(file, 'x'.repeat(80));
    const err = await collection(dir, 'downloads').then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ServiceError);
    assert.equal(err.code, 'corrupt');
    assert.ok(err.cause instanceof Error);
    // The quoted line is cut to its first 40 characters.
    assert.match(err.message, new RegExp(`its last line is half-written \\(a crash while saving\\?\\): "${'x'.repeat(40)}"; a copy`));
    const backup = readdirSync(dir).find((f) => f.startsWith('downloads.db.corrupt-'));
    assert.match(backup ?? '', /^downloads\.db\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
  });

  it('a directory where the file should be is the same "Store: cannot read" error, with no copy', async () => {
    const other = mkdtempSync(join(tmpdir(), 'abg-store-dir-'));
    mkdirSync(join(other, 'wanted.db'));
    const err = await collection(other, 'wanted').then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof ServiceError, `not a ServiceError: ${String(err)}`);
    assert.equal(err.code, 'corrupt');
    assert.match(err.message, /^Store: cannot read .*wanted\.db: .*Fix or remove the file, then redeploy\.$/);
    assert.doesNotMatch(err.message, /a copy was saved/);
  });

  it('empty lines are no broken record, wherever they are', async () => {
    const file = join(dir, 'downloads.db');
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, [...lines.slice(0, 5), '', '', ...lines.slice(5), '', ''].join('\n'));
    assert.equal(await (await collection(dir, 'downloads')).count({}), 60);
  });

  it('a broken line followed only by blank lines is still the half-written last line', async () => {
    const file = join(dir, 'downloads.db');
    appendFileSync(file, '{"key":"half\n  \n\n');
    await assert.rejects(collection(dir, 'downloads'), /its last line is half-written/);
  });
});
