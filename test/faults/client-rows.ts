// The download-client rows of the fault matrix, run against a REAL Transmission or Deluge (one
// daemon per test file: transmission.test.ts, deluge.test.ts). qBittorrent's own rows are in
// services.test.ts. Every row: nothing lost, no duplicate (row.ts).
import assert from 'node:assert/strict';
import { forgetStores } from '../../lib/store/store';
import type { ClientType } from '../../lib/types';
import type { DaemonInstance } from '../helpers/daemon';
import { freePort } from '../helpers/qbittorrent';
import { printMatrixAtEnd } from './matrix';
import { runRow } from './row';

export function clientFaultRows(client: ClientType, service: 'Transmission' | 'Deluge', start: () => Promise<DaemonInstance>, refused: RegExp): void {
  printMatrixAtEnd();
  describe(`fault matrix: ${service}`, function () {
    this.timeout(60_000);
    let d: DaemonInstance;
    before(async () => { d = await start(); });
    after(async () => { await d?.close(); });
    beforeEach(() => forgetStores());

    it(`${service} not running: stops naming it; nothing recorded, no .torrent fetched`, async () => {
      const url = `http://127.0.0.1:${await freePort()}`;
      await runRow(d, {
        row: `${service} not running`, service, world: { client, seriesCount: 1 }, fault: () => undefined, first: { qbitUrl: url },
        stops: { stage: 'qbit-queue', error: /cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/ },
        check: (_o, w) => assert.equal(w.mam.requests.filter((r) => r.path === '/tor/download.php').length, 0, 'no .torrent fetched'),
        clear: () => undefined,
      });
    });

    it(`${service} wrong password (401): login refused, nothing recorded`, async () => {
      await runRow(d, {
        row: `${service} wrong password`, service, world: { client, seriesCount: 1 }, fault: () => undefined, first: { qbitPassword: 'wrong-password-xyz' },
        stops: { stage: 'qbit-queue', error: refused }, clear: () => undefined,
      });
    });

    it(`${service} restarted between add and confirm: healed, one torrent per book`, async () => {
      let adds = 0;
      let restarts = 0;
      await runRow(d, {
        row: `${service} restarted between add and confirm`, service, world: { client, seriesCount: 1 }, fault: () => undefined,
        first: () => ({ hooks: { afterAdd: async () => { if (!adds++) { restarts++; await d.restart(); } } } }),
        // The client kept the add over its restart (confirmed), or lost it: the intent stays and
        // the re-run adds it again. Both end with one torrent per book.
        keepsRunning: new RegExp(`^(|${service}: accepted torrent [0-9a-f]{40} but does not list it; it will be added again on the next run)$`), allowIntent: true,
        check: () => assert.equal(restarts, 1, 'the client was restarted once, after the first add'),
        clear: () => undefined, rerunNote: 'a kept intent is healed',
      });
    });
  });
}
