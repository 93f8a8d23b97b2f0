// Live import detection through Audiobookshelf's socket.io feed. ABS refuses API keys on the
// socket, so the user token comes from GET /api/me (asked again on every reconnect, as a
// reconnect needs a valid token). Events only wake the watcher: ABS's folder watcher is
// unreliable on network shares, so polling stays the source of truth.
import type { Socket } from 'socket.io-client';

/** socket.io-client is loaded when a live feed starts (live mode is optional), not with the package. */
function io(...args: Parameters<typeof import('socket.io-client').io>): Socket {
  return (require('socket.io-client') as typeof import('socket.io-client')).io(...args);
}

export type LiveState = 'connecting' | 'live' | 'auth_failed' | 'disconnected';

export interface LiveFeedOptions {
  /** The ABS base URL, with its path prefix if any. */
  baseUrl: string;
  /** A token the socket accepts (a user token from /api/me, not an API key). */
  userToken: () => Promise<string>;
  /** Called for item_added / items_added with the library ids of the new items. */
  onItemsAdded: (items: { id: string; libraryId?: string; path?: string }[]) => void;
  onState?: (state: LiveState, detail?: string) => void;
  /** Reconnection delay bounds (ms); tests shorten them. */
  reconnectDelayMs?: number;
}

export class AbsLiveFeed {
  private socket?: Socket;
  private stopped = false;

  constructor(private readonly opts: LiveFeedOptions) {}

  start(): void {
    const url = new URL(this.opts.baseUrl);
    const prefix = url.pathname.replace(/\/+$/, '');
    this.opts.onState?.('connecting');
    const socket = io(url.origin, {
      path: `${prefix}/socket.io`,
      transports: ['websocket'],
      reconnectionDelay: this.opts.reconnectDelayMs ?? 2000,
      reconnectionDelayMax: Math.max(this.opts.reconnectDelayMs ?? 2000, 60000),
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.opts.userToken()
        .then((token) => { if (!this.stopped) socket.emit('auth', token); })
        .catch((err: Error) => this.opts.onState?.('auth_failed', err.message));
    });
    socket.on('init', () => this.opts.onState?.('live'));
    socket.on('auth_failed', (data: { message?: string } | undefined) => this.opts.onState?.('auth_failed', data?.message ?? 'token refused'));
    socket.on('disconnect', (reason: string) => {
      if (this.stopped) return;
      this.opts.onState?.('disconnected', reason);
      // socket.io reconnects by itself after transport failures, but not when the server
      // closed the socket (ABS restarting its socket layer): then we ask again ourselves.
      if (reason === 'io server disconnect') {
        const timer = setTimeout(() => { if (!this.stopped) socket.connect(); }, this.opts.reconnectDelayMs ?? 2000);
        timer.unref?.();
      }
    });
    socket.on('item_added', (item: unknown) => this.deliver([item]));
    socket.on('items_added', (items: unknown) => this.deliver(Array.isArray(items) ? items : []));
  }

  stop(): void {
    this.stopped = true;
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = undefined;
  }

  private deliver(raw: unknown[]): void {
    const items = raw
      .filter((i): i is { id: string; libraryId?: unknown; path?: unknown } => typeof (i as { id?: unknown })?.id === 'string')
      .map((i) => ({ id: i.id, libraryId: typeof i.libraryId === 'string' ? i.libraryId : undefined, path: typeof i.path === 'string' ? i.path : undefined }));
    if (items.length) this.opts.onItemsAdded(items);
  }
}
