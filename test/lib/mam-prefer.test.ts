// Preference among accepted torrents (lib/mam/prefer.ts), one weight at a time: the other
// weights are set to 0 so that the score shows what that one rule gives.
import assert from 'node:assert/strict';
import { prefer } from '../../lib/mam/prefer';
import { DEFAULT_RANK, type RankOptions, type RankWeights } from '../../lib/mam/rank';
import type { MamTorrent } from '../../lib/mam/rows';

const MiB = 1024 ** 2;
const ZERO: RankWeights = { format: 0, freeleech: 0, seeders: 0, size: 0, title: 0 };

function tor(p: Partial<MamTorrent> = {}): MamTorrent {
  return {
    id: 1, title: 'T', authors: ['A'], narrators: [], series: [], filetype: 'm4b', sizeBytes: 600 * MiB, seeders: 0, leechers: 0,
    added: '2020-01-01T00:00:00.000Z', freeleech: false, vip: false, personalFreeleech: false, language: 'ENG', category: 'Audiobooks', mainCat: 13,
    mySnatched: false, flVip: false, tags: '', ...p,
  };
}
const only = (w: Partial<RankWeights>, o: Partial<RankOptions> = {}): RankOptions => ({ ...DEFAULT_RANK, ...o, weights: { ...ZERO, ...w } });

describe('lib/mam prefer: the weights', () => {
  it('format: the first preferred earns all of the weight, the last a share, an unlisted one none', () => {
    const o = only({ format: 30 });
    assert.deepEqual(prefer(tor({ filetype: 'm4b' }), 1, o), { score: 30, reasons: ['format m4b (preference 1 of 3)', 'no seeders', 'size 600 MiB'] });
    assert.equal(prefer(tor({ filetype: 'm4a' }), 1, o).score, 20);
    assert.equal(prefer(tor({ filetype: 'mp3' }), 1, o).score, 10);
    assert.equal(prefer(tor({ filetype: 'mp3 m4b' }), 1, o).score, 30, 'the best of several file types');
    assert.equal(prefer(tor({ filetype: 'flac, mp3' }), 1, o).score, 10);
    const flac = prefer(tor({ filetype: 'flac' }), 1, o);
    assert.equal(flac.score, 0);
    assert.match(flac.reasons[0], /format flac is not a preferred one/);
    assert.match(prefer(tor({ filetype: '' }), 1, o).reasons[0], /format unknown is not a preferred one/);
  });

  it('freeleech, VIP and personal freeleech earn the weight, twice under "prefer"; fl_vip only for VIP users', () => {
    const o = only({ freeleech: 20 });
    assert.equal(prefer(tor(), 1, o).score, 0);
    assert.deepEqual(prefer(tor({ freeleech: true }), 1, o), { score: 20, reasons: ['format m4b (preference 1 of 3)', 'freeleech', 'no seeders', 'size 600 MiB'] });
    assert.equal(prefer(tor({ freeleech: true }), 1, only({ freeleech: 20 }, { freeleechPolicy: 'prefer' })).score, 40);
    assert.equal(prefer(tor({ freeleech: true }), 1, only({ freeleech: 20 }, { freeleechPolicy: 'only' })).score, 20);
    assert.ok(prefer(tor({ vip: true }), 1, o).reasons.includes('VIP'));
    assert.ok(prefer(tor({ personalFreeleech: true, freeleech: true }), 1, o).reasons.includes('personal freeleech'));
    assert.equal(prefer(tor({ flVip: true }), 1, o).score, 0);
    assert.equal(prefer(tor({ flVip: true }), 1, only({ freeleech: 20 }, { userIsVip: true })).score, 20);
  });

  it('seeders: log10(1 + seeders) / 2 of the weight, full from 99 seeders on', () => {
    const o = only({ seeders: 20 });
    assert.equal(prefer(tor({ seeders: 9 }), 1, o).score, 10);
    assert.equal(prefer(tor({ seeders: 99 }), 1, o).score, 20);
    assert.equal(prefer(tor({ seeders: 999 }), 1, o).score, 20);
    assert.ok(prefer(tor({ seeders: 9 }), 1, o).reasons.includes('9 seeders'));
  });

  it('title: the similarity times the weight, rounded to cents', () => {
    assert.equal(prefer(tor(), 0.8, only({ title: 10 })).score, 8);
    assert.equal(prefer(tor(), 1 / 3, only({ title: 10 })).score, 3.33);
  });
});

describe('lib/mam prefer: size within the bounds', () => {
  it('overall bounds without a duration: inside earns the weight, outside costs twice it', () => {
    const o = only({ size: 15 });
    assert.equal(prefer(tor({ sizeBytes: 20 * MiB }), 1, o).score, 15);
    assert.equal(prefer(tor({ sizeBytes: 6 * 1024 * MiB }), 1, o).score, 15);
    const small = prefer(tor({ sizeBytes: 19 * MiB }), 1, o);
    assert.equal(small.score, -30);
    assert.match(small.reasons.at(-1)!, /size 19 MiB outside 20 MiB\W+6144 MiB/);
    assert.equal(prefer(tor({ sizeBytes: 6 * 1024 * MiB + 1 }), 1, o).score, -30);
    assert.equal(prefer(tor({ sizeBytes: 60 * 1024 * MiB }), 1, only({ size: 15 }, { maxBytes: 0 })).score, 15, 'no maximum set');
  });

  it('per hour with a duration', () => {
    const o = only({ size: 15 });
    const hour = (mibPerHour: number, p: Partial<RankOptions> = {}) => prefer(tor({ durationSec: 3600, sizeBytes: mibPerHour * MiB }), 1, only({ size: 15 }, p));
    assert.equal(hour(14).score, 15);
    assert.equal(hour(300).score, 15);
    assert.equal(hour(13).score, -30);
    assert.equal(hour(301).score, -30);
    assert.equal(hour(3000, { maxBytesPerHour: 0 }).score, 15, 'no maximum set');
    assert.match(hour(13).reasons.at(-1)!, /13 MiB per hour outside 14 MiB\W+300 MiB/);
    assert.equal(prefer(tor({ durationSec: 7200, sizeBytes: 100 * MiB }), 1, o).reasons.at(-1), '50 MiB per hour');
  });
});
