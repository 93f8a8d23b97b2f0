// The check after import (lib/watch/verify): what ABS measured against the book wanted. Each
// rule has a case that only it makes suspect, and a case just inside its tolerance.
import assert from 'node:assert/strict';
import { expectedRuntime, judgeImport, seriesEntries, LONG_RATIO, SHORT_RATIO } from '../../lib/watch/verify';
import { toLibraryItem, type LibraryItemLite } from '../../lib/watch/match';
import type { Gap } from '../../lib/types';

const H = 3600;
const gap: Pick<Gap, 'title' | 'series' | 'sequence'> = { title: 'Moon Set', series: 'Moon', sequence: '2' };
const item = (over: Partial<LibraryItemLite> = {}): LibraryItemLite => ({ id: 'li_1', title: 'Moon Set', path: '/lib/Moon Set', authors: ['Jane Doe'], durationSec: 10 * H, audioFiles: 1, seriesName: 'Moon #2', ...over });
const runtime = { sec: 10 * H, from: 'metadata' as const };

describe('lib/watch/verify: the check after import', () => {
  it('the right book, whole: not suspect, with the evidence', () => {
    const v = judgeImport(gap, item({ durationSec: 9.5 * H }), runtime);
    assert.equal(v.suspect, false);
    assert.deepEqual(v.reasons, []);
    assert.deepEqual(v.evidence, { title: 'Moon Set', seriesName: 'Moon #2', durationSec: 9.5 * H, audioFiles: 1, expectedSec: 10 * H, expectedFrom: 'metadata', ratio: 0.95 });
  });

  it('half the runtime: an abridgement or a part', () => {
    const v = judgeImport(gap, item({ durationSec: 5 * H }), runtime);
    assert.equal(v.suspect, true);
    assert.equal(v.reasons.length, 1);
    assert.match(v.reasons[0], /5\.0 h of audio, the book runs 10\.0 h \(metadata runtime\): 50 %, an abridgement or a part/);
  });

  it('twice the runtime: several books', () => {
    const v = judgeImport(gap, item({ durationSec: 20 * H }), runtime);
    assert.deepEqual(v.reasons, ['20.0 h of audio, the book runs 10.0 h (metadata runtime): 200 %, several books']);
  });

  it('the thresholds are tolerant: 72 % and 148 % are the same book measured differently', () => {
    assert.equal(judgeImport(gap, item({ durationSec: (SHORT_RATIO + 0.02) * 10 * H }), runtime).suspect, false);
    assert.equal(judgeImport(gap, item({ durationSec: (LONG_RATIO - 0.02) * 10 * H }), runtime).suspect, false);
    assert.equal(judgeImport(gap, item({ durationSec: (SHORT_RATIO - 0.02) * 10 * H }), runtime).suspect, true);
    assert.equal(judgeImport(gap, item({ durationSec: (LONG_RATIO + 0.02) * 10 * H }), runtime).suspect, true);
  });

  it('no runtime known: no verdict on length, however short', () => {
    const v = judgeImport(gap, item({ durationSec: 600 }));
    assert.equal(v.suspect, false);
    assert.equal(v.evidence.expectedSec, undefined);
  });

  it('a short book is told in minutes', () => {
    assert.deepEqual(judgeImport(gap, item({ durationSec: 1200 }), { sec: 3000, from: 'metadata' }).reasons, ['20 min of audio, the book runs 50 min (metadata runtime): 40 %, an abridgement or a part']);
  });

  it('no audio files in the item', () => {
    const v = judgeImport(gap, item({ audioFiles: 0, durationSec: 0 }), runtime);
    assert.deepEqual(v.reasons, ['Audiobookshelf found no audio files in the item']);
  });

  it('tags at another position of the wanted series', () => {
    const v = judgeImport(gap, item({ seriesName: 'Other Saga #1, The Moon Series #3' }));
    assert.deepEqual(v.reasons, ['its tags put it at The Moon Series #3, the book wanted is #2']);
    // The same position, an omnibus covering it, another series' number, no number: no doubt.
    for (const seriesName of ['Moon #2', 'Moon #1-3', 'Other Saga #5', 'Moon', undefined]) {
      assert.equal(judgeImport(gap, item({ seriesName })).suspect, false, String(seriesName));
    }
  });

  it('tags naming another title', () => {
    const v = judgeImport(gap, item({ title: 'Sun Rise' }));
    assert.deepEqual(v.reasons, ['its tags name "Sun Rise", the book wanted is "Moon Set"']);
    // Spellings of the same title, a longer title holding it, the series name and a number: no doubt.
    for (const title of ['The Moon Set (Unabridged)', 'Moon Set: Book Two of the Moon', 'moon-set', 'Moon, Book 2', 'Moon 02']) {
      assert.equal(judgeImport(gap, item({ title })).suspect, false, title);
    }
    assert.equal(judgeImport({ series: 'Moon', sequence: '2' }, item({ title: 'Sun Rise' })).suspect, false, 'no wanted title: nothing to compare');
  });

  it('every reason is listed when several rules fire', () => {
    const v = judgeImport(gap, item({ title: 'Sun Rise', seriesName: 'Moon #4', durationSec: 30 * H }), runtime);
    assert.equal(v.reasons.length, 3);
  });

  it('the runtime: the queued candidate\'s (omnibus-aware) first, then the gap\'s; priors give none', () => {
    const g = { expectedDurationSec: 10 * H, expectedDurationFrom: 'metadata' as const };
    assert.deepEqual(expectedRuntime(g, { expectedSec: 30 * H, expectedFrom: 'metadata' }), { sec: 30 * H, from: 'metadata' });
    assert.deepEqual(expectedRuntime(g, { expectedSec: 30 * H, expectedFrom: 'series' }), { sec: 10 * H, from: 'metadata' });
    assert.deepEqual(expectedRuntime({ expectedDurationSec: 10 * H }), { sec: 10 * H, from: 'metadata' });
    assert.equal(expectedRuntime({ expectedDurationSec: 10 * H, expectedDurationFrom: 'series' }), undefined);
    assert.equal(expectedRuntime({ expectedDurationSec: 10 * H, expectedDurationFrom: 'author' }, {}), undefined);
    assert.equal(expectedRuntime({}), undefined);
  });

  it('ABS series text splits into entries, positions with "#"', () => {
    assert.deepEqual(seriesEntries('Discworld #8, Discworld - City Watch #1'), [{ name: 'Discworld', sequence: '8' }, { name: 'Discworld - City Watch', sequence: '1' }]);
    assert.deepEqual(seriesEntries('Moon'), [{ name: 'Moon', sequence: '' }]);
    assert.deepEqual(seriesEntries(''), []);
  });

  it('toLibraryItem reads what ABS measured from minified and expanded items', () => {
    const minified = toLibraryItem({ id: 'a', path: '/x', media: { duration: 3600.5, numAudioFiles: 2, metadata: { title: 'T', authorName: 'A', seriesName: 'Moon #2' } } });
    assert.deepEqual([minified?.durationSec, minified?.audioFiles, minified?.seriesName], [3600.5, 2, 'Moon #2']);
    const expanded = toLibraryItem({ id: 'b', path: '/y', media: { duration: 10, audioFiles: [{}, {}, {}], metadata: { title: 'T', authors: [{ name: 'A' }] } } });
    assert.deepEqual([expanded?.durationSec, expanded?.audioFiles, expanded?.seriesName], [10, 3, undefined]);
  });
});
