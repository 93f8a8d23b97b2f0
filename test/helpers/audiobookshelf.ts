// A REAL Audiobookshelf 2.36.0 for integration tests, started once per mocha run (the first
// absServer() call; later calls share it) and stopped when the process exits. The server copy
// comes from abs-install.ts (npm ci cached in .tmp/abs-server). Setup follows VENDORED.md:
// free loopback port, root user, ONE login (ABS rate-limits logins), then an API key that the
// tests use for everything. Libraries are folders of short ffmpeg-made audio files with real
// tags (m4b series / series-part, mp3 grouping) or a metadata.json beside them.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureAbsInstalled } from './abs-install';
import { freePort } from './qbittorrent';

export interface AudioBookSpec {
  /** Folder inside the library ("Author/Series/Book 2 - Title"); "" puts the files in the library root. */
  dir: string;
  format?: 'm4b' | 'mp3';
  /** Audio file names (default one: "<last folder>.<format>"). */
  files?: string[];
  /** ffmpeg metadata keys: title, album, artist, album_artist, series, series-part, grouping, asin… */
  tags?: Record<string, string>;
  /** Written as metadata.json beside the audio (ABS's own format). */
  metadataJson?: Record<string, unknown>;
  /** Seconds of audio per file (default 1). */
  durationSec?: number;
}

export interface AbsServer {
  /** Base URL with the router base path ("http://127.0.0.1:port/audiobookshelf"). */
  url: string;
  /** An active API key of the root user. */
  apiKey: string;
  /** Where test libraries live (removed at exit). */
  root: string;
  /** How long this run's setup took: install (0 when cached) and start + init + login + key. */
  timings: { installMs: number; startMs: number };
  api<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Writes the books under a fresh folder, creates a book library over it and scans it. */
  createLibrary(name: string, books: AudioBookSpec[]): Promise<{ id: string; folder: string }>;
  writeBooks(folder: string, books: AudioBookSpec[]): void;
  /** Starts a scan and waits until its library-scan task is gone from /api/tasks. */
  scan(libraryId: string): Promise<void>;
  /** Every item of a library, expanded (batch/get). */
  items(libraryId: string): Promise<AbsRawTestItem[]>;
  log(): string;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- raw ABS JSON in tests */
export type AbsRawTestItem = Record<string, any>;

/** Tags a book the way most rippers do: album = title, artist = album_artist = author. */
export function bookTags(b: { title: string; author: string; series?: string; part?: string; asin?: string }): Record<string, string> {
  return {
    title: b.title, album: b.title, artist: b.author, album_artist: b.author,
    ...(b.series ? { series: b.series } : {}), ...(b.part ? { 'series-part': b.part } : {}), ...(b.asin ? { asin: b.asin } : {}),
  };
}

let shared: Promise<AbsServer> | undefined;

/** The run's server; the first caller starts it (allow ~3 min for a cold install). */
export function absServer(): Promise<AbsServer> {
  shared ??= start();
  shared.catch(() => { shared = undefined; });
  return shared;
}

async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number, alive: () => string | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = alive();
    if (dead) throw new Error(`Audiobookshelf: ${dead}`);
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`Audiobookshelf: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function start(): Promise<AbsServer> {
  const t0 = Date.now();
  const { dir: serverDir, installMs } = ensureAbsInstalled((line) => console.log(`      (${line})`));
  const t1 = Date.now();
  const data = mkdtempSync(join(tmpdir(), 'abg-abs-'));
  const root = join(data, 'libraries');
  mkdirSync(root);
  let output = '';
  let proc: ChildProcess | undefined;
  let url = '';
  process.on('exit', () => {
    proc?.kill('SIGKILL');
    rmSync(data, { recursive: true, force: true });
  });
  const alive = () => (proc && proc.exitCode !== null ? `the server exited with ${proc.exitCode}: ${output.slice(-2000)}` : undefined);
  // A free port can be taken between the check and ABS's bind: then try another one.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    url = `http://127.0.0.1:${port}/audiobookshelf`;
    output = '';
    proc = spawn(process.execPath, ['index.js'], {
      cwd: serverDir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env, NODE_ENV: 'production', SOURCE: 'debian', HOST: '127.0.0.1', PORT: String(port),
        CONFIG_PATH: join(data, 'config'), METADATA_PATH: join(data, 'metadata'),
        FFMPEG_PATH: which('ffmpeg'), FFPROBE_PATH: which('ffprobe'), SKIP_BINARIES_CHECK: '1',
      },
    });
    proc.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
    proc.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
    try {
      await waitFor('GET /status', async () => ((await fetch(`${url}/status`)).ok ? true : undefined), 60_000, alive);
      break;
    } catch (err) {
      proc.kill('SIGKILL');
      if (attempt >= 5 || !/EADDRINUSE/.test(output)) throw err;
    }
  }
  const raw = async (method: string, path: string, body: unknown, token?: string): Promise<Response> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`Audiobookshelf test setup: ${method} ${path} answered ${res.status} ${(await res.text()).slice(0, 200)}`);
    return res;
  };
  const password = `pw-${process.pid}-${Date.now()}`;
  await raw('POST', '/init', { newRoot: { username: 'root', password } });
  // Logins are rate-limited (40 per 10 min per IP): this is the run's only one.
  const login = (await (await raw('POST', '/login', { username: 'root', password })).json()) as { user: { id: string; accessToken: string } };
  const created = (await (await raw('POST', '/api/api-keys', { name: 'tests', userId: login.user.id, isActive: true }, login.user.accessToken)).json()) as { apiKey: { apiKey: string } };
  const apiKey = created.apiKey.apiKey;
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await raw(method, path, body, apiKey);
    const text = await res.text();
    return (text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : text) as T;
  };
  const audio = new AudioMaker(join(data, 'base-audio'));

  const server: AbsServer = {
    url, apiKey, root,
    timings: { installMs, startMs: Date.now() - t1 },
    api,
    log: () => output,
    writeBooks: (folder, books) => { for (const b of books) audio.writeBook(folder, b); },
    async scan(libraryId) {
      await api('POST', `/api/libraries/${libraryId}/scan`);
      // The task is registered before ABS answers, so "no task" now means "finished".
      await waitFor(`the scan of ${libraryId}`, async () => {
        const { tasks } = await api<{ tasks: { action: string; data?: { libraryId?: string } }[] }>('GET', '/api/tasks');
        return tasks.some((t) => t.action === 'library-scan' && t.data?.libraryId === libraryId) ? undefined : true;
      }, 60_000, alive);
    },
    async createLibrary(name, books) {
      const folder = mkdtempSync(join(root, 'lib-'));
      server.writeBooks(folder, books);
      // The folder watcher would start scans of its own at unpredictable times: tests scan.
      const lib = await api<{ id: string }>('POST', '/api/libraries', { name, folders: [{ fullPath: folder }], mediaType: 'book', settings: { disableWatcher: true } });
      await server.scan(lib.id);
      return { id: lib.id, folder };
    },
    async items(libraryId) {
      const page = await api<{ results: { id: string }[] }>('GET', `/api/libraries/${libraryId}/items?limit=1000&page=0&sort=addedAt`);
      if (!page.results.length) return [];
      return (await api<{ libraryItems: AbsRawTestItem[] }>('POST', '/api/items/batch/get', { libraryItemIds: page.results.map((r) => r.id) })).libraryItems;
    },
  };
  console.log(`      (Audiobookshelf ${url}: install ${(installMs / 1000).toFixed(1)} s, start + init + key ${((Date.now() - t1) / 1000).toFixed(1)} s, total ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return server;
}

function which(cmd: string): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`Audiobookshelf tests need ${cmd} (apt-get install ffmpeg)`);
  }
}

/** Makes tagged audio files (1 s unless a spec says): one encode per format and length, then a stream copy per file. */
class AudioMaker {
  private readonly base = new Map<string, string>();
  constructor(private readonly dir: string) {}

  private baseFile(format: 'm4b' | 'mp3', seconds = 1): string {
    const id = `${seconds}s.${format}`;
    let file = this.base.get(id);
    if (file) return file;
    mkdirSync(this.dir, { recursive: true });
    file = join(this.dir, `base-${id}`);
    const codec = format === 'mp3' ? ['-c:a', 'libmp3lame', '-b:a', '32k'] : ['-c:a', 'aac', '-b:a', '24k', '-f', 'mp4'];
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=22050:duration=${seconds}`, '-ac', '1', ...codec, file]);
    this.base.set(id, file);
    return file;
  }

  writeBook(folder: string, spec: AudioBookSpec): void {
    const format = spec.format ?? 'm4b';
    const target = join(folder, spec.dir);
    mkdirSync(target, { recursive: true });
    const last = spec.dir.split('/').filter(Boolean).pop() ?? 'book';
    for (const name of spec.files ?? [`${last}.${format}`]) {
      const out = join(target, name);
      const tags = Object.entries(spec.tags ?? {}).flatMap(([k, v]) => ['-metadata', `${k}=${v}`]);
      const base = this.baseFile(format, spec.durationSec);
      if (!tags.length) { copyFileSync(base, out); continue; }
      const container = format === 'mp3' ? ['-id3v2_version', '3', '-write_id3v1', '0'] : ['-movflags', '+use_metadata_tags', '-f', 'mp4'];
      mkdirSync(dirname(out), { recursive: true });
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', base, '-c', 'copy', '-map_metadata', '-1', ...tags, ...container, out]);
    }
    if (spec.metadataJson) writeFileSync(join(target, 'metadata.json'), JSON.stringify(spec.metadataJson, null, 2));
  }
}
