// Real content + real .torrent files made with mktorrent (private flag, a loopback tracker
// that nobody answers), so qBittorrent checks existing files to 100% with no network at all.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MadeTorrent {
  /** The folder name inside the torrent (and on disk under `dir`). */
  name: string;
  /** Where the content lives: use it as the save path. */
  dir: string;
  contentPath: string;
  torrent: Buffer;
}

/** Writes `<dir>/<name>/` with a couple of files and returns its .torrent. */
export function makeTorrent(dir: string, name: string, sizes: number[] = [48_000, 20_000], opts: { public?: boolean } = {}): MadeTorrent {
  const contentPath = join(dir, name);
  mkdirSync(contentPath, { recursive: true });
  sizes.forEach((size, i) => writeFileSync(join(contentPath, `${String(i + 1).padStart(2, '0')} - part.mp3`), randomBytes(size)));
  const out = join(dir, `${name}.torrent`);
  // A public torrent (no -p) is one whose metadata peers may hand out: what a magnet link needs.
  execFileSync('mktorrent', [...(opts.public ? [] : ['-p']), '-a', 'http://127.0.0.1:9/announce', '-l', '15', '-n', name, '-o', out, contentPath], { stdio: 'ignore' });
  return { name, dir, contentPath, torrent: readFileSync(out) };
}
