// The queue nodes' input check: MAM's candidates (positive ids) and indexer-search's (negative
// ids with the source their .torrent comes from) both pass; anything else is a clear error.
import { strict as assert } from 'node:assert';
import { parseCandidates } from '../../lib/queue/candidates';

const gap = { key: 'series:mistborn|brandon sanderson#1', series: 'Mistborn' };
const source = { kind: 'indexer', node: 'cfg-1', indexer: 'PublicBooks', guid: 'p1', link: 'http://127.0.0.1:9/1/download?link=x' };

describe('lib/queue parseCandidates', () => {
  it('takes a MAM candidate and an indexer-search candidate (negative id with its source)', () => {
    const list = [{ gap, torrent: { id: 42, title: 'The Final Empire' } }, { gap, torrent: { id: -151574852286385, title: 'The Final Empire [m4b]', source } }];
    assert.deepEqual(parseCandidates(list).map((c) => c.torrent.id), [42, -151574852286385]);
  });

  it('refuses a negative id without an indexer source, and id 0, naming the field', () => {
    for (const torrent of [{ id: -5, title: 'x' }, { id: 0, title: 'x', source }]) {
      assert.throws(() => parseCandidates([{ gap, torrent }]), /Candidate\[\] from mam-search or indexer-search: 0\.torrent\.id is neither a MAM id/);
    }
  });
});
