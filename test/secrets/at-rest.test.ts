// Secrets at rest: the store is owner-only (directory 0700, files 0600), a broken file is set
// aside once, the passkey-bearing .torrent leaves downloads.db once the add is confirmed, the
// rotated MAM cookie is encrypted with a fresh nonce each time and does not pile up in the
// redaction list, and the metadata User-Agent names this package, not a placeholder.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collection, forgetStores } from '../../lib/store/store';
import { DownloadStore } from '../../lib/queue/downloads';
import { RotatedCookieStore } from '../../lib/mam/cookie-store';
import { MamClient } from '../../lib/mam/client';
import { registeredSecretCount, redact } from '../../lib/secrets';
import { USER_AGENT, userAgent } from '../../lib/metadata/fetch';
import { tempStoreDir } from '../helpers/node-red';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('secrets at rest', () => {
  beforeEach(() => forgetStores());

  it('the store directory is 0700 and its files 0600, also when an older version made them 0755/0644', async () => {
    const dir = join(tempStoreDir('abg-modes-'), 'audiobook-gaps');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'wanted.db'), '{"_id":"a","key":"series:x#1"}\n', { mode: 0o644 });
    chmodSync(join(dir, 'wanted.db'), 0o644);
    const wanted = await collection(dir, 'wanted');
    const fresh = await collection(dir, 'downloads');
    await fresh.insert({ key: 'k' });
    await wanted.insert({ key: 'series:x#2' });
    await (fresh as unknown as { compactDatafileAsync(): Promise<void> }).compactDatafileAsync();
    assert.equal(mode(dir).toString(8), '700');
    for (const f of ['wanted.db', 'downloads.db']) assert.equal(mode(join(dir, f)).toString(8), '600', f);
  });

  it('a broken file is copied aside once (0600): reopening it again and again adds no copies', async () => {
    const dir = tempStoreDir('abg-aside-');
    const file = join(dir, 'wanted.db');
    writeFileSync(file, '{"key":"ok"}\n{"key":"half-writ');
    for (let i = 0; i < 3; i++) {
      forgetStores();
      await assert.rejects(collection(dir, 'wanted'), /Store: cannot read .*wanted\.db: its last line is half-written.*a copy was saved as .*wanted\.db\.corrupt-/);
    }
    let copies = readdirSync(dir).filter((f) => f.startsWith('wanted.db.corrupt-'));
    assert.equal(copies.length, 1, 'one copy for three restarts');
    assert.equal(mode(join(dir, copies[0])).toString(8), '600');
    // A different breakage is a different file: it gets its own copy.
    writeFileSync(file, 'garbage\n{"key":"ok"}\n');
    forgetStores();
    await assert.rejects(collection(dir, 'wanted'), /line 1 is not a valid record/);
    copies = readdirSync(dir).filter((f) => f.startsWith('wanted.db.corrupt-'));
    assert.equal(copies.length, 2);
  });

  describe('the .torrent (it carries the passkey) leaves downloads.db', () => {
    const PASSKEY = 'passkey-0123456789abcdef';
    const torrent = Buffer.from(`d8:announce40:https://t.example/announce.php?${PASSKEY}e`).toString('base64');
    const intent = (key: string) => ({ key, gap: { key } as never, torrentId: 1, category: 'a', tags: [], savePath: '/x', paused: false, intentAt: new Date().toISOString() });

    for (const end of ['confirmed', 'dropped'] as const) {
      it(`once the add is ${end}`, async () => {
        const dir = tempStoreDir('abg-torrent-');
        const downloads = await DownloadStore.open(dir);
        await downloads.recordIntent(intent('series:a#1'));
        await downloads.update('series:a#1', { hash: 'h', torrentFile: torrent });
        assert.ok(readFileSync(join(dir, 'downloads.db'), 'utf8').includes(torrent), 'kept while the add is pending (crash healing)');
        if (end === 'confirmed') await downloads.confirm('series:a#1', { queuedAt: new Date().toISOString() });
        else await downloads.drop('series:a#1');
        const onDisk = readFileSync(join(dir, 'downloads.db'), 'utf8');
        assert.ok(!onDisk.includes(torrent) && !onDisk.includes(PASSKEY), 'no .torrent bytes left in the file');
        if (end === 'confirmed') assert.equal((await downloads.get('series:a#1'))?.phase, 'added');
      });
    }
  });

  it('the rotated MAM cookie is encrypted with a fresh nonce every time (a constant IV is caught)', async () => {
    const db = await collection(tempStoreDir('abg-nonce-'), 'state');
    const store = new RotatedCookieStore(db, 'node-1', 'original-mam-id');
    const docs: { iv: string; data: string }[] = [];
    for (const value of ['rotated-cookie-A', 'rotated-cookie-A', 'rotated-cookie-B']) {
      await store.save(value);
      docs.push((await db.findOne({ kind: 'mam-cookie', nodeId: 'node-1' })) as unknown as { iv: string; data: string });
      assert.equal(await store.load(), value);
    }
    assert.equal(new Set(docs.map((d) => d.iv)).size, 3, 'three encryptions, three nonces');
    assert.notEqual(docs[0].data, docs[1].data, 'the same cookie twice does not give the same ciphertext');
    assert.equal(Buffer.from(docs[0].iv, 'base64').length, 12, '96-bit GCM nonce');
  });

  it('the redaction list does not grow with every rotated mam_id: the newest replaces the last', async () => {
    let n = 0;
    const server = createServer((_req, res) => {
      n++;
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': `mam_id=rotation-number-${n}; path=/` });
      res.end(JSON.stringify({ username: 'u', classname: 'User', ratio: 1, wedges: 0 }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const client = new MamClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, mamId: 'pasted-original-session', minIntervalMs: 0 });
    try {
      await client.userStatus().catch(() => undefined);
      const after1 = registeredSecretCount();
      for (let i = 0; i < 5; i++) await client.userStatus().catch(() => undefined);
      assert.equal(n, 6);
      assert.equal(registeredSecretCount(), after1, 'five more rotations, no more secrets');
      assert.equal(redact('cookie rotation-number-6'), 'cookie ***', 'the current one is redacted');
      assert.equal(redact('pasted-original-session'), '***', 'the pasted one (the key of the saved cookie) stays registered');
    } finally {
      await client.close();
      server.close();
    }
  });

  it('the metadata User-Agent names this package and its version, no placeholder URL', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { name: string; version: string; repository?: unknown };
    assert.ok(USER_AGENT.startsWith(`${pkg.name}/${pkg.version}`), USER_AGENT);
    assert.doesNotMatch(USER_AGENT, /github\.com\/\)|example|placeholder/);
    if (!pkg.repository) assert.equal(USER_AGENT, `${pkg.name}/${pkg.version}`);
    assert.equal(userAgent({ name: 'p', version: '1.2.3', repository: 'https://github.com/o/p' }), 'p/1.2.3 (+https://github.com/o/p)');
  });
});
