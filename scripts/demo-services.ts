// The services `npm run demo` runs: the Audiobookshelf simulator (a library with holes in two
// series), the MyAnonamouse simulator with rows and REAL .torrent files (mktorrent over small
// files on disk, so the client checks them to 100 % without any network), and a real
// download client on loopback: qbittorrent-nox, or transmission-daemon / deluged + deluge-web
// with `--client transmission` / `--client deluge`. Each finished download is queued in the ABS simulator as an item
// that appears on the next library scan, so abs-import-watch can confirm the import.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startAbsSim, type AbsSim } from '../test/sim/abs-sim';
import { mamRow, startMamSim, type MamSim } from '../test/sim/mam-sim';
import { startQbittorrent } from '../test/helpers/qbittorrent';
import { startTransmission } from '../test/helpers/transmission';
import { startDeluge } from '../test/helpers/deluge';
import type { DaemonInstance } from '../test/helpers/daemon';
import type { ClientType } from '../lib/types';
import { makeTorrent } from '../test/helpers/torrents';

export const DEMO_SECRETS = { absToken: 'demo-abs-api-key', mamId: 'demo-mam-session-cookie', qbitUser: 'admin', qbitPassword: 'demo-qbit-password' };

/** A missing book the MAM simulator has a torrent for (the library gap it fills). */
interface DemoBook { id: number; title: string; authors: string[]; narrators: string[]; series: string; sequence: string; size: string }

const AVAILABLE: DemoBook[] = [
  { id: 901001, title: 'The Hero of Ages', authors: ['Brandon Sanderson'], narrators: ['Michael Kramer'], series: 'Mistborn', sequence: '3', size: '701.2 MiB' },
  { id: 901002, title: 'Shadows of Self', authors: ['Brandon Sanderson'], narrators: ['Michael Kramer'], series: 'Mistborn', sequence: '5', size: '498.7 MiB' },
  { id: 901003, title: "Abaddon's Gate", authors: ['James S. A. Corey'], narrators: ['Jefferson Mays'], series: 'The Expanse', sequence: '3', size: '812.9 MiB' },
];

export interface DemoServices {
  abs: AbsSim;
  mam: MamSim;
  /** The running download client (undefined: not installed). */
  qbit: DaemonInstance | undefined;
  downloads: string;
  books: DemoBook[];
  close(): Promise<void>;
}

export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The programs a client needs, to check before starting it. */
export const CLIENT_COMMANDS: Record<ClientType, string[]> = { qbittorrent: ['qbittorrent-nox'], transmission: ['transmission-daemon'], deluge: ['deluged', 'deluge-web'] };

function startClient(client: ClientType): Promise<DaemonInstance> {
  if (client === 'transmission') return startTransmission({ username: DEMO_SECRETS.qbitUser, password: DEMO_SECRETS.qbitPassword });
  if (client === 'deluge') return startDeluge();
  return startQbittorrent({ username: DEMO_SECRETS.qbitUser, password: DEMO_SECRETS.qbitPassword });
}

export async function startServices(downloads: string, opts: { qbit: boolean; client?: ClientType }): Promise<DemoServices> {
  const abs = await startAbsSim({ token: DEMO_SECRETS.absToken, scanDelayMs: 1500 });
  // The recorded library owns Mistborn 1, 2, 4, 7 (holes: 3, 5, 6) and The Expanse 1, 1.5, 2;
  // Cibola Burn (#4) makes a hole at #3 there too.
  abs.addItem({ title: 'Cibola Burn', authors: ['James S. A. Corey'], narrators: ['Jefferson Mays'], series: [{ name: 'The Expanse', sequence: '4' }], path: '/audiobooks/James S. A. Corey/The Expanse/Book 4 - Cibola Burn', addedAt: Date.UTC(2024, 2, 1) });

  const mam = await startMamSim({ mamId: DEMO_SECRETS.mamId });
  for (const book of AVAILABLE) {
    const name = `${book.authors[0]} - ${book.series} ${book.sequence} - ${book.title}`;
    const made = makeTorrent(downloads, name);
    mam.addTorrent(book.id, made.torrent, mamRow({ id: book.id, title: book.title, authors: book.authors, narrators: book.narrators, series: [[book.series, book.sequence]], size: book.size, filetype: 'm4b', seeders: 23, free: book.id % 2 === 1 }));
    // What Audiobookshelf will find in its folder after the next scan (same path as the client's).
    abs.addItem({ title: book.title, authors: book.authors, narrators: book.narrators, series: [{ name: book.series, sequence: book.sequence }], path: made.contentPath }, { onScan: true, libraryId: abs.libraryIds.audiobooks });
  }
  // Rows the ranking must turn down, so the "not found" output has something to explain:
  // Mistborn #6 exists only as a German translation, and an abridged #3 competes with the real one.
  mam.addRow(mamRow({ id: 901010, title: 'The Bands of Mourning (German translation)', authors: ['Brandon Sanderson'], series: [['Mistborn', '6']], langCode: 'GER', size: '455.0 MiB' }));
  mam.addRow(mamRow({ id: 901011, title: 'The Hero of Ages (Abridged)', authors: ['Brandon Sanderson'], series: [['Mistborn', '3']], size: '210.0 MiB', filetype: 'mp3', tags: 'abridged' }));

  const qbit = opts.qbit ? await startClient(opts.client ?? 'qbittorrent') : undefined;

  return {
    abs, mam, qbit, downloads, books: AVAILABLE,
    async close() {
      await Promise.allSettled([qbit?.close(), abs.close(), mam.close()]);
    },
  };
}

export const downloadsDir = (demoDir: string): string => join(demoDir, 'downloads');
