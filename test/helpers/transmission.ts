// Starts a REAL transmission-daemon (Debian 3.00) for integration tests: a temporary config
// dir whose settings.json binds RPC and peers to 127.0.0.1 on free ports, requires a user and
// password, and turns off DHT/PeX/LPD/uTP/port mapping and the queues (every torrent runs).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './qbittorrent';
import { kill, waitForHttp, type DaemonInstance } from './daemon';

export async function startTransmission(opts: { username?: string; password?: string } = {}): Promise<DaemonInstance> {
  const username = opts.username ?? 'admin';
  const password = opts.password ?? 'transmission-pw';
  const root = mkdtempSync(join(tmpdir(), 'abg-tr-'));
  const config = join(root, 'config');
  const downloads = join(root, 'downloads');
  mkdirSync(config, { recursive: true });
  mkdirSync(downloads, { recursive: true });
  let proc: ChildProcess | undefined;
  let output = '';
  let url = '';
  const start = async () => {
    proc = spawn('transmission-daemon', ['-f', '-g', config], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: root } });
    proc.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
    proc.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
    // Any HTTP answer (409 asks for the session id) means the RPC server is up.
    await waitForHttp('transmission-daemon', `${url}/transmission/rpc`, proc, () => output);
  };
  for (let attempt = 1; ; attempt++) {
    const [rpcPort, peerPort] = [await freePort(), await freePort()];
    url = `http://127.0.0.1:${rpcPort}`;
    writeFileSync(join(config, 'settings.json'), JSON.stringify({
      'rpc-bind-address': '127.0.0.1', 'rpc-port': rpcPort, 'rpc-authentication-required': true,
      'rpc-username': username, 'rpc-password': password, 'rpc-whitelist-enabled': false, 'rpc-host-whitelist-enabled': false,
      'dht-enabled': false, 'lpd-enabled': false, 'pex-enabled': false, 'utp-enabled': false, 'port-forwarding-enabled': false,
      'peer-port': peerPort, 'bind-address-ipv4': '127.0.0.1', 'bind-address-ipv6': '::1',
      'download-dir': downloads, 'incomplete-dir-enabled': false,
      'download-queue-enabled': false, 'seed-queue-enabled': false, 'queue-stalled-enabled': false, 'message-level': 1,
    }, null, 2));
    output = '';
    try {
      await start();
      break;
    } catch (err) {
      await kill(proc);
      if (attempt >= 5 || !/in use|bind/i.test(output)) throw err;
    }
  }
  return {
    url, username, password, downloads,
    log: () => output,
    restart: async () => { await kill(proc); await start(); },
    stop: () => kill(proc),
    close: async () => { await kill(proc); rmSync(root, { recursive: true, force: true }); },
  };
}
