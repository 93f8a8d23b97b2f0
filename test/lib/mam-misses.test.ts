// The nearest misses (lib/mam/misses.ts): which rejected rows a person reads first when nothing
// was picked, and the not-found verdict that names them.
import assert from 'node:assert/strict';
import { byNearness, missVerdict, nearestMisses } from '../../lib/mam/misses';
import type { Rejected } from '../../lib/mam/rank';
import type { MamTorrent } from '../../lib/mam/rows';

function miss(id: number, reasons: string[], nearness: number, seeders = 0): Rejected {
  const torrent = { id, title: `Book ${id}`, seeders } as MamTorrent;
  return { torrent, reasons, nearness, evidence: {} };
}

describe('lib/mam misses', () => {
  it('fewest failed rules first, then the nearest, then the most seeded', () => {
    const rows = [miss(1, ['a', 'b'], 3, 50), miss(2, ['a'], 1, 0), miss(3, ['a'], 2, 0), miss(4, ['a'], 2, 9), miss(5, ['a', 'b', 'c'], 3, 90)];
    assert.deepEqual(byNearness(rows).map((r) => r.torrent.id), [4, 3, 2, 1, 5]);
    assert.deepEqual(rows.map((r) => r.torrent.id), [1, 2, 3, 4, 5], 'the input is left in its order');
  });

  it('three by default, each with its first rule and how many it failed', () => {
    const rows = [miss(1, ['author differs', 'abridged'], 2), miss(2, ['abridged'], 1), miss(3, [], 1), miss(4, ['x', 'y', 'z'], 1)];
    assert.deepEqual(nearestMisses(rows), [
      { id: 3, title: 'Book 3', rule: 'rejected', failed: 0 },
      { id: 2, title: 'Book 2', rule: 'abridged', failed: 1 },
      { id: 1, title: 'Book 1', rule: 'author differs', failed: 2 },
    ]);
    assert.equal(nearestMisses(rows, 1).length, 1);
  });

  it('the verdict counts the results and names the misses, with how many more rules each failed', () => {
    const rows = [miss(7, ['abridged', 'no author'], 1), miss(8, ['not free'], 1), miss(9, ['x'], 0)];
    assert.equal(missVerdict(rows, 2), '3 result(s), none acceptable; nearest misses: "Book 8" (#8): not free; "Book 9" (#9): x');
    assert.equal(missVerdict([rows[0]]), '1 result(s), none acceptable; nearest miss: "Book 7" (#7): abridged (+1 more)');
  });
});
