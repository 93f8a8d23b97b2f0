import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTorrentFile, TorrentFileError } from '../../lib/qbit/torrent-file';
import { mapTorrentState } from '../../lib/qbit/states';
import { makeTorrent } from '../helpers/torrents';

describe('lib/qbit torrent file and states', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'abg-tf-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('computes the same info-hash as @ctrl/torrent-file for a real mktorrent file', async () => {
    const made = makeTorrent(dir, 'Leviathan Wakes (Unabridged)');
    const { hash } = await import('@ctrl/torrent-file');
    const facts = readTorrentFile(made.torrent);
    assert.equal(facts.hash, hash(new Uint8Array(made.torrent)));
    assert.match(facts.hash, /^[0-9a-f]{40}$/);
    assert.equal(facts.name, 'Leviathan Wakes (Unabridged)');
  });

  it('refuses an HTML login page and a truncated file with a clear reason', () => {
    assert.throws(() => readTorrentFile(Buffer.from('<!DOCTYPE html><html>Log in</html>')), (e: unknown) => e instanceof TorrentFileError && /starts with "<!DOCTYPE html>/.test(e.message));
    const made = makeTorrent(dir, 'Short');
    assert.throws(() => readTorrentFile(made.torrent.subarray(0, made.torrent.length - 30)), TorrentFileError);
    assert.throws(() => readTorrentFile(Buffer.from('d3:fooi1ee')), /no info dictionary/);
  });

  it('maps qBittorrent 4.x and 5.x states', () => {
    const table: [string, number, string][] = [
      ['uploading', 1, 'completed'], ['stalledUP', 1, 'completed'], ['pausedUP', 1, 'completed'], ['stoppedUP', 1, 'completed'],
      ['queuedUP', 1, 'completed'], ['forcedUP', 1, 'completed'],
      // Being verified or relocated: not complete until it settles, even at 100 %.
      ['checkingUP', 1, 'downloading'], ['moving', 1, 'downloading'], ['checkingResumeData', 1, 'downloading'],
      ['error', 0.3, 'failed'], ['missingFiles', 1, 'failed'],
      ['stalledDL', 0.2, 'stalled'], ['metaDL', 0, 'stalled'],
      ['downloading', 0.5, 'downloading'], ['pausedDL', 0.5, 'downloading'], ['stoppedDL', 0.5, 'downloading'], ['queuedDL', 0, 'downloading'],
      ['checkingResumeData', 0, 'downloading'], ['unknown', 1, 'completed'], ['somethingNew', 0.1, 'downloading'],
    ];
    for (const [state, progress, want] of table) assert.equal(mapTorrentState(state, progress), want, `${state} @ ${progress}`);
  });
});
