// Starts a REAL qbittorrent-nox for integration tests: a temporary profile, a free loopback
// WebUI port, and a config that keeps everything on 127.0.0.1 (no DHT/PeX/LSD/UPnP, peer
// listener bound to loopback) and never bans us for the wrong-password test. restart() kills
// the process and starts it again on the same profile, like a host reboot.
import { spawn, type ChildProcess } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddOptions, QbitTorrent } from '../../lib/qbit/adapter';
import type { QbitLike } from '../../lib/queue/queue';
import { readTorrentFile } from '../../lib/qbit/torrent-file';
import { ServiceError } from '../../lib/errors';
import { decodeMagnet, NOT_A_MAGNET } from '../../lib/clients/common';
import type { Candidate } from '../../lib/types';
import { kill, type DaemonInstance } from './daemon';

export interface QbitInstance extends DaemonInstance {
  profile: string;
  /** The BitTorrent port it listens on (127.0.0.1): another instance can be given it as a peer. */
  peerPort: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** qBittorrent's stored password format: PBKDF2-HMAC-SHA512, 100000 rounds, 16-byte salt. */
function passwordHash(password: string): string {
  const salt = randomBytes(16);
  const key = pbkdf2Sync(password, salt, 100_000, 64, 'sha512');
  return `@ByteArray(${salt.toString('base64')}:${key.toString('base64')})`;
}

function writeConfig(profile: string, webPort: number, peerPort: number, username: string, password: string, downloads: string): void {
  const dir = join(profile, 'qBittorrent', 'config');
  mkdirSync(dir, { recursive: true });
  const conf = [
    '[LegalNotice]', 'Accepted=true', '',
    '[BitTorrent]',
    'Session\\DHTEnabled=false', 'Session\\PeXEnabled=false', 'Session\\LSDEnabled=false',
    `Session\\Port=${peerPort}`, 'Session\\Interface=lo', 'Session\\InterfaceName=lo', 'Session\\InterfaceAddress=127.0.0.1',
    'Session\\QueueingSystemEnabled=false', 'Session\\AnonymousModeEnabled=true',
    `Session\\DefaultSavePath=${downloads}`, '',
    '[Network]', 'PortForwardingEnabled=false', '',
    '[Preferences]',
    'Connection\\UPnP=false', 'General\\Locale=en',
    `WebUI\\Port=${webPort}`, 'WebUI\\Address=127.0.0.1', 'WebUI\\LocalHostAuth=true',
    'WebUI\\MaxAuthenticationFailCount=1000', 'WebUI\\BanDuration=1',
    'WebUI\\CSRFProtection=false', 'WebUI\\HostHeaderValidation=false', 'WebUI\\UseUPnP=false',
    `WebUI\\Username=${username}`, `WebUI\\Password_PBKDF2="${passwordHash(password)}"`, '',
  ].join('\n');
  writeFileSync(join(dir, 'qBittorrent.conf'), conf);
}

async function waitForApi(url: string, proc: ChildProcess, log: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`qbittorrent-nox exited with ${proc.exitCode}: ${log()}`);
    try {
      // Any HTTP answer (403 before login) means the WebUI is serving.
      await fetch(`${url}/api/v2/app/version`, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`qbittorrent-nox did not answer on ${url} within ${timeoutMs} ms: ${log()}`);
}

export async function startQbittorrent(opts: { username?: string; password?: string } = {}): Promise<QbitInstance> {
  const username = opts.username ?? 'admin';
  const password = opts.password ?? 'adminadmin';
  const root = mkdtempSync(join(tmpdir(), 'abg-qbit-'));
  const profile = join(root, 'profile');
  const downloads = join(root, 'downloads');
  mkdirSync(downloads, { recursive: true });
  const peerPort = await freePort();
  let webPort = 0;
  let url = '';
  let output = '';
  let proc: ChildProcess | undefined;

  const start = async () => {
    proc = spawn('qbittorrent-nox', [`--profile=${profile}`, `--webui-port=${webPort}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOME: root, QBT_LEGAL_NOTICE: 'confirm' },
    });
    proc.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
    proc.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
    await waitForApi(url, proc, () => output);
  };
  // A free port can be taken by another server between our check and qBittorrent's bind:
  // then pick another one (a restart later keeps the port it got).
  for (let attempt = 1; ; attempt++) {
    webPort = await freePort();
    url = `http://127.0.0.1:${webPort}`;
    writeConfig(profile, webPort, peerPort, username, password, downloads);
    output = '';
    try {
      await start();
      break;
    } catch (err) {
      await kill(proc);
      if (attempt >= 5 || !/already in use/i.test(output)) throw err;
    }
  }

  return {
    url, username, password, profile, downloads, peerPort,
    log: () => output,
    restart: async () => { await kill(proc); await start(); },
    stop: () => kill(proc),
    close: async () => { await kill(proc); rmSync(root, { recursive: true, force: true }); },
  };
}

// ---- In-memory stand-ins for unit tests -------------------------------------------------

/** A minimal but valid bencoded torrent: distinct names give distinct info-hashes. */
export function fakeTorrent(name: string): Buffer {
  const info = `d6:lengthi1000e4:name${Buffer.byteLength(name)}:${name}12:piece lengthi16384e6:pieces20:${'x'.repeat(20)}e`;
  return Buffer.from(`d8:announce24:http://127.0.0.1:9/annou4:info${info}e`);
}

export class FakeQbit implements QbitLike {
  torrents = new Map<string, QbitTorrent>();
  adds = 0;
  down: ServiceError | undefined;
  async version() { if (this.down) throw this.down; return 'v4.5.2'; }
  /** The magnet links added, in order. */
  magnets: string[] = [];
  async addTorrent(file: Uint8Array, opts: AddOptions = {}) {
    if (this.down) throw this.down;
    return this.list(readTorrentFile(file), opts);
  }
  async addMagnet(uri: string, opts: AddOptions = {}) {
    if (this.down) throw this.down;
    const facts = await decodeMagnet(uri);
    if (!facts) throw new ServiceError('qBittorrent', NOT_A_MAGNET, { code: 'bad_input' });
    this.magnets.push(uri);
    // Before its metadata comes in, qBittorrent lists a magnet by its dn (or hash), stalled in metaDL.
    return this.list({ hash: facts.hash, name: facts.name || facts.hash }, opts);
  }
  private list({ hash, name }: { hash: string; name: string }, opts: AddOptions) {
    this.adds++;
    this.torrents.set(hash, { hash, name, phase: 'downloading', state: 'downloading', held: false, progress: 0, contentPath: `/dl/${name}`, savePath: opts.savePath ?? '/dl', category: opts.category ?? '', tags: opts.tags ?? [], completionOn: 0 });
    return { hash, name };
  }
  async getTorrents(hashes: string[]) {
    if (this.down) throw this.down;
    return hashes.map((h) => this.torrents.get(h)).filter((t): t is QbitTorrent => !!t);
  }
  async waitFor(hash: string) {
    return (await this.getTorrents([hash]))[0];
  }
  async remove(hashes: string[]) {
    if (this.down) throw this.down;
    for (const h of hashes) this.torrents.delete(h);
  }
}

export const candidate = (n: number, series = 'The Expanse'): Candidate => ({
  gap: { key: `series:expanse#${n}`, kind: 'series', status: 'wanted', title: `Book ${n}`, authors: ['James S. A. Corey'], series, sequence: String(n), source: 'library', reason: 'hole' },
  torrent: { id: 1000 + n, title: `Book ${n}`, authors: ['James S. A. Corey'], narrators: [], series: [], filetype: 'm4b', sizeBytes: 1, seeders: 5, leechers: 0, added: '2024-01-01T00:00:00Z', freeleech: false, vip: false, language: 'ENG', category: 'Audiobooks' },
  score: 1, reasons: [],
});
