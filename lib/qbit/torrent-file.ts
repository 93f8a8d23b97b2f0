// Reads what we need from a .torrent file without trusting it: the v1 info-hash (SHA-1 of
// the exact bencoded `info` bytes, which is what qBittorrent reports as `hash` for v1 and
// hybrid torrents) and the torrent's name. qBittorrent's add reply does not name the hash,
// so computing it here is how we know the torrent at once. Anything that is not bencode
// (an HTML login page from MAM, say) is refused with a clear error.
import { createHash } from 'node:crypto';

export class TorrentFileError extends Error {}

interface Cursor { buf: Buffer; pos: number }

function fail(what: string): never {
  throw new TorrentFileError(`not a valid .torrent file (${what})`);
}

function readInt(c: Cursor, end: number): number {
  const stop = c.buf.indexOf(end, c.pos);
  if (stop < 0) fail('unterminated number');
  const text = c.buf.toString('latin1', c.pos, stop);
  if (!/^-?\d+$/.test(text)) fail(`bad number "${text.slice(0, 20)}"`);
  c.pos = stop + 1;
  return Number(text);
}

function readBytes(c: Cursor): Buffer {
  const len = readInt(c, 0x3a /* : */);
  if (len < 0 || c.pos + len > c.buf.length) fail('string runs past the end');
  const out = c.buf.subarray(c.pos, c.pos + len);
  c.pos += len;
  return out;
}

/** Skips one value; for the top-level dictionary it reports where `info` starts and ends. */
function skip(c: Cursor, depth: number, onKey?: (key: string, start: number, end: number, c: Cursor) => void): void {
  if (depth > 64) fail('nested too deeply');
  const ch = c.buf[c.pos];
  if (ch === undefined) fail('truncated');
  if (ch === 0x69 /* i */) { c.pos++; readInt(c, 0x65); return; }
  if (ch >= 0x30 && ch <= 0x39) { readBytes(c); return; }
  if (ch !== 0x6c /* l */ && ch !== 0x64 /* d */) fail(`unexpected byte 0x${ch.toString(16)}`);
  const isDict = ch === 0x64;
  c.pos++;
  while (c.buf[c.pos] !== 0x65 /* e */) {
    if (c.pos >= c.buf.length) fail('truncated');
    const key = isDict ? readBytes(c).toString('latin1') : '';
    const start = c.pos;
    skip(c, depth + 1);
    if (isDict && onKey) onKey(key, start, c.pos, c);
  }
  c.pos++;
}

export interface TorrentFileFacts {
  hash: string;
  name: string;
}

export function readTorrentFile(file: Uint8Array): TorrentFileFacts {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buf[0] !== 0x64) fail(`starts with "${buf.toString('latin1', 0, 15).replace(/\s+/g, ' ')}"`);
  let span: [number, number] | undefined;
  skip({ buf, pos: 0 }, 0, (key, start, end) => { if (key === 'info') span = [start, end]; });
  if (!span) fail('no info dictionary');
  const info = buf.subarray(span[0], span[1]);
  let name = '';
  skip({ buf: info, pos: 0 }, 0, (key, start, _end, c) => {
    if (key === 'name') name = readBytes({ buf: c.buf, pos: start }).toString('utf8');
  });
  return { hash: createHash('sha1').update(info).digest('hex'), name };
}
