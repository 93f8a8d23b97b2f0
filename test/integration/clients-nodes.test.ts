// The transmission-server and deluge-server config nodes against the REAL daemons: each owns
// one client from URL + credentials, and its Test button answers "<Client> <version>, N
// torrents" or the exact error, never with the password.
import assert from 'node:assert/strict';
import type { DownloadClient } from '../../lib/clients/types';
import delugeServerNode from '../../nodes/deluge-server/deluge-server';
import transmissionServerNode from '../../nodes/transmission-server/transmission-server';
import type { DaemonInstance } from '../helpers/daemon';
import { startDeluge } from '../helpers/deluge';
import { helper } from '../helpers/node-red';
import { freePort } from '../helpers/qbittorrent';
import { startTransmission } from '../helpers/transmission';

type AdminAnswer = { ok: boolean; result?: unknown; error?: string };

const configNodes = [
  { type: 'transmission-server', name: 'Transmission', node: transmissionServerNode, start: startTransmission, refused: 'check user and password', creds: (d: DaemonInstance, password: string) => ({ username: d.username, password }) },
  { type: 'deluge-server', name: 'Deluge', node: delugeServerNode, start: startDeluge, refused: 'check the web UI password', creds: (_d: DaemonInstance, password: string) => ({ password }) },
];

for (const cfg of configNodes) {
  describe(`${cfg.type} node`, function () {
    this.timeout(30_000);
    let d: DaemonInstance;
    before(async () => { d = await cfg.start(); });
    after(async () => { await helper.unload(); await d?.close(); });

    const admin = async (body: object): Promise<{ json: AdminAnswer; text: string }> => {
      const res = await helper.request().post(`/audiobook-gaps/${cfg.type}/test`).send(body).expect(200);
      return { json: res.body as AdminAnswer, text: res.text };
    };

    it('owns one client; Test reports the version or the exact error without the password', async () => {
      await helper.load(cfg.node, [{ id: 'srv', type: cfg.type, url: d.url } as never], { srv: cfg.creds(d, d.password) });
      const node = helper.getNode('srv') as unknown as { client: DownloadClient };
      assert.match(await node.client.describe(), new RegExp(`^${cfg.name} \\d+\\.\\d+\\S*, 0 torrents$`));

      const stored = await admin({ id: 'srv', url: d.url, credentials: cfg.creds(d, '__PWRD__') });
      assert.deepEqual([stored.json.ok, String(stored.json.result)], [true, await node.client.describe()]);
      const wrong = await admin({ url: d.url, credentials: cfg.creds(d, 'typed-wrong-pass-7') });
      assert.deepEqual(wrong.json, { ok: false, error: `${cfg.name}: login refused (${cfg.refused})` });
      assert.ok(!wrong.text.includes('typed-wrong-pass-7') && !stored.text.includes(d.password));
      const port = await freePort();
      const down = await admin({ url: `http://127.0.0.1:${port}`, credentials: cfg.creds(d, 'x') });
      assert.equal(down.json.error, `${cfg.name}: cannot reach http://127.0.0.1:${port} (ECONNREFUSED)`);
      // A host named like the client keeps its name in messages (Deluge's public default password is not redacted).
      const named = await admin({ url: 'http://deluge.invalid:1', credentials: cfg.creds(d, 'x') });
      assert.match(String(named.json.error), /^\w+: cannot reach http:\/\/deluge\.invalid:1 \(/);
    });
  });
}
