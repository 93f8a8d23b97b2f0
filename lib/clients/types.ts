// The one download-client interface the queue (lib/queue) and the watcher (lib/watch) talk
// to. qBittorrent, Transmission and Deluge each implement it over their @ctrl library, so
// exactly-once, adoption and healing are written once, against this, and proven per client
// by the same contract tests (test/integration/clients-contract.test.ts).
import type { TorrentPhase } from '../qbit/states';

export type { TorrentPhase } from '../qbit/states';

/** The name every error and message of a client starts with. */
export type ClientService = 'qBittorrent' | 'Transmission' | 'Deluge';

export interface AddOptions {
  /** qBittorrent category; Transmission: the first label; Deluge: the Label plugin's label. */
  category?: string;
  /** qBittorrent tags; Transmission: further labels; Deluge has none (ignored). */
  tags?: string[];
  savePath?: string;
  paused?: boolean;
}

export interface AddedTorrent {
  hash: string;
  name: string;
}

export interface ClientTorrent {
  /** v1 info-hash, lower-case hex. */
  hash: string;
  name: string;
  phase: TorrentPhase;
  /** The client's own state word ("stalledDL", "seeding", "Paused"…), for messages and debugging. */
  state: string;
  /**
   * Cannot make progress by design: added paused, or being checked or moved. The watcher's
   * stall clock does not run while a torrent is held.
   */
  held: boolean;
  /** 0..1 */
  progress: number;
  contentPath: string;
  savePath: string;
  category: string;
  tags: string[];
  /** Epoch seconds; 0 or negative when not completed. */
  completionOn: number;
}

export interface DownloadClient {
  readonly service: ClientService;
  /** Logs in if needed; the client's version, e.g. "v4.5.2", "3.00", "2.0.3". */
  version(): Promise<string>;
  /** For the editor's Test button: "Transmission 3.00, 4 torrents". */
  describe(): Promise<string>;
  /** Adds a .torrent; the hash is computed from the file. A hash the client already has is not an error. */
  addTorrent(file: Uint8Array, opts?: AddOptions): Promise<AddedTorrent>;
  /** Adds a magnet link (public indexers); the hash is read from the link. */
  addMagnet(uri: string, opts?: AddOptions): Promise<AddedTorrent>;
  /** The torrents among these hashes that the client has; unknown hashes are simply absent. */
  getTorrents(hashes: string[]): Promise<ClientTorrent[]>;
  /** Waits until the client lists a just-added hash (adds are asynchronous in some clients). */
  waitFor(hash: string, timeoutMs?: number): Promise<ClientTorrent | undefined>;
  /** Removes these torrents, keeping the downloaded files unless deleteFiles. Unknown hashes are ignored. */
  remove(hashes: string[], deleteFiles?: boolean): Promise<void>;
  /** Refuses further calls and closes this client's sockets (a redeploy). */
  close(): Promise<void>;
}
