// Fault matrix, library row: an owned book whose files were deleted from disk. Audiobookshelf
// keeps the item and flags it isMissing; the pipeline must not count it as owned: one warning
// names it, its gap comes back with the reason "files missing in Audiobookshelf", and it is
// queued once (the REAL qbittorrent-nox, the MAM simulator serving its torrent).
import assert from 'node:assert/strict';
import { MISSING_REASON } from '../../lib/abs/missing';
import { readTorrentFile } from '../../lib/qbit/torrent-file';
import { forgetStores } from '../../lib/store/store';
import { startQbittorrent, type QbitInstance } from '../helpers/qbittorrent';
import { makeTorrent } from '../helpers/torrents';
import { mamRow } from '../sim/mam-sim';
import { printMatrixAtEnd } from './matrix';
import { runRow } from './row';
import type { World } from './world';

printMatrixAtEnd();

/** Flags the world's owned book #2 of its first series missing, and gives MAM a torrent of it. */
function deleteOwnedBook(w: World): string {
  const title = w.ownedTitles[1];
  const item = w.abs.state.items.find((i) => (i as { media?: { metadata?: { title?: string } } }).media?.metadata?.title === title) as Record<string, unknown> & { media: { metadata: { authors: { name: string }[]; series: { name: string; sequence: string }[] } } };
  item.isMissing = true;
  const author = item.media.metadata.authors[0].name;
  const series = item.media.metadata.series[0];
  const torrentId = 90_000 + w.missing[0].torrentId % 10_000;
  const made = makeTorrent(w.qbit.downloads, `${title} - ${author}`, [8_000, 4_000]);
  const row = mamRow({ id: torrentId, title, authors: [author], narrators: ['Sim Reader'], series: [[series.name, series.sequence]], filetype: 'm4b', size: '412.0 MiB', seeders: 9 });
  w.mam.addTorrent(torrentId, made.torrent, row);
  w.missing.push({ series: series.name, sequence: series.sequence, title, torrentId, hash: readTorrentFile(made.torrent).hash, row });
  w.ownedTitles.splice(1, 1);
  return title;
}

describe('fault matrix: library', function () {
  this.timeout(30_000);
  let q: QbitInstance;
  before(async () => { q = await startQbittorrent(); });
  after(async () => { await q?.close(); });
  beforeEach(() => forgetStores());

  it('an owned book whose files are gone (ABS: isMissing): one warning naming it, its gap back with the reason, queued once', async () => {
    let title = '';
    await runRow(q, {
      row: 'ABS item with its files missing', service: 'Audiobookshelf',
      fault: (w) => { title = deleteOwnedBook(w); },
      keepsRunning: /^left out 1 book whose files are missing in Audiobookshelf \(not owned; their gaps come back\): "The Second /,
      check: (o, w) => {
        const gap = o.gaps.find((g) => g.title === title);
        assert.equal(gap?.reason, MISSING_REASON);
        assert.ok(o.queue?.downloads.some((d) => d.hash === w.missing.at(-1)?.hash), 'the book is queued');
      },
      clear: () => undefined, rerunNote: 'the book with missing files among them',
    });
  });
});
