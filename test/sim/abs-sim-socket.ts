// The ABS simulator's socket.io feed, shaped like the recorded events
// (test/fixtures/abs/socket-events.*): a client connects at <prefix>/socket.io, emits
// 'auth' with a user token (an API key is refused, as in ABS 2.36) and gets 'init' or
// 'auth_failed'; only authenticated sockets receive item and task events.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';

export interface AbsSocketFeed {
  emit(event: string, data: unknown): void;
  /** Sockets that passed 'auth'. */
  authenticated(): number;
  /** Drops every connection (the client should reconnect and authenticate again). */
  disconnectAll(): void;
  close(): Promise<void>;
}

export function attachAbsSocket(server: HttpServer, opts: { prefix: string; userToken: string; userId: string; username: string }): AbsSocketFeed {
  const io = new Server(server, { path: `${opts.prefix}/socket.io`, cors: { origin: '*' }, serveClient: false });
  const authed = new Set<string>();
  io.on('connection', (socket) => {
    socket.on('auth', (token: unknown) => {
      if (token !== opts.userToken) {
        socket.emit('auth_failed', { message: 'Invalid token' });
        return;
      }
      authed.add(socket.id);
      socket.join('users');
      socket.emit('init', { userId: opts.userId, username: opts.username });
    });
    socket.on('disconnect', () => authed.delete(socket.id));
  });
  return {
    emit: (event, data) => { io.to('users').emit(event, data); },
    authenticated: () => authed.size,
    disconnectAll: () => { io.disconnectSockets(true); },
    close: () => new Promise((resolve) => { io.close(() => resolve()); }),
  };
}
