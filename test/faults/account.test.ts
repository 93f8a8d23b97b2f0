// Fault matrix, MAM account rows: a session locked to another IP or network (ASN) used from
// here, on search and on download (through the whole pipeline, the REAL qbittorrent-nox), and
// the dynamic seedbox registration's answers (the MAM simulator's account side), each with what
// the user reads and what a re-run (or the next hour) does.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOUR_MS, SeedboxRegistrar, seedboxMemory } from '../../lib/mam/account-seedbox';
import { MamClient } from '../../lib/mam/client';
import { closeStores, collection, forgetStores } from '../../lib/store/store';
import { startQbittorrent, type QbitInstance } from '../helpers/qbittorrent';
import { startMamSim } from '../sim/mam-sim';
import { printMatrixAtEnd, record } from './matrix';
import { runRow } from './row';

printMatrixAtEnd();

const SEARCH = '/tor/js/loadSearchJSONbasic.php';
const DOWNLOAD = '/tor/download.php';

describe('fault matrix: MAM account', function () {
  this.timeout(30_000);
  let q: QbitInstance;
  before(async () => { q = await startQbittorrent(); });
  after(async () => { await q?.close(); });
  beforeEach(() => forgetStores());

  it('MAM session ASN-locked to another network: search stops at once with what to do; nothing recorded; re-run queues each once', async () => {
    await runRow(q, {
      row: 'MAM session ASN mismatch (search)', service: 'MyAnonamouse', fault: (w) => w.mam.account.refuse({ kind: 'asn', path: SEARCH }),
      stops: { stage: 'mam-search', error: /"Session ASN mismatch" \(HTTP 403\).*create a new session from the network Node-RED runs on/ },
      check: (o, w) => assert.equal(w.mam.searches().length, 1, 'no second search with a refused session'),
      clear: (w) => w.mam.account.refuse(null),
    });
  });

  it('MAM session IP-locked to another address: the download stops at the first torrent with what to do; nothing added; re-run queues each once', async () => {
    await runRow(q, {
      row: 'MAM session IP mismatch (download)', service: 'MyAnonamouse', fault: (w) => w.mam.account.refuse({ kind: 'ip', path: DOWNLOAD }),
      stops: { stage: 'qbit-queue', error: /refused the request from [0-9.]+: the IP does not match the session \(HTTP 401\).*register it as the seedbox IP/ },
      check: (o, w) => assert.equal(w.mam.requests.filter((r) => r.path === DOWNLOAD).length, 1, 'no second download'),
      clear: (w) => w.mam.account.refuse(null),
      // The refused fetch brought no file: that torrent is fetched again by the re-run, once.
      refetched: (w) => [Number(w.mam.requests.find((r) => r.path === DOWNLOAD)?.query.tid)],
    });
  });

  it('dynamic seedbox IP: ASN refusal, then (fixed) set, then no change; never twice within the hour, also across a restart', async () => {
    const sim = await startMamSim();
    const client = new MamClient({ baseUrl: sim.url, mamId: sim.currentMamId, minIntervalMs: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'abg-seedbox-row-'));
    const clock = { t: Date.parse('2026-11-29T06:00:00Z') };
    const registrar = async () => new SeedboxRegistrar(client, { baseUrl: sim.url, now: () => new Date(clock.t), memory: seedboxMemory(await collection(dir, 'state'), 'acct') });
    try {
      sim.account.seedbox.asnMismatch = true;
      let r = await registrar();
      const refused = await r.register();
      assert.equal(refused.state, 'asn_refused');
      assert.match(refused.message, /create the session from the network the torrent client uses/);
      clock.t += HOUR_MS - 60_000;
      assert.equal((await r.register()).cached, true);
      closeStores(); // a restart within the hour: the stored answer, no request
      r = await registrar();
      assert.deepEqual([(await r.register()).state, sim.account.seedbox.requests], ['asn_refused', 1]);
      sim.account.seedbox.asnMismatch = false; // the user made a session from the right network
      clock.t += 60_000;
      assert.equal((await r.register()).state, 'updated');
      clock.t += HOUR_MS;
      const same = await r.register();
      assert.deepEqual([same.state, sim.account.seedbox.requests], ['unchanged', 3]);
      record({ row: 'MAM seedbox IP: ASN refusal → fixed', service: 'MyAnonamouse', outcome: 'asn_refused, then updated, then unchanged', error: refused.message, rerun: 'once an hour at most, also across a restart' });
    } finally {
      closeStores();
      await client.close();
      await sim.close();
    }
  });
});
