// Length as evidence (lib/mam/length.ts), at its bounds: what a size, a duration and a stated
// bitrate say against the book's expected length. Each bound is tested on both sides.
import assert from 'node:assert/strict';
import { judgeLength, statedKbps } from '../../lib/mam/length';

const MiB = 1024 ** 2;
const HOUR = 3600;
const none = {};
const metadata = (hours: number) => ({ expectedDurationSec: hours * HOUR, expectedDurationFrom: 'metadata' as const });
const prior = (hours: number) => ({ expectedDurationSec: hours * HOUR, expectedDurationFrom: 'series' as const });
const m4b = (sizeMiB: number, p: { durationSec?: number; title?: string; tags?: string; filetype?: string } = {}) => ({ sizeBytes: sizeMiB * MiB, filetype: 'm4b', ...p });

describe('lib/mam length: a stated bitrate', () => {
  it('reads "64 kbps", "128k", "32kbit", "96kbit/s", "48kb/s" once stated', () => {
    assert.equal(statedKbps('Title 64 kbps'), 64);
    assert.equal(statedKbps('128k'), 128);
    assert.equal(statedKbps('32kbit'), 32);
    assert.equal(statedKbps('(96kbit/s)'), 96);
    assert.equal(statedKbps('48kb/s'), 48);
    assert.equal(statedKbps('64 kbps, unabridged, 64k'), 64, 'the same rate twice is one rate');
  });

  it('refuses two rates, rates out of 16–512, and numbers that are no rate', () => {
    assert.equal(statedKbps('64 kbps and 128 kbps'), undefined);
    assert.equal(statedKbps('16k'), 16);
    assert.equal(statedKbps('512k'), 512);
    assert.equal(statedKbps('15k'), undefined);
    assert.equal(statedKbps('513k'), undefined);
    assert.equal(statedKbps('8k'), undefined);
    assert.equal(statedKbps('1000k'), undefined);
    assert.equal(statedKbps('64kbpsx 2012'), undefined);
    assert.equal(statedKbps(''), undefined);
  });
});

describe('lib/mam length: a size no audiobook reaches', () => {
  it('without an expected length, more than 50 hours at the top rate of the format (lossy 160 MiB/h, else 450)', () => {
    assert.equal(judgeLength(none, m4b(8000)).problem, undefined);
    const big = judgeLength(none, m4b(8001));
    assert.equal(big.problem, 'absurd');
    assert.match(big.reason, /size 8001 MiB is more than 50 h of audio at the highest rate for m4b: not one audiobook/);
    assert.equal(judgeLength(none, m4b(20000, { filetype: 'flac' })).problem, undefined);
    assert.equal(judgeLength(none, m4b(22501, { filetype: 'flac' })).problem, 'absurd');
    assert.equal(judgeLength(none, m4b(20000, { filetype: 'mp3, flac' })).problem, undefined, 'any lossless file lifts the top rate');
    assert.equal(judgeLength(none, m4b(9000, { filetype: 'mp3/m4a' })).problem, 'absurd', 'lossy files alone keep it');
    assert.match(judgeLength(none, m4b(30000, { filetype: '' })).reason, /for its format/);
    assert.equal(judgeLength(none, m4b(20000, { filetype: '' })).problem, undefined, 'an unknown format may be lossless');
  });

  it('an omnibus or a long book raises the limit: books × 50 h, or three times the expected length', () => {
    assert.equal(judgeLength(none, m4b(12000), 2).problem, undefined);
    assert.equal(judgeLength(none, m4b(16001), 2).problem, 'absurd');
    assert.equal(judgeLength(metadata(60), m4b(8001, { durationSec: 60 * HOUR })).problem, undefined);
    assert.equal(judgeLength(metadata(60), m4b(28801)).problem, 'absurd');
  });

  it('a duration and a size no encoding gives together: under 2 MiB/h or over twice the top rate', () => {
    assert.equal(judgeLength(none, m4b(19, { durationSec: 10 * HOUR })).problem, 'absurd');
    assert.equal(judgeLength(none, m4b(21, { durationSec: 10 * HOUR })).problem, undefined);
    assert.equal(judgeLength(none, m4b(3300, { durationSec: 10 * HOUR })).problem, 'absurd');
    assert.equal(judgeLength(none, m4b(3100, { durationSec: 10 * HOUR })).problem, undefined);
    assert.equal(judgeLength(none, m4b(20, { durationSec: 10 * HOUR })).problem, undefined, 'exactly 2 MiB/h');
    assert.equal(judgeLength(none, m4b(3200, { durationSec: 10 * HOUR })).problem, undefined, 'exactly twice the top rate');
    assert.match(judgeLength(none, m4b(19, { durationSec: 10 * HOUR })).reason, /size 19 MiB for 10 h of audio is 2 MiB per hour: no audiobook encoding gives that/);
    assert.match(judgeLength(none, m4b(9, { durationSec: 5 * HOUR })).reason, /for 5\.0 h of audio/);
  });
});

describe('lib/mam length: against the expected length', () => {
  it('a metadata runtime: under 0.6 of it is a part, over 1.7 several books', () => {
    const at = (hours: number) => judgeLength(metadata(10), m4b(hours * 60, { durationSec: hours * HOUR }));
    assert.equal(at(5.9).problem, 'fragment');
    assert.equal(at(6).problem, undefined);
    assert.equal(at(17).problem, undefined);
    assert.equal(at(17.1).problem, 'bundle');
    assert.match(at(5).reason, /^5\.0 h of audio, the book runs about 10 h \(metadata runtime\): a part, an abridgement or an adaptation$/);
    assert.match(at(20).reason, /several books$/);
    assert.equal(at(10).reason, '10 h of audio, the book runs about 10 h (metadata runtime)');
  });

  it('a prior from owned books is looser: 0.3 and 3.5, and says where it came from', () => {
    const at = (hours: number) => judgeLength(prior(10), m4b(hours * 60, { durationSec: hours * HOUR }));
    assert.equal(at(2.9).problem, 'fragment');
    assert.equal(at(3).problem, undefined);
    assert.equal(at(35).problem, undefined);
    assert.equal(at(36).problem, 'bundle');
    assert.match(at(10).reason, /prior from the series's owned books/);
  });

  it('a stated bitrate of a lossy file gives the audio\'s length; of a lossless one, nothing', () => {
    // 300 MiB at 64 kbit/s: 10.9 h, said "11 h".
    const v = judgeLength(metadata(20), m4b(300, { tags: '64 kbps' }));
    assert.equal(v.problem, 'fragment');
    assert.equal(v.evidence.statedKbps, 64);
    assert.match(v.reason, /11 h of audio at the stated 64 kbit\/s/);
    assert.equal(judgeLength(metadata(20), m4b(300, { title: 'Book 64 kbps' })).problem, 'fragment', 'in the title too');
    const flac = judgeLength(metadata(20), m4b(3000, { filetype: 'flac', tags: '64 kbps' }));
    assert.deepEqual([flac.problem, flac.evidence.statedKbps], [undefined, undefined]);
  });

  it('with only the size: under 10 MiB per hour of the book is a sample, over the top rate several books', () => {
    const at = (sizeMiB: number, filetype = 'm4b') => judgeLength(metadata(10), m4b(sizeMiB, { filetype }));
    assert.equal(at(99).problem, 'fragment');
    assert.equal(at(100).problem, undefined);
    assert.equal(at(1600).problem, undefined);
    assert.equal(at(1601).problem, 'bundle');
    assert.equal(at(1601, 'flac').problem, undefined);
    assert.match(at(99).reason, /^10 MiB per hour of the book \(the book runs about 10 h \(metadata runtime\)\) is below any audiobook encoding: a part or a sample$/);
    assert.match(at(1700).reason, /is above any lossy encoding: several books/);
    assert.match(at(4600, 'flac').reason, /is above any encoding: several books/);
    assert.equal(at(500).reason, '50 MiB per hour of the book (the book runs about 10 h (metadata runtime))');
    // A prior is three times looser each way.
    const p = (sizeMiB: number) => judgeLength(prior(10), m4b(sizeMiB)).problem;
    assert.deepEqual([p(33), p(34), p(4800), p(4801)], ['fragment', undefined, undefined, 'bundle']);
  });

  it('the evidence: expected length and its source, the duration, bytes per hour of the duration else of the book', () => {
    assert.deepEqual(judgeLength(metadata(10), m4b(600, { durationSec: 12 * HOUR })).evidence, { expectedSec: 10 * HOUR, expectedFrom: 'metadata', durationSec: 12 * HOUR, bytesPerHour: 50 * MiB });
    assert.deepEqual(judgeLength({ expectedDurationSec: 10 * HOUR }, m4b(600)).evidence, { expectedSec: 10 * HOUR, expectedFrom: 'metadata', bytesPerHour: 60 * MiB });
    assert.deepEqual(judgeLength(metadata(10), m4b(600), 3).evidence.expectedSec, 30 * HOUR);
    assert.deepEqual(judgeLength({ expectedDurationSec: 0 }, m4b(600)).evidence, {});
    assert.deepEqual(judgeLength({ expectedDurationSec: -5 }, m4b(600)).evidence, {});
  });

  it('without an expected length, says what is missing', () => {
    assert.equal(judgeLength(none, m4b(600, { durationSec: 12 * HOUR })).reason, '12 h of audio; expected length unknown (no metadata runtime, no owned books to judge by)');
    assert.equal(judgeLength(none, m4b(600)).reason, 'length not checked: no expected length (no metadata runtime, no owned books to judge by) and MAM gives no duration');
  });
});
