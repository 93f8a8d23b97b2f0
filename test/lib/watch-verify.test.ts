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

  it('the thresholds are tolerant: 70 to 150 percent is the same book measured differently', () => {
    assert.equal(judgeImport(gap, item({ durationSec: 7 * H }), runtime).suspect, false, 'exactly 70 percent');
    assert.equal(judgeImport(gap, item({ durationSec: 15 * H }), runtime).suspect, false, 'exactly 150 percent');
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

  it('nothing measured: no verdict and no made-up evidence', () => {
    const v = judgeImport(gap, item({ durationSec: undefined, audioFiles: undefined }), runtime);
    assert.equal(v.suspect, false);
    assert.deepEqual(Object.keys(v.evidence).sort(), ['expectedFrom', 'expectedSec', 'seriesName', 'title']);
  });

  it('a short book is told in minutes, an hour and more in hours', () => {
    assert.deepEqual(judgeImport(gap, item({ durationSec: 3600 }), { sec: 3 * H, from: 'metadata' }).reasons, ['1.0 h of audio, the book runs 3.0 h (metadata runtime): 33 %, an abridgement or a part']);
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
    // No series or no readable position wanted: nothing to compare.
    assert.equal(judgeImport({ title: 'Moon Set', sequence: '2' }, item({ seriesName: 'Moon #3' })).suspect, false, 'no series');
    assert.equal(judgeImport({ title: 'Moon Set', series: 'Moon' }, item({ seriesName: 'Moon #3' })).suspect, false, 'no position');
    assert.equal(judgeImport({ title: 'Moon Set', series: 'Moon', sequence: 'soon' }, item({ seriesName: 'Moon #3' })).suspect, false, 'unreadable position');
  });

  it('tags naming another title', () => {
    const v = judgeImport(gap, item({ title: 'Sun Rise' }));
    assert.deepEqual(v.reasons, ['its tags name "Sun Rise", the book wanted is "Moon Set"']);
    // Spellings of the same title, a longer title holding it, the series name and a number: no doubt.
    for (const title of ['The Moon Set (Unabridged)', 'Moon Set: Book Two of the Moon', 'moon-set', 'Moon, Book 2', 'Moon 02', 'Moon 12', '', '!!!']) {
      assert.equal(judgeImport(gap, item({ title })).suspect, false, title);
    }
    assert.equal(judgeImport({ title: 'Moon Set' }, item({ title: '' })).suspect, false, 'no title read, no series');
    // Sharing the series word is not the same title; nor is a number with letters.
    for (const title of ['Moon Rising', 'Moon 2b', 'Moon B2']) assert.equal(judgeImport(gap, item({ title })).suspect, true, title);
    assert.equal(judgeImport({ series: 'Moon', sequence: '2' }, item({ title: 'Sun Rise' })).suspect, false, 'no wanted title: nothing to compare');
  });

  it('every reason is listed when several rules fire', () => {
    const v = judgeImport(gap, item({ title: 'Sun Rise', seriesName: 'Moon #4', durationSec: 30 * H }), runtime);
    assert.equal(v.reasons.length, 3);
  });

  it('the runtime: the queued candidate first as it counts an omnibus, then the gap, and no prior', () => {
    const g = { expectedDurationSec: 10 * H, expectedDurationFrom: 'metadata' as const };
    assert.deepEqual(expectedRuntime(g, { expectedSec: 30 * H, expectedFrom: 'metadata' }), { sec: 30 * H, from: 'metadata' });
    assert.deepEqual(expectedRuntime(g, { expectedSec: 30 * H, expectedFrom: 'series' }), { sec: 10 * H, from: 'metadata' });
    assert.deepEqual(expectedRuntime({ expectedDurationSec: 10 * H }), { sec: 10 * H, from: 'metadata' });
    assert.equal(expectedRuntime({ expectedDurationSec: 10 * H, expectedDurationFrom: 'series' }), undefined);
    assert.equal(expectedRuntime({ expectedDurationSec: 10 * H, expectedDurationFrom: 'author' }, {}), undefined);
    assert.equal(expectedRuntime({}), undefined);
    assert.deepEqual(expectedRuntime({}, { expectedSec: 5 }), { sec: 5, from: 'metadata' }, 'a runtime without its source is the book\'s own');
    assert.equal(expectedRuntime({ expectedDurationSec: 0 }, { expectedSec: 0 }), undefined);
    assert.equal(expectedRuntime({ expectedDurationSec: -1 }, { expectedSec: -1 }), undefined);
  });

  it('ABS series text splits into entries with their positions', () => {
    assert.deepEqual(seriesEntries('Discworld #8, Discworld - City Watch #1'), [{ name: 'Discworld', sequence: '8' }, { name: 'Discworld - City Watch', sequence: '1' }]);
    assert.deepEqual(seriesEntries('Moon Saga, Star #3'), [{ name: 'Moon Saga', sequence: '' }, { name: 'Star', sequence: '3' }]);
    assert.deepEqual(seriesEntries('Star #3, Moon Saga'), [{ name: 'Star', sequence: '3' }, { name: 'Moon Saga', sequence: '' }]);
    assert.deepEqual(seriesEntries(' Star #3 '), [{ name: 'Star', sequence: '3' }]);
    assert.deepEqual(seriesEntries('Star#3 '), [{ name: 'Star', sequence: '3' }]);
    assert.deepEqual(seriesEntries(' Moon '), [{ name: 'Moon', sequence: '' }]);
    // A comma inside a name without a position stays in it.
    assert.deepEqual(seriesEntries('Moon, Part Two, Star #3'), [{ name: 'Moon, Part Two', sequence: '' }, { name: 'Star', sequence: '3' }]);
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
