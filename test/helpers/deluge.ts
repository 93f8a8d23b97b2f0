// Starts a REAL deluged + deluge-web (Debian 2.0.3) for integration tests: one temporary
// config dir with a known daemon account (auth), a core.conf that keeps the daemon on
// 127.0.0.1 (no DHT/LSD/UPnP/NAT-PMP, fixed peer port, no queue limits, Label plugin on), and
// a host list that points the web UI at this daemon. The web password is Deluge's default.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './qbittorrent';
import { kill, waitForHttp, waitForTcp, type DaemonInstance } from './daemon';

/** Deluge's config files are two JSON objects back to back: a version header, then the values. */
const delugeConfig = (file: number, values: unknown) => `${JSON.stringify({ file, format: 1 })}${JSON.stringify(values, null, 2)}`;

export async function startDeluge(): Promise<DaemonInstance> {
  const root = mkdtempSync(join(tmpdir(), 'abg-deluge-'));
  const config = join(root, 'config');
  const downloads = join(root, 'downloads');
  mkdirSync(config, { recursive: true });
  mkdirSync(downloads, { recursive: true });
  // deluge-web reads the 'localclient' account at start (and dies without one).
  const daemonUser = 'localclient';
  const daemonPassword = 'daemon-pw';
  writeFileSync(join(config, 'auth'), `${daemonUser}:${daemonPassword}:10\n`, { mode: 0o600 });
  let daemon: ChildProcess | undefined;
  let web: ChildProcess | undefined;
  let output = '';
  let url = '';
  let daemonPort = 0;
  const spawnLogged = (cmd: string, args: string[]) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: root } });
    p.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
    p.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
    return p;
  };
  const start = async () => {
    daemon = spawnLogged('deluged', ['-d', '-c', config, '-p', String(daemonPort), '-u', '127.0.0.1', '-i', '127.0.0.1', '-L', 'warning']);
    // The web UI connects to its host at the first call: the daemon must be listening by then.
    await waitForTcp('deluged', daemonPort, daemon, () => output);
    web = spawnLogged('deluge-web', ['-d', '-c', config, '-p', new URL(url).port, '-i', '127.0.0.1', '-L', 'warning']);
    await waitForHttp('deluge-web', `${url}/json`, web, () => output);
  };
  for (let attempt = 1; ; attempt++) {
    const [webPort, peerPort] = [await freePort(), await freePort()];
    daemonPort = await freePort();
    url = `http://127.0.0.1:${webPort}`;
    writeFileSync(join(config, 'core.conf'), delugeConfig(1, {
      download_location: downloads, move_completed_path: downloads, torrentfiles_location: downloads,
      listen_ports: [peerPort, peerPort], random_port: false, listen_interface: '127.0.0.1', outgoing_interface: '',
      dht: false, lsd: false, upnp: false, natpmp: false, utpex: false, new_release_check: false, allow_remote: false,
      max_active_downloading: -1, max_active_seeding: -1, max_active_limit: -1, daemon_port: daemonPort,
      enabled_plugins: ['Label'],
    }));
    writeFileSync(join(config, 'hostlist.conf'), delugeConfig(3, { hosts: [['abgtest0000000000000000000000000', '127.0.0.1', daemonPort, daemonUser, daemonPassword]] }));
    output = '';
    try {
      await start();
      break;
    } catch (err) {
      await Promise.all([kill(web), kill(daemon)]);
      if (attempt >= 5 || !/in use|CannotListen/i.test(output)) throw err;
    }
  }
  return {
    url, username: '', password: 'deluge', downloads,
    log: () => output,
    restart: async () => { await Promise.all([kill(web), kill(daemon)]); await start(); },
    stop: async () => { await Promise.all([kill(web), kill(daemon)]); },
    close: async () => { await Promise.all([kill(web), kill(daemon)]); rmSync(root, { recursive: true, force: true }); },
  };
}
