// A small, complete world for the fault matrix: an ABS simulator with a library of two series,
// the metadata simulator (Audible catalog) that knows one more book per series, the MAM
// simulator serving a real .torrent (mktorrent, content already on disk) for every missing
// book, and a REAL qbittorrent-nox shared by all worlds of a test file. Names are unique per
// world (or the transmission-daemon / deluged the world names), so one client can hold many worlds' torrents and each world counts only its own.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTorrentFile } from '../../lib/qbit/torrent-file';
import { startAbsSim, type AbsSim } from '../sim/abs-sim';
import { MetadataSim, type SimSeries } from '../sim/metadata-sim';
import { mamRow, startMamSim, type MamSim, type RawMamRow } from '../sim/mam-sim';
import { makeTorrent } from '../helpers/torrents';
import type { DaemonInstance } from '../helpers/daemon';
import type { ClientType } from '../../lib/types';
import { startFaultIndexer, type FaultIndexer, type IndexerKind } from './indexer-world';

/** One book the world's library lacks: what the pipeline must end up queuing, exactly once. */
export interface Missing {
  series: string;
  sequence: string;
  title: string;
  torrentId: number;
  hash: string;
  row: RawMamRow;
  /** The author and .torrent file, for the indexer simulators (createWorld sets them). */
  author?: string;
  file?: Buffer;
}

export interface World {
  name: string;
  abs: AbsSim;
  meta: MetadataSim;
  mam: MamSim;
  mamId: string;
  /** The REAL download client of the test file (qbittorrent-nox unless `client` says otherwise). */
  qbit: DaemonInstance & { profile?: string };
  client: ClientType;
  /** The store directory (nedb files) of this world. */
  dir: string;
  libraryId: string;
  missing: Missing[];
  /** Books the library owns (titles), for "nothing owned gets downloaded" checks. */
  ownedTitles: string[];
  /** Set for an indexer world: the books come from this Prowlarr / Torznab, not MAM. */
  indexer?: FaultIndexer;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** The MAM simulator hands out a new mam_id with every answer. */
  rotate?: boolean;
  mamId?: string;
  absToken?: string;
  /** Books per series in the catalog (the library owns 1, 2 and 4; 3 is a hole, 5+ come from Audible). */
  perSeries?: number;
  seriesCount?: number;
  /** Which client `qbit` is (default qBittorrent). */
  client?: ClientType;
  /** Search a Prowlarr or Torznab simulator (indexer-search) instead of MAM (mam-search). */
  indexer?: IndexerKind;
}

let worlds = 0;
const WORDS = ['Amber', 'Basalt', 'Cinder', 'Drift', 'Ember', 'Fathom', 'Gale', 'Hollow', 'Ivory', 'Juniper', 'Kestrel', 'Lumen', 'Mire', 'Nettle', 'Onyx', 'Pyre'];
const ORDINAL = ['', 'First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth'];

/** A unique alphabetic word per world (MAM's search splits on non-letters). */
function uniqueWord(n: number): string {
  let s = '';
  let x = n + 26 * 26;
  while (x > 0) { s = String.fromCharCode(97 + (x % 26)) + s; x = Math.floor(x / 26); }
  return `Vel${s}`;
}

export async function createWorld(qbit: DaemonInstance & { profile?: string }, name: string, opts: WorldOptions = {}): Promise<World> {
  const n = ++worlds;
  const tag = uniqueWord(n + process.pid % 1000 * 40);
  const perSeries = opts.perSeries ?? 5;
  const seriesCount = opts.seriesCount ?? 2;
  const mamId = opts.mamId ?? `fault-mam-id-${tag}-0001`;
  const [abs, mam] = await Promise.all([
    startAbsSim({ token: opts.absToken ?? `fault-abs-token-${tag}` }),
    startMamSim({ mamId, rotate: opts.rotate }),
  ]);
  const libraryId = abs.libraryIds.generated;
  const series: SimSeries[] = [];
  const missing: Missing[] = [];
  const ownedTitles: string[] = [];
  for (let s = 0; s < seriesCount; s++) {
    const word = WORDS[(n * seriesCount + s) % WORDS.length];
    const seriesName = `${word} ${tag} Cycle`;
    const author = `Ada ${word}${tag}`;
    const books = [];
    for (let i = 1; i <= perSeries; i++) {
      const asin = `B${String(n).padStart(4, '0')}${s}${String(i).padStart(4, '0')}`;
      const title = `The ${ORDINAL[i]} ${word} ${tag} Door`;
      books.push({ asin, title, authors: [author], sequence: String(i) });
      if (i === 1 || i === 2 || i === 4) {
        abs.addItem({ title, authors: [author], series: [{ name: seriesName, sequence: String(i) }], asin, addedAt: 1_700_000_000_000 + s * 100 + i }, { libraryId });
        ownedTitles.push(title);
        continue;
      }
      const torrentId = 70_000 + n * 100 + s * 10 + i;
      const made = makeTorrent(qbit.downloads, `${title} - ${author}`, [8_000, 4_000]);
      const row = mamRow({ id: torrentId, title, authors: [author], narrators: ['Sim Reader'], series: [[seriesName, String(i)]], filetype: 'm4b', size: '412.0 MiB', seeders: 9 });
      mam.addTorrent(torrentId, made.torrent, row);
      missing.push({ series: seriesName, sequence: String(i), title, torrentId, hash: readTorrentFile(made.torrent).hash, row, author, file: made.torrent });
    }
    series.push({ asin: `S${String(n).padStart(5, '0')}${s}ZZZ`, id: 5_000 + n * 10 + s, title: seriesName, author, books });
  }
  const indexer = opts.indexer ? await startFaultIndexer(opts.indexer, missing, tag) : undefined;
  const meta = new MetadataSim(series);
  await meta.start();
  const dir = mkdtempSync(join(tmpdir(), `abg-fault-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 24)}-`));
  return {
    name, abs, meta, mam, mamId, qbit, client: opts.client ?? 'qbittorrent', dir, libraryId, missing, ownedTitles, ...(indexer ? { indexer } : {}),
    close: async () => { await Promise.all([abs.close(), mam.close(), meta.close(), indexer?.close()]); },
  };
}

/** How often MAM (or the world's indexer) sent the .torrent of each torrent id (the "downloaded twice" check). */
export function torrentDownloads(w: World): Map<number, number> {
  if (w.indexer) return w.indexer.downloads();
  const out = new Map<number, number>();
  for (const r of w.mam.requests) {
    if (r.path !== '/tor/download.php') continue;
    const id = Number(r.query.tid);
    out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}
