// A BitTorrent HTTP tracker on loopback (BEP 3 announce with BEP 23 compact peers): every
// announce is answered with the peers it was given (a seeding client's 127.0.0.1:port), so a
// client that has only a magnet link finds the seeder as it would through a public tracker.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TrackerSim {
  announceUrl: string;
  /** info_hash (hex) of every announce, in order. */
  announces: string[];
  close(): Promise<void>;
}

function compact(peers: { ip: string; port: number }[]): Buffer {
  return Buffer.concat(peers.map(({ ip, port }) => {
    const b = Buffer.alloc(6);
    ip.split('.').forEach((octet, i) => b.writeUInt8(Number(octet), i));
    b.writeUInt16BE(port, 4);
    return b;
  }));
}

export async function startTrackerSim(peers: { ip: string; port: number }[]): Promise<TrackerSim> {
  const announces: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== '/announce') { res.statusCode = 404; res.end(); return; }
    // info_hash is 20 raw bytes percent-encoded: read it from the raw query, not as UTF-8.
    const raw = /(?:^|&)info_hash=([^&]*)/.exec(url.search.slice(1))?.[1] ?? '';
    announces.push(Buffer.from(raw.replace(/%([0-9a-f]{2})|(.)/gi, (_m, hex: string | undefined, ch: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : ch ?? '')), 'latin1').toString('hex'));
    const list = compact(peers);
    res.setHeader('content-type', 'text/plain');
    res.end(Buffer.concat([Buffer.from(`d8:intervali30e12:min intervali5e5:peers${list.length}:`), list, Buffer.from('e')]));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    announceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/announce`,
    announces,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
