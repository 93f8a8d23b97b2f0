// MAM account health: IP/ASN refusals named as such (with what to do on MAM's side), the
// dynamic seedbox answers each mapped to a status, at most one seedbox request an hour (an
// injected clock), and the account summary with its badge and alerts.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MamClient, SESSION_EXPIRED, type MamUserStatus } from '../../lib/mam/client';
import { ServiceError } from '../../lib/errors';
import { sessionUnusable } from '../../lib/mam/account-refusals';
import { HOUR_MS, SeedboxRegistrar, seedboxMemory, type SeedboxStatus } from '../../lib/mam/account-seedbox';
import { accountSummary, summaryBadge } from '../../lib/mam/account-summary';
import { closeStores, collection } from '../../lib/store/store';
import { runSearch } from '../../lib/mam/search-run';
import { runQueue } from '../../lib/queue/queue';
import { DownloadStore } from '../../lib/queue/downloads';
import { FakeQbit, candidate } from '../helpers/qbittorrent';
import { mamRow, startMamSim, type MamSim } from '../sim/mam-sim';

const TORRENT = Buffer.from('d8:announce22:http://127.0.0.1/ann4:infod4:name4:testee');

describe('lib/mam account health', () => {
  let sim: MamSim;
  let client: MamClient;
  before(async () => { sim = await startMamSim({ mamId: 'acct-cookie' }); });
  after(async () => { await sim.close(); });
  beforeEach(() => {
    client = new MamClient({ baseUrl: sim.url, mamId: 'acct-cookie', minIntervalMs: 1 });
    sim.account.refuse(null);
    Object.assign(sim.account.seedbox, { registeredIp: undefined, lastChange: undefined, allowed: true, asnMismatch: false, nonApi: false, requests: 0 });
  });
  afterEach(() => client.close());

  describe('IP / ASN refusals on search and download', () => {
    it('401 "ip … does not match" on a download says the session is IP-locked and what to do on MAM', async () => {
      sim.addTorrent(77, TORRENT);
      sim.account.refuse({ kind: 'ip', path: '/tor/download.php' });
      const err = await client.downloadTorrent(77).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof ServiceError);
      assert.equal(err.code, 'ip_mismatch');
      assert.match(err.message, /^MyAnonamouse: refused the request from 198\.51\.100\.7: the IP does not match the session \(HTTP 401\)/);
      assert.match(err.message, /Preferences → Security on MyAnonamouse/);
      assert.match(err.message, /seedbox IP/);
      assert.ok(!err.message.includes(SESSION_EXPIRED));
      assert.equal(sessionUnusable(err), true, 'the run stops at the first refusal, like an expired session');
    });

    it('403 "Session ASN mismatch" on a search names the network lock', async () => {
      sim.account.refuse({ kind: 'asn' });
      const err = await client.search({ text: 'x', srchIn: ['title'] }).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof ServiceError);
      assert.equal(err.code, 'asn_mismatch');
      assert.match(err.message, /"Session ASN mismatch" \(HTTP 403\).*locked to another network.*create a new session from the network Node-RED runs on/);
      assert.equal(sessionUnusable(err), true);
    });

    it('mam-search stops its run at the first refused search, and qbit-queue at the first refused download', async () => {
      sim.addRow(mamRow({ id: 5, title: 'Leviathan Wakes', authors: ['James S. A. Corey'], series: [['The Expanse', '1']] }));
      sim.account.refuse({ kind: 'asn', path: '/tor/js/loadSearchJSONbasic.php' });
      const gaps = [1, 2, 3].map((n) => candidate(n).gap);
      const before = sim.searches().length;
      await assert.rejects(runSearch(gaps, { api: client }, { cacheTtlMs: 0 }), (e: unknown) => e instanceof ServiceError && e.code === 'asn_mismatch');
      assert.equal(sim.searches().length - before, 1, 'no second search with a refused session');

      sim.account.refuse({ kind: 'ip', path: '/tor/download.php' });
      const dir = mkdtempSync(join(tmpdir(), 'abg-refused-queue-'));
      const downloads = await DownloadStore.open(dir);
      const qbit = new FakeQbit();
      const fetchesBefore = sim.requests.filter((r) => r.path === '/tor/download.php').length;
      const settings = { category: 'audiobooks', tags: [], savePath: '', paused: false, maxPerRun: 10, dryRun: false, requireApproval: false };
      await assert.rejects(runQueue({ qbit, source: client, downloads, lockKey: dir }, [candidate(1), candidate(2)], settings), (e: unknown) => e instanceof ServiceError && e.code === 'ip_mismatch');
      assert.equal(sim.requests.filter((r) => r.path === '/tor/download.php').length - fetchesBefore, 1, 'no second download');
      assert.equal(qbit.adds, 0);
      assert.deepEqual(await downloads.list(), [], 'nothing recorded');
      closeStores();
    });

    it('a 403 without either reason is still the expired session', async () => {
      sim.account.refuse({ kind: 'plain' });
      await assert.rejects(client.userStatus(), (e: unknown) => e instanceof ServiceError && e.code === 'session_expired' && e.message.includes(SESSION_EXPIRED));
      assert.equal(sessionUnusable(new ServiceError('MyAnonamouse', 'x', { code: 'rate_limited' })), false);
    });
  });

  describe('dynamic seedbox IP', () => {
    const t0 = Date.parse('2026-11-29T06:00:00Z');
    const registrar = (clock: { t: number }, memory?: ReturnType<typeof seedboxMemory>) => new SeedboxRegistrar(client, { baseUrl: sim.url, now: () => new Date(clock.t), memory });

    const cases: [string, () => void, SeedboxStatus['state'], RegExp][] = [
      ['success', () => undefined, 'updated', /^seedbox IP set to 198\.51\.100\.7$/],
      ['no change', () => { sim.account.seedbox.registeredIp = '198.51.100.7'; }, 'unchanged', /unchanged 198\.51\.100\.7/],
      ['too recent', () => { Object.assign(sim.account.seedbox, { registeredIp: '203.0.113.1', lastChange: Date.now() }); }, 'too_recent', /last change too recent .*nothing to do/],
      ['ASN refusal', () => { sim.account.seedbox.asnMismatch = true; }, 'asn_refused', /"Invalid session - ASN mismatch".*create the session from the network the torrent client uses/],
      ['session without the permission', () => { sim.account.seedbox.allowed = false; }, 'not_allowed', /"Allow Session to set Dynamic Seedbox"/],
      ['browser cookie', () => { sim.account.seedbox.nonApi = true; }, 'not_allowed', /browser cookie/],
    ];
    for (const [label, arrange, state, message] of cases) {
      it(`maps MAM's answer "${label}" to ${state}`, async () => {
        arrange();
        const s = await registrar({ t: t0 }).register();
        assert.equal(s.state, state);
        assert.match(s.message, message);
        assert.equal(sim.account.seedbox.requests, 1);
        assert.equal(s.nextAt, new Date(t0 + HOUR_MS).toISOString());
      });
    }

    it('asks at most once an hour, also across a restart (the last answer is in the store)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'abg-seedbox-'));
      const memory = seedboxMemory(await collection(dir, 'state'), 'acct1');
      const clock = { t: t0 };
      const r = registrar(clock, memory);
      assert.equal((await r.register()).state, 'updated');
      clock.t = t0 + 59 * 60_000;
      const again = await r.register();
      assert.equal(again.cached, true);
      assert.equal(again.state, 'updated');
      assert.equal(sim.account.seedbox.requests, 1, 'no second request within the hour');

      closeStores(); // a restart: a new registrar reads the last answer back
      const restarted = registrar(clock, seedboxMemory(await collection(dir, 'state'), 'acct1'));
      assert.equal((await restarted.register()).cached, true);
      assert.equal(sim.account.seedbox.requests, 1);

      clock.t = t0 + HOUR_MS;
      sim.account.seedbox.callerIp = '198.51.100.8';
      sim.account.seedbox.lastChange = Date.now() - HOUR_MS; // MAM's own clock: an hour has passed there too
      const next = await restarted.register();
      assert.equal(next.state, 'updated');
      assert.equal(next.ip, '198.51.100.8');
      assert.equal(sim.account.seedbox.requests, 2);
      closeStores();
    });

    it('two callers at once share one request', async () => {
      const r = registrar({ t: t0 });
      const [a, b] = await Promise.all([r.register(), r.register()]);
      assert.equal(a.state, 'updated');
      assert.equal(b.state, 'updated');
      assert.equal(sim.account.seedbox.requests, 1);
    });
  });

  describe('account summary', () => {
    const GiB = 1024 ** 3;
    const user: MamUserStatus = { username: 'reader', uid: 1, classname: 'User', ratio: 2.31, uploadedBytes: 231 * GiB, downloadedBytes: 100 * GiB, seedbonus: 12345, wedges: 4, unsatisfied: { count: 12, limit: 50 } };

    it('carries class, ratio, buffer to the floor, unsatisfied, wedges, bonus points and the seedbox state', () => {
      const seedbox: SeedboxStatus = { state: 'unchanged', message: 'seedbox IP unchanged', at: 'x', nextAt: 'y' };
      const s = accountSummary(user, { ratioFloor: 1.5, unsatMargin: 5 }, seedbox, new Date('2026-11-29T06:00:00Z'));
      assert.equal(s.classname, 'User');
      assert.equal(s.ratio, 2.31);
      assert.equal(s.bufferBytes, Math.round((231 * GiB) / 1.5 - 100 * GiB), 'bytes until the ratio is at the floor');
      assert.deepEqual(s.unsatisfied, { count: 12, limit: 50, margin: 5 });
      assert.equal(s.wedges, 4);
      assert.equal(s.bonusPoints, 12345);
      assert.equal(s.seedbox.state, 'unchanged');
      assert.deepEqual(s.alerts, []);
      assert.equal(summaryBadge(s), 'ratio 2.31 · 12/50');
      assert.equal(accountSummary(user, { ratioFloor: 0, unsatMargin: 5 }, undefined).bufferBytes, 131 * GiB, 'no floor: MAM\'s buffer, upload − download');
      assert.equal(accountSummary(user, { ratioFloor: 0, unsatMargin: 5 }, undefined).seedbox.state, 'off');
    });

    it('alerts on a ratio under the floor, unsatisfied at the limit minus the margin, and a seedbox refusal', () => {
      const refused: SeedboxStatus = { state: 'asn_refused', message: 'seedbox IP refused: ASN', at: 'x', nextAt: 'y' };
      const s = accountSummary({ ...user, ratio: 1.2, unsatisfied: { count: 45, limit: 50 } }, { ratioFloor: 1.5, unsatMargin: 5 }, refused);
      assert.equal(s.alerts.length, 3);
      assert.match(s.alerts[0], /ratio 1\.20 is below your floor 1\.5/);
      assert.match(s.alerts[1], /45 of 50 unsatisfied/);
      assert.equal(s.alerts[2], 'seedbox IP refused: ASN');
      assert.equal(accountSummary({ ...user, unsatisfied: { count: 44, limit: 50 } }, { ratioFloor: 1.5, unsatMargin: 5 }, undefined).alerts.length, 0);
      assert.equal(summaryBadge({ ...s, ratio: Number.POSITIVE_INFINITY, unsatisfied: null }), 'ratio ∞');
    });
  });
});
