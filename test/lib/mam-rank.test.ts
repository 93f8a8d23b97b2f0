import assert from 'node:assert/strict';
import { rankTorrents, toTorrentInfo, type RankOptions } from '../../lib/mam/rank';
import type { MamTorrent } from '../../lib/mam/rows';
import type { Gap } from '../../lib/types';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

function gap(p: Partial<Gap> = {}): Gap {
  return { key: 'series:expanse|james sa corey#1', kind: 'series', status: 'wanted', title: 'Leviathan Wakes', authors: ['James S. A. Corey'], series: 'The Expanse', sequence: '1', source: 'library', reason: 'test', ...p };
}

let nextId = 1;
function tor(p: Partial<MamTorrent> = {}): MamTorrent {
  return {
    id: nextId++, title: 'Leviathan Wakes', authors: ['James S. A. Corey'], narrators: ['Jefferson Mays'], series: [{ name: 'The Expanse', position: '1' }],
    filetype: 'm4b', sizeBytes: 1 * GiB, seeders: 20, leechers: 0, added: '2020-01-01T00:00:00.000Z', freeleech: false, vip: false, personalFreeleech: false,
    language: 'ENG', category: 'Audiobooks - Science Fiction', mainCat: 13, mySnatched: false, flVip: false, tags: '', ...p,
  };
}

function verdict(g: Gap, t: MamTorrent, o: Partial<RankOptions> = {}) {
  const r = rankTorrents(g, [t], o);
  return r.accepted.length ? { ok: true, reasons: r.accepted[0].reasons, covers: r.accepted[0].covers } : { ok: false, reasons: r.rejected[0].reasons, wedgeable: r.rejected[0].wedgeable };
}

describe('lib/mam rank: acceptance', () => {
  it('accepts the right book, ignoring "(Unabridged)" and subtitle noise', () => {
    assert.equal(verdict(gap(), tor({ title: 'Leviathan Wakes (Unabridged)' })).ok, true);
    assert.equal(verdict(gap({ title: 'The Way of Kings', authors: ['Brandon Sanderson'], series: 'The Stormlight Archive' }), tor({ title: 'The Way of Kings: Book One of the Stormlight Archive', authors: ['Brandon Sanderson'], series: [] })).ok, true);
    assert.equal(verdict(gap(), tor({ title: 'The Expanse 01 - Leviathan Wakes' , series: [] })).ok, true);
  });

  it('"Leviathan Wakes" is not "Leviathan Falls"', () => {
    const v = verdict(gap(), tor({ title: 'Leviathan Falls', series: [{ name: 'The Expanse', position: '' }] }));
    assert.equal(v.ok, false);
    assert.ok(v.reasons.some((r) => /similarity|distinguishing/.test(r)), v.reasons.join('; '));
  });

  it('one differing word in a long title is enough to reject', () => {
    const g = gap({ title: 'The Girl Who Kicked the Hornets Nest', authors: ['Stieg Larsson'], series: 'Millennium', sequence: '3' });
    const v = verdict(g, tor({ title: "The Girl Who Played with the Hornets Nest", authors: ['Stieg Larsson'], series: [] }));
    assert.equal(v.ok, false);
  });

  it('"Book 5" is not "Book 15", from the title when series_info is missing', () => {
    const g = gap({ title: undefined, authors: ['Terry Pratchett'], series: 'Discworld', sequence: '5' });
    assert.equal(verdict(g, tor({ title: 'Discworld Book 15', authors: ['Terry Pratchett'], series: [] })).ok, false);
    assert.match(verdict(g, tor({ title: 'Discworld Book 15', authors: ['Terry Pratchett'], series: [] })).reasons.join(';'), /title says book 15, the gap is book 5/);
    assert.equal(verdict(g, tor({ title: 'Discworld Book 5', authors: ['Terry Pratchett'], series: [] })).ok, true);
    const titled = gap({ title: 'Book 5', authors: ['Terry Pratchett'], series: undefined, sequence: undefined });
    assert.equal(verdict(titled, tor({ title: 'Book 15', authors: ['Terry Pratchett'], series: [] })).ok, false);
  });

  it('a stated series position must equal the gap\'s', () => {
    const v = verdict(gap({ title: 'Caliban\'s War', sequence: '2' }), tor({ title: "Caliban's War", series: [{ name: 'Expanse', position: '3' }] }));
    assert.equal(v.ok, false);
    assert.match(v.reasons.join(';'), /series position 3 is not 2/);
    assert.equal(verdict(gap({ sequence: '1' }), tor({ series: [{ name: 'The Expanse', position: '01' }] })).ok, true);
    assert.equal(verdict(gap({ sequence: '1.5' }), tor({ series: [{ name: 'The Expanse', position: '1' }] })).ok, false);
  });

  it('another series\' position does not count against the gap (Discworld #8 is City Watch #1)', () => {
    const g = gap({ title: 'Guards! Guards!', authors: ['Terry Pratchett'], series: 'Discworld', sequence: '8' });
    const t = tor({ title: 'Guards! Guards!', authors: ['Terry Pratchett'], series: [{ name: 'Discworld', position: '8' }, { name: 'Discworld - City Watch', position: '1' }] });
    assert.equal(verdict(g, t).ok, true);
  });

  it('matches authors across initials, diacritics and order; rejects another author', () => {
    assert.equal(verdict(gap({ authors: ['James S.A. Corey'] }), tor({ authors: ['James S. A. Corey'] })).ok, true);
    const g = gap({ title: 'The City of Brass', authors: ['S. A. Chakraborty'], series: 'Daevabad', sequence: '1' });
    assert.equal(verdict(g, tor({ title: 'The City of Brass', authors: ['Chakraborty, S.A.'], series: [] })).ok, true);
    const b = gap({ title: 'Blindsight', authors: ['Peter Wätts'], series: undefined, sequence: undefined });
    assert.equal(verdict(b, tor({ title: 'Blindsight', authors: ['Peter Watts'], series: [] })).ok, true);
    const v = verdict(gap({ title: 'Dune', authors: ['Frank Herbert'], series: undefined, sequence: undefined }), tor({ title: 'Dune', authors: ['Brian Herbert'], series: [] }));
    assert.equal(v.ok, false);
    assert.match(v.reasons.join(';'), /author Brian Herbert is not Frank Herbert/);
  });

  it('rejects e-books and other categories unless configured', () => {
    const t = tor({ mainCat: 14, category: 'Ebooks - Science Fiction' });
    assert.match(verdict(gap(), t).reasons.join(';'), /category .* is not audiobooks/);
    assert.equal(verdict(gap(), t, { mainCats: [14] }).ok, true);
  });

  it('uses lang_code, not the title, for the language', () => {
    assert.match(verdict(gap(), tor({ language: 'GER' })).reasons.join(';'), /language GER is not one of ENG/);
    assert.equal(verdict(gap(), tor({ language: 'GER' }), { languages: ['ENG', 'GER'] }).ok, true);
  });

  it('excludes abridged, dramatised/GraphicAudio and translations unless allowed', () => {
    assert.match(verdict(gap(), tor({ title: 'Leviathan Wakes (Abridged)' })).reasons.join(';'), /abridged edition/);
    assert.equal(verdict(gap(), tor({ title: 'Leviathan Wakes (Abridged)' }), { allowAbridged: true }).ok, true);
    assert.equal(verdict(gap(), tor({ title: 'Leviathan Wakes (Unabridged)', tags: 'unabridged' })).ok, true);
    assert.match(verdict(gap(), tor({ narrators: ['GraphicAudio'] })).reasons.join(';'), /dramatised/);
    assert.match(verdict(gap(), tor({ title: 'Leviathan Wakes [Dramatized Adaptation]' })).reasons.join(';'), /dramatised/);
    assert.match(verdict(gap(), tor({ title: 'Leviathan Wakes (German Translation)' })).reasons.join(';'), /translation/);
  });

  it('accepts an omnibus only when allowed, then covering each book of the range', () => {
    const g = gap({ title: "Caliban's War", sequence: '2' });
    const box = tor({ title: 'The Expanse Books 1-3', series: [{ name: 'The Expanse', position: '1-3' }] });
    assert.match(verdict(g, box).reasons.join(';'), /omnibus of books 1-3 \(not allowed\)/);
    const ok = verdict(g, box, { allowOmnibus: true });
    assert.equal(ok.ok, true);
    assert.deepEqual(ok.covers, ['1', '2', '3']);
    assert.match(verdict(gap({ title: 'Cibola Burn', sequence: '4' }), box, { allowOmnibus: true }).reasons.join(';'), /does not hold/);
    const noInfo = tor({ title: 'The Expanse: Books 1-3 Box Set', series: [] });
    assert.deepEqual(verdict(g, noInfo, { allowOmnibus: true }).covers, ['1', '2', '3']);
  });

  it('refuses what is not the whole book: far too small without a duration, samples, split parts, e-books as audio', () => {
    const small = verdict(gap(), tor({ sizeBytes: 12 * MiB }));
    assert.equal(small.ok, false);
    assert.match(small.reasons.join(';'), /size 12 MiB is below the 20 MiB minimum and MAM gives no duration: likely a sample/);
    assert.equal(verdict(gap(), tor({ sizeBytes: 12 * MiB }), { minBytes: 5 * MiB }).ok, true, 'a lower minimum (short stories) lets it through');
    assert.equal(verdict(gap(), tor({ sizeBytes: 2 * MiB, mainCat: 14, category: 'Ebooks', filetype: 'epub' }), { mainCats: [14] }).ok, true, 'e-books are small');
    assert.match(verdict(gap(), tor({ title: 'Leviathan Wakes (Sample)' })).reasons.join(';'), /says "Sample": not the whole book/);
    assert.match(verdict(gap(), tor({ title: 'Leviathan Wakes (Part 1 of 2)' })).reasons.join(';'), /split over several torrents \("Part 1 of 2"\)/);
    assert.match(verdict(gap(), tor({ title: 'Leviathan Wakes [2/2]' })).reasons.join(';'), /split over several torrents/);
    assert.equal(verdict(gap(), tor({ title: 'Leviathan Wakes (Expanse Book 1 of 9)' })).ok, true, '"Book 1 of 9" is a series position');
    assert.match(verdict(gap(), tor({ filetype: 'epub pdf', sizeBytes: 3 * MiB })).reasons.join(';'), /file type epub pdf is an e-book, not audio/);
    assert.match(verdict(gap(), tor({ title: 'Leviathan Wakes [BBC Radio 4]' })).reasons.join(';'), /dramatised/);
    assert.equal(verdict(gap({ title: 'Summary Justice', authors: ['John Fairfax'], series: undefined, sequence: undefined }), tor({ title: 'Summary Justice', authors: ['John Fairfax'], series: [] })).ok, true);
  });

  it('above the ratio floor, refuses a paid torrent that would take the ratio below it (a wedge would help)', () => {
    const paidRoom = { bytes: 800 * MiB, ratio: 1.12, floor: 1.1 };
    const v = verdict(gap(), tor({ sizeBytes: GiB }), { paidRoom });
    assert.equal(v.ok, false);
    assert.equal(v.wedgeable, true);
    assert.match(v.reasons.join(';'), /downloading 1024 MiB would take your ratio 1.12 below your floor 1.10 \(room for 800 MiB\): only freeleech results are accepted/);
    assert.equal(verdict(gap(), tor({ sizeBytes: 700 * MiB }), { paidRoom }).ok, true);
    assert.equal(verdict(gap(), tor({ sizeBytes: GiB, freeleech: true }), { paidRoom }).ok, true);
  });

  it('skips what the user already snatched', () => {
    assert.match(verdict(gap(), tor({ mySnatched: true })).reasons.join(';'), /already snatched/);
  });

  it('only freeleech: rejects paid torrents and marks them wedgeable; the ratio floor gives its own reason', () => {
    const v = verdict(gap(), tor(), { freeleechPolicy: 'only' });
    assert.equal(v.ok, false);
    assert.equal(v.wedgeable, true);
    assert.equal(verdict(gap(), tor({ vip: true }), { freeleechPolicy: 'only' }).ok, true);
    const floor = 'ratio 1.02 below your floor 1.10: only freeleech results are accepted';
    assert.deepEqual(verdict(gap(), tor(), { freeOnlyReason: floor }).reasons, [floor]);
    assert.equal(verdict(gap(), tor({ freeleech: true }), { freeOnlyReason: floor }).ok, true);
    assert.equal(verdict(gap({ title: 'Other' }), tor(), { freeleechPolicy: 'only' }).wedgeable, undefined);
  });
});

describe('lib/mam rank: preference', () => {
  it('prefers m4b over m4a over mp3', () => {
    const r = rankTorrents(gap(), [tor({ id: 101, filetype: 'mp3' }), tor({ id: 102, filetype: 'm4b' }), tor({ id: 103, filetype: 'm4a' })]);
    assert.deepEqual(r.accepted.map((a) => a.torrent.id), [102, 103, 101]);
    const custom = rankTorrents(gap(), [tor({ id: 104, filetype: 'mp3' }), tor({ id: 105, filetype: 'm4b' })], { formats: ['mp3', 'm4b'] });
    assert.equal(custom.accepted[0].torrent.id, 104);
  });

  it('never picks zero seeders over a torrent with seeders, even if it is otherwise better', () => {
    const r = rankTorrents(gap(), [tor({ id: 201, seeders: 0, freeleech: true }), tor({ id: 202, filetype: 'mp3', seeders: 1 })]);
    assert.equal(r.accepted[0].torrent.id, 202);
    assert.ok(r.accepted[1].reasons.includes('no seeders'));
  });

  it('freeleech beats paid with the same format; "prefer" weighs it double', () => {
    const r = rankTorrents(gap(), [tor({ id: 301, seeders: 80 }), tor({ id: 302, seeders: 5, freeleech: true })], { freeleechPolicy: 'prefer' });
    assert.equal(r.accepted[0].torrent.id, 302);
  });

  it('penalises sizes outside the bounds, per hour when the duration is known', () => {
    const r = rankTorrents(gap(), [tor({ id: 401, sizeBytes: 7 * GiB, seeders: 90 }), tor({ id: 402, sizeBytes: 700 * MiB, seeders: 3 })]);
    assert.equal(r.accepted[0].torrent.id, 402);
    assert.match(r.accepted[1].reasons.join(';'), /outside 20 MiB–6144 MiB/);
    // A low bitrate with a known duration is a poor copy of the book, not a sample: ranked last.
    const lowRate = rankTorrents(gap(), [tor({ id: 405, sizeBytes: 12 * MiB, durationSec: 3600 }), tor({ id: 406, sizeBytes: 600 * MiB, seeders: 1 })]);
    assert.deepEqual(lowRate.accepted.map((a) => a.torrent.id), [406, 405]);
    const perHour = rankTorrents(gap(), [tor({ id: 403, sizeBytes: 3 * GiB, durationSec: 3600, seeders: 90 }), tor({ id: 404, sizeBytes: 3 * GiB, durationSec: 40 * 3600, seeders: 3 })]);
    assert.equal(perHour.accepted[0].torrent.id, 404);
  });

  it('breaks a tie with the newer upload', () => {
    const r = rankTorrents(gap(), [tor({ id: 501, added: '2019-01-01T00:00:00.000Z' }), tor({ id: 502, added: '2022-01-01T00:00:00.000Z' })]);
    assert.deepEqual(r.accepted.map((a) => a.torrent.id), [502, 501]);
  });

  it('weights are configurable', () => {
    const list = [tor({ id: 601, filetype: 'mp3', seeders: 100 }), tor({ id: 602, filetype: 'm4b', seeders: 1 })];
    assert.equal(rankTorrents(gap(), list).accepted[0].torrent.id, 602);
    assert.equal(rankTorrents(gap(), list, { weights: { format: 0, freeleech: 20, seeders: 50, size: 15, title: 10 } }).accepted[0].torrent.id, 601);
  });

  it('toTorrentInfo keeps the contract fields only', () => {
    const info = toTorrentInfo(tor({ id: 700 }), ['1', '2']);
    assert.equal('mySnatched' in info, false);
    assert.equal('mainCat' in info, false);
    assert.deepEqual(info.covers, ['1', '2']);
  });
});
