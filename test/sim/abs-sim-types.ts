// The ABS simulator's types: its options, state, handle and fault switches (see abs-sim.ts).
import type { AbsSocketFeed } from './abs-sim-socket';
import type { RawItem, RawLibrary, SimBookSpec } from './abs-sim-data';

export type AbsFault =
  /** Every /api call answers 401 "Unauthorized" (a revoked or expired key). */
  | { kind: 'unauthorized' }
  /** HTTP 500 on items page `page` (or on /api paths containing `path`, or on every /api call). */
  | { kind: 'server-error'; page?: number; path?: string }
  /** HTTP 200 with a truncated JSON body, matched like server-error. */
  | { kind: 'malformed'; page?: number; path?: string }
  /** Waits delayMs before answering (matched like server-error: default every /api call). */
  | { kind: 'slow'; delayMs: number; page?: number; path?: string }
  /** Some other web app: every path answers 200 text/html. */
  | { kind: 'not-abs' }
  /** Once, just before items page `page` is served: insert a book that sorts first, or delete the first one. */
  | { kind: 'page-shift'; page: number; mode: 'insert' | 'delete' }
  /** Once, items page `page` starts one item early (ties in the sort ordered differently between
   * two queries): it repeats the previous page's last book and one book is never listed, while
   * the total stays the same. */
  | { kind: 'unstable-order'; page: number };

export interface AbsSimOptions {
  token?: string;
  /** Router base path, e.g. "/audiobookshelf". */
  prefix?: string;
  generate?: { books: number; series: number };
  /** How long a library scan runs before pending items appear (ms). */
  scanDelayMs?: number;
  version?: string;
  /** Serve the socket.io feed (item_added, items_added, task_* events) at <prefix>/socket.io. */
  socket?: boolean;
}

export interface AbsSimState {
  version: string;
  libraries: RawLibrary[];
  items: RawItem[];
  pending: RawItem[];
  tasks: RawItem[];
  fault: AbsFault | null;
}

export interface AbsSim {
  url: string;
  token: string;
  legacyToken: string;
  libraryIds: { audiobooks: string; generated: string; podcasts: string };
  state: AbsSimState;
  requests: { method: string; path: string; query: Record<string, string> }[];
  addItem(item: SimBookSpec | RawItem, opts?: { libraryId?: string; onScan?: boolean }): RawItem;
  setFault(fault: AbsFault | null): void;
  /** The socket.io feed, when opts.socket is set. */
  socket?: AbsSocketFeed;
  /** TCP connections open right now (keep-alive included): proves a client closed its pool. */
  openConnections(): number;
  close(): Promise<void>;
}
