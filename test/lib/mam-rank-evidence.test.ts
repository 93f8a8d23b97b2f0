// One test per evidence rule of the ranking (issue 10): each goes red when its rule is removed.
import assert from 'node:assert/strict';
import { rankTorrents, type RankOptions } from '../../lib/mam/rank';
import { missVerdict, nearestMisses } from '../../lib/mam/misses';
import type { MamTorrent } from '../../lib/mam/rows';
import type { Gap } from '../../lib/types';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const HOUR = 3600;

const MISTBORN = [
  { title: 'The Final Empire', sequence: '1' }, { title: 'The Well of Ascension', sequence: '2' }, { title: 'The Hero of Ages', sequence: '3' },
  { title: 'The Alloy of Law', sequence: '4' },
];

function gap(p: Partial<Gap> = {}): Gap {
  return { key: 'k', kind: 'series', status: 'wanted', title: 'The Well of Ascension', authors: ['Brandon Sanderson'], series: 'Mistborn', sequence: '2', source: 'test', reason: 'test', ...p };
}

let nextId = 1;
function tor(p: Partial<MamTorrent> = {}): MamTorrent {
  return {
    id: nextId++, title: 'The Well of Ascension', authors: ['Brandon Sanderson'], narrators: ['Michael Kramer'], series: [], filetype: 'm4b', sizeBytes: 800 * MiB,
    seeders: 20, leechers: 0, added: '2020-01-01T00:00:00.000Z', freeleech: false, vip: false, personalFreeleech: false, language: 'ENG',
    category: 'Audiobooks - Fantasy', mainCat: 13, mySnatched: false, flVip: false, tags: '', ...p,
  };
}

function verdict(g: Gap, t: MamTorrent, o: Partial<RankOptions> = {}) {
  const r = rankTorrents(g, [t], o);
  return r.accepted.length ? { ok: true, reasons: r.accepted[0].reasons.join('; '), covers: r.accepted[0].covers, evidence: r.accepted[0].evidence } : { ok: false, reasons: r.rejected[0].reasons.join('; '), covers: undefined, evidence: r.rejected[0].evidence };
}

describe('lib/mam rank: evidence (issue 10)', () => {
  it('a title naming two books of the series is a bundle, accepted only where omnibus is allowed and the gap is inside', () => {
    const g = gap({ seriesBooks: MISTBORN });
    const listed = tor({ title: 'The Final Empire / The Well of Ascension / The Hero of Ages', sizeBytes: 2.4 * GiB });
    const v = verdict(g, listed);
    assert.equal(v.ok, false);
    assert.match(v.reasons, /names 3 books of the series \(1, 2, 3\)/);
    const allowed = verdict(g, listed, { allowOmnibus: true });
    assert.equal(allowed.ok, true, allowed.reasons);
    assert.deepEqual(allowed.covers, ['1', '2', '3']);
    assert.deepEqual(allowed.evidence.namedBooks, ['1', '2', '3']);
    // The gap is not among the books named: refused even where omnibus is allowed.
    assert.equal(verdict(gap({ title: 'The Alloy of Law', sequence: '4', seriesBooks: MISTBORN }), tor({ title: 'The Alloy of Law', sizeBytes: 600 * MiB })).ok, true);
    assert.equal(verdict(gap({ title: 'The Alloy of Law', sequence: '4', seriesBooks: MISTBORN }), listed, { allowOmnibus: true }).ok, false);
    // One book named (the gap's own) is no bundle; "Dune Messiah" does not also name "Dune".
    assert.equal(verdict(g, tor({ title: 'Mistborn: The Well of Ascension' })).ok, true);
    const dune = gap({ title: 'Dune Messiah', authors: ['Frank Herbert'], series: 'Dune Chronicles', sequence: '2', seriesBooks: [{ title: 'Dune', sequence: '1' }, { title: 'Dune Messiah', sequence: '2' }] });
    assert.equal(verdict(dune, tor({ title: 'Dune Messiah', authors: ['Frank Herbert'] })).ok, true);
  });

  it('bundle words in their common forms, but not a series named "… Trilogy" with a book position', () => {
    for (const title of ['The Well of Ascension - Mistborn Trilogy', 'Mistborn Box Set: The Well of Ascension', 'Mistborn Books 1-3 (The Well of Ascension)', 'Mistborn: The Complete Trilogy', 'Mistborn 3 Books in 1']) {
      const v = verdict(gap(), tor({ title }));
      assert.equal(v.ok, false, title);
      assert.match(v.reasons, /bundle|omnibus/, title);
    }
    const series = tor({ title: 'The Fifth Season: The Broken Earth Trilogy, Book 1', authors: ['N. K. Jemisin'], series: [{ name: 'The Broken Earth', position: '1' }] });
    assert.equal(verdict(gap({ title: 'The Fifth Season', authors: ['N. K. Jemisin'], series: 'The Broken Earth', sequence: '1' }), series).ok, true);
    assert.equal(verdict(gap({ title: 'The Stand', authors: ['Stephen King'], series: undefined, sequence: undefined }), tor({ title: 'The Stand: The Complete & Uncut Edition', authors: ['Stephen King'] })).ok, true);
  });

  it('fragments by their markers: Part One, Pt. 1, Vol. 1 of 2, Disc 1, (1/2), Book 1a', () => {
    for (const title of ['The Well of Ascension, Part One', 'The Well of Ascension Pt. 2', 'The Well of Ascension Vol. 1 of 2', 'The Well of Ascension Disc 1', 'The Well of Ascension (1/2)', 'The Well of Ascension (Mistborn Book 2a)']) {
      const v = verdict(gap(), tor({ title }));
      assert.equal(v.ok, false, title);
      assert.match(v.reasons, /split over several torrents/, title);
    }
    // "Book 2a" is the gap's own position, and "Part" in the wanted title is no marker.
    assert.equal(verdict(gap({ sequence: '2a' }), tor({ title: 'The Well of Ascension (Mistborn Book 2a)' })).ok, true);
    assert.equal(verdict(gap({ title: 'Henry IV, Part 1', authors: ['William Shakespeare'], series: undefined, sequence: undefined }), tor({ title: 'Henry IV, Part 1', authors: ['William Shakespeare'] })).ok, true);
  });

  it('adaptations by content: title words, tags, a cast in narrator_info', () => {
    const cases: Partial<MamTorrent>[] = [
      { title: 'The Well of Ascension: An Audio Drama' }, { title: 'The Well of Ascension (Radio 4 Adaptation)' }, { title: 'The Well of Ascension - Radio Theatre' },
      { title: 'The Well of Ascension (Dramatized)' }, { tags: 'GraphicAudio, fantasy' }, { narrators: ['Full Cast'] },
      { narrators: ['Ann A', 'Bob B', 'Cat C', 'Dan D', 'Eve E'] },
    ];
    for (const c of cases) {
      const v = verdict(gap(), tor(c));
      assert.equal(v.ok, false, JSON.stringify(c));
      assert.match(v.reasons, /dramatised \/ full-cast/, JSON.stringify(c));
    }
    assert.equal(verdict(gap(), tor({ narrators: ['Ann A', 'Bob B'] })).ok, true);
    assert.equal(verdict(gap({ title: 'Radio Silence', authors: ['Alice Oseman'], series: undefined, sequence: undefined }), tor({ title: 'Radio Silence', authors: ['Alice Oseman'] })).ok, true);
    assert.equal(verdict(gap(), tor({ title: 'The Well of Ascension (Dramatized)' }), { allowDramatised: true }).ok, true);
  });

  it('an absurd size is a rejection, not a penalty: a 61 GiB FLAC of one novel is never picked', () => {
    const huge = tor({ title: 'The Well of Ascension [FLAC]', filetype: 'flac', sizeBytes: 61 * GiB, seeders: 200, freeleech: true });
    const r = rankTorrents(gap(), [huge]);
    assert.equal(r.accepted.length, 0);
    assert.match(r.rejected[0].reasons.join('; '), /not one audiobook/);
    assert.equal(verdict(gap(), tor({ filetype: 'flac', sizeBytes: 9 * GiB })).ok, true, 'a 9 GiB FLAC is a plausible lossless rip');
  });

  it('length against the metadata runtime: a fragment or a bundle by bytes per hour, or by MAM\'s duration', () => {
    const g = gap({ expectedDurationSec: 20 * HOUR, expectedDurationFrom: 'metadata' });
    assert.match(verdict(g, tor({ sizeBytes: 150 * MiB })).reasons, /below any audiobook encoding/);
    assert.match(verdict(g, tor({ sizeBytes: 5 * GiB })).reasons, /above any lossy encoding: several books/);
    assert.equal(verdict(g, tor({ sizeBytes: 900 * MiB })).ok, true);
    assert.match(verdict(g, tor({ durationSec: 5 * HOUR })).reasons, /5\.0 h of audio.*a part, an abridgement or an adaptation/);
    assert.match(verdict(g, tor({ durationSec: 60 * HOUR, sizeBytes: 2 * GiB })).reasons, /several books/);
    assert.equal(verdict(g, tor({ durationSec: 19 * HOUR })).evidence.expectedFrom, 'metadata');
    // A prior from owned books is looser: half the series' usual length is still a book.
    const prior = gap({ expectedDurationSec: 20 * HOUR, expectedDurationFrom: 'series' });
    assert.equal(verdict(prior, tor({ durationSec: 9 * HOUR })).ok, true);
    assert.equal(verdict(prior, tor({ durationSec: 3 * HOUR })).ok, false);
    // Without an expected length the reasons say which evidence was missing.
    assert.match(verdict(gap(), tor()).reasons, /not checked for want of evidence: expected length, titles of the series' other books/);
  });

  it('languages, not words: "Translation" in an English edition is fine, a German edition is not', () => {
    const g = gap({ title: 'War and Peace', authors: ['Leo Tolstoy'], series: undefined, sequence: undefined });
    assert.equal(verdict(g, tor({ title: 'War and Peace (Maude Translation)', authors: ['Leo Tolstoy'] })).ok, true);
    assert.equal(verdict(g, tor({ title: 'War and Peace: A New Translation', authors: ['Leo Tolstoy'] })).ok, true);
    for (const title of ['War and Peace (German Edition)', 'War and Peace [Deutsch]', 'War and Peace - Hörbuch, ungekürzt']) {
      const v = verdict(g, tor({ title, authors: ['Leo Tolstoy'] }));
      assert.equal(v.ok, false, title);
      assert.match(v.reasons, /another-language edition or translation .*german/, title);
    }
    assert.equal(verdict(g, tor({ title: 'War and Peace (German Edition)', authors: ['Leo Tolstoy'] }), { languages: ['ENG', 'GER'] }).ok, true);
  });

  it('author variants: honorifics, middle initial dropped, "Last, First", transliterations', () => {
    const pairs: [string, string][] = [
      ['Terry Pratchett', 'Sir Terry Pratchett'], ['George R. R. Martin', 'George Martin'], ['Fyodor Dostoevsky', 'Fyodor Dostoyevsky'],
      ['Leo Tolstoy', 'Lev Tolstoy'], ['Leo Tolstoy', 'Tolstoy, Leo'], ['Anton Chekhov', 'Anton Tchekhov'], ['Liu Cixin', 'Cixin Liu'],
    ];
    for (const [a, b] of pairs) assert.equal(verdict(gap({ authors: [a] }), tor({ authors: [b] })).ok, true, `${a} / ${b}`);
    for (const [a, b] of [['Peter F. Hamilton', 'Paul Hamilton'], ['Kevin Anderson', 'Kevin Andersen'], ['Hamilton', 'Peter Hamilton']]) {
      assert.equal(verdict(gap({ authors: [a] }), tor({ authors: [b] })).ok, false, `${a} / ${b}`);
    }
  });

  it('numbers in words and digits, Roman numerals', () => {
    const orwell = gap({ title: 'Nineteen Eighty-Four', authors: ['George Orwell'], series: undefined, sequence: undefined });
    assert.equal(verdict(orwell, tor({ title: '1984', authors: ['George Orwell'] })).ok, true);
    assert.equal(verdict(orwell, tor({ title: '1985', authors: ['George Orwell'] })).ok, false);
    const catch22 = gap({ title: 'Catch-22', authors: ['Joseph Heller'], series: undefined, sequence: undefined });
    assert.equal(verdict(catch22, tor({ title: 'Catch Twenty-Two', authors: ['Joseph Heller'] })).ok, true);
    const roman = gap({ title: undefined, authors: ['Brandon Sanderson'], series: 'Mistborn', sequence: '2' });
    assert.equal(verdict(roman, tor({ title: 'Mistborn Book II' })).ok, true);
    assert.equal(verdict(roman, tor({ title: 'Mistborn Book III' })).ok, false);
  });

  it('a sub-series position is not the main series\' position', () => {
    const g = gap({ title: 'Men at Arms', authors: ['Terry Pratchett'], series: 'Discworld', sequence: '15' });
    assert.equal(verdict(g, tor({ title: 'Men at Arms', authors: ['Terry Pratchett'], series: [{ name: 'Discworld - City Watch', position: '2' }] })).ok, true);
    assert.equal(verdict(g, tor({ title: 'Men at Arms', authors: ['Terry Pratchett'], series: [{ name: 'Discworld', position: '2' }] })).ok, false);
  });

  it('not found: the nearest misses, up to three, each with the rule it failed', () => {
    const g = gap({ title: 'Men at Arms', authors: ['Terry Pratchett'], series: 'Discworld', sequence: '15' });
    const r = rankTorrents(g, [
      tor({ id: 901, title: 'The Colour of Magic', authors: ['Terry Pratchett'], series: [{ name: 'Discworld', position: '1' }], seeders: 90 }),
      tor({ id: 902, title: 'Men at Arms (Abridged)', authors: ['Terry Pratchett'], series: [{ name: 'Discworld', position: '15' }], seeders: 2 }),
      tor({ id: 903, title: 'Men at Arms', authors: ['Someone Else'], series: [{ name: 'Discworld', position: '15' }] }),
      tor({ id: 904, title: 'Feet of Clay', authors: ['Terry Pratchett'], series: [{ name: 'Discworld', position: '19' }] }),
    ]);
    const misses = nearestMisses(r.rejected);
    assert.deepEqual(misses.map((m) => m.id).slice(0, 2).sort(), [902, 903]);
    assert.equal(misses.length, 3);
    assert.match(misses.find((m) => m.id === 902)!.rule, /abridged/);
    assert.match(missVerdict(r.rejected), /^4 result\(s\), none acceptable; nearest misses: "Men at Arms/);
  });
});

describe('lib/mam rank: evidence without the series titles', () => {
  it('a title listing another title next to the wanted one is a bundle ("A / B", "A, B, C", "A & B")', () => {
    const g = gap({ title: 'Leviathan Wakes', authors: ['James S. A. Corey'], series: 'The Expanse', sequence: '1' });
    const as = (title: string) => tor({ title, authors: ['James S. A. Corey'], narrators: ['Jefferson Mays'] });
    for (const title of ["Leviathan Wakes / Caliban's War", "Leviathan Wakes, Caliban's War, Abaddon's Gate", "Leviathan Wakes & Caliban's War"]) {
      const v = verdict(g, as(title));
      assert.equal(v.ok, false, title);
      assert.match(v.reasons, /lists other titles/, title);
    }
    for (const title of ['Leviathan Wakes / Jefferson Mays', 'Leviathan Wakes, The Expanse, Book 1', 'The Expanse / Leviathan Wakes / Unabridged']) assert.equal(verdict(g, as(title)).ok, true, title);
  });

  it('"#6" after a sub-series\' name in the title is not the main series\' position', () => {
    const g = gap({ title: 'Night Watch', authors: ['Terry Pratchett'], series: 'Discworld', sequence: '29' });
    assert.equal(verdict(g, tor({ title: 'Night Watch (Discworld City Watch #6)', authors: ['Terry Pratchett'] })).ok, true);
    assert.equal(verdict(g, tor({ title: 'Night Watch (Discworld #6)', authors: ['Terry Pratchett'] })).ok, false);
  });

  it('a size and a duration no encoding gives together are absurd', () => {
    const v = verdict(gap(), tor({ sizeBytes: 30 * MiB, durationSec: 20 * HOUR }));
    assert.equal(v.ok, false);
    assert.match(v.reasons, /no audiobook encoding gives that/);
  });
});

describe('lib/mam rank: the whole title among uploader noise', () => {
  it('accepts the whole title in a row when the series position is stated for the very series', () => {
    const g = gap({ title: 'The Eye of the World', authors: ['Robert Jordan'], series: 'The Wheel of Time', sequence: '1' });
    const noisy = 'The Eye of the World [Unabridged] (2004) Michael Kramer, Kate Reading 64kbps';
    assert.equal(verdict(g, tor({ title: noisy, authors: ['Robert Jordan'], narrators: [], series: [{ name: 'The Wheel of Time', position: '1' }] })).ok, true);
    // Without the position, or with another one, the noise still counts against it.
    assert.equal(verdict(g, tor({ title: noisy, authors: ['Robert Jordan'], narrators: [] })).ok, false);
    assert.equal(verdict(g, tor({ title: noisy, authors: ['Robert Jordan'], series: [{ name: 'The Wheel of Time', position: '2' }] })).ok, false);
  });
});

describe('lib/mam rank: adaptations weighed with the length', () => {
  it('a full-cast reading stated unabridged and of the book\'s length is the book; a drama never is', () => {
    const g = gap({ title: 'Dracula', authors: ['Bram Stoker'], series: undefined, sequence: undefined, expectedDurationSec: 15.5 * HOUR });
    const as = (p: Partial<MamTorrent>) => tor({ authors: ['Bram Stoker'], ...p });
    assert.equal(verdict(g, as({ title: 'Dracula: A Full Cast Production', tags: 'full cast, unabridged', sizeBytes: 425 * MiB })).ok, true);
    assert.equal(verdict(g, as({ title: 'Dracula', tags: 'Unabridged, 64 kbps', narrators: ['A A', 'B B', 'C C', 'D D', 'E E', 'F F'], sizeBytes: 425 * MiB })).ok, true);
    assert.equal(verdict(g, as({ title: 'Dracula: A Full Cast Production', tags: 'full cast', sizeBytes: 425 * MiB })).ok, false, 'not stated unabridged');
    assert.equal(verdict(gap({ title: 'Dracula', authors: ['Bram Stoker'], series: undefined, sequence: undefined }), as({ title: 'Dracula: A Full Cast Production', tags: 'full cast, unabridged' })).ok, false, 'no length to confirm it');
    assert.equal(verdict(g, as({ title: 'Dracula (Dramatized)', tags: 'full cast, unabridged', sizeBytes: 425 * MiB })).ok, false);
  });

  it('where the user allows dramatised editions, a drama\'s shortness is no fragment evidence', () => {
    const g = gap({ title: 'Dune', authors: ['Frank Herbert'], series: 'Dune', sequence: '1', expectedDurationSec: 21 * HOUR });
    const drama = tor({ title: 'Dune: Audio Drama', authors: ['Frank Herbert'], narrators: ['Full Cast'], series: [{ name: 'Dune', position: '1' }], sizeBytes: 55 * MiB });
    assert.equal(verdict(g, drama, { allowDramatised: true }).ok, true);
    assert.equal(verdict(g, drama).ok, false);
    assert.equal(verdict(g, tor({ title: 'Dune', authors: ['Frank Herbert'], series: [{ name: 'Dune', position: '1' }], sizeBytes: 55 * MiB }), { allowDramatised: true }).ok, false, 'a short non-drama is still a fragment');
  });
});

describe('lib/mam rank: titles and positions', () => {
  it('"; or, The Whale" is an alternative title, not another book', () => {
    const g = gap({ title: 'Moby-Dick', authors: ['Herman Melville'], series: undefined, sequence: undefined });
    assert.equal(verdict(g, tor({ title: 'Moby-Dick; or, The Whale', authors: ['Herman Melville'] })).ok, true);
  });

  it('a number or Roman numeral right after the series\' name is its position ("The Dark Tower VII")', () => {
    const g = gap({ title: 'The Dark Tower', authors: ['Stephen King'], series: 'The Dark Tower', sequence: '7' });
    const as = (title: string) => tor({ title, authors: ['Stephen King'] });
    assert.equal(verdict(g, as('The Dark Tower VII: The Dark Tower')).ok, true);
    assert.equal(verdict(g, as('The Dark Tower I: The Gunslinger')).ok, false);
    assert.match(verdict(g, as('The Dark Tower I: The Gunslinger')).reasons, /title says book 1, the gap is book 7/);
  });
});

describe('lib/mam rank: evidence rules, one by one', () => {
  it('"(2 of 3)" in brackets is a part of a split upload', () => {
    assert.match(verdict(gap(), tor({ title: 'The Well of Ascension (2 of 3)' })).reasons, /split over several torrents \("2 of 3"\)/);
  });

  it('a stated bitrate gives the length: 300 MiB at 64 kbit/s is 11 h, not the 20 h book', () => {
    const g = gap({ expectedDurationSec: 20 * HOUR, expectedDurationFrom: 'metadata' });
    const v = verdict(g, tor({ sizeBytes: 300 * MiB, tags: 'Unabridged, 64 kbps' }));
    assert.equal(v.ok, false);
    assert.match(v.reasons, /11 h of audio at the stated 64 kbit\/s/);
    assert.equal(verdict(g, tor({ sizeBytes: 300 * MiB, tags: 'Unabridged' })).ok, true, 'the same size at an unknown rate may be the whole book');
  });

  it('a prior from owned books is looser than a metadata runtime', () => {
    const small = tor({ sizeBytes: 120 * MiB });
    assert.equal(verdict(gap({ expectedDurationSec: 20 * HOUR, expectedDurationFrom: 'metadata' }), small).ok, false);
    assert.equal(verdict(gap({ expectedDurationSec: 20 * HOUR, expectedDurationFrom: 'series' }), small).ok, true);
  });

  it('a gap without a title is not identified by a sub-series position, and the reason says so', () => {
    const g = gap({ title: undefined, authors: ['Terry Pratchett'], series: 'Discworld', sequence: '15' });
    const v = verdict(g, tor({ title: 'Men at Arms', authors: ['Terry Pratchett'], series: [{ name: 'Discworld - City Watch', position: '2' }] }));
    assert.equal(v.ok, false);
    assert.match(v.reasons, /only under a related series name/);
  });

  it('"The Witcher Saga" numbers its books differently from "The Witcher": its position neither confirms nor rejects', () => {
    const g = gap({ title: 'Blood of Elves', authors: ['Andrzej Sapkowski'], series: 'The Witcher', sequence: '3' });
    assert.equal(verdict(g, tor({ title: 'Blood of Elves', authors: ['Andrzej Sapkowski'], series: [{ name: 'The Witcher Saga', position: '1' }] })).ok, true);
    const untitled = gap({ title: undefined, authors: ['Andrzej Sapkowski'], series: 'The Witcher', sequence: '1' });
    assert.equal(verdict(untitled, tor({ title: 'Blood of Elves', authors: ['Andrzej Sapkowski'], series: [{ name: 'The Witcher Saga', position: '1' }] })).ok, false);
  });

  it('a series book whose title holds another\'s ("Foundation and Empire" holds "Foundation") names one book', () => {
    const books = [{ title: 'Foundation', sequence: '1' }, { title: 'Foundation and Empire', sequence: '2' }, { title: 'Second Foundation', sequence: '3' }];
    const g = gap({ title: 'Foundation and Empire', authors: ['Isaac Asimov'], series: 'Asimov Galactic Saga', sequence: '2', seriesBooks: books });
    const v = verdict(g, tor({ title: 'Foundation and Empire', authors: ['Isaac Asimov'] }));
    assert.equal(v.ok, true, v.reasons);
    assert.deepEqual(v.evidence.namedBooks, ['2']);
  });
});

describe('lib/mam rank: length rules that only the length shows (mutation survivors)', () => {
  const tenHours = gap({ expectedDurationSec: 10 * HOUR, expectedDurationFrom: 'metadata' });

  it('a single-titled torrent whose audio runs three times the book is several books, refused without any bundle word', () => {
    const v = verdict(tenHours, tor({ durationSec: 30 * HOUR, sizeBytes: 30 * 60 * MiB }));
    assert.equal(v.ok, false);
    assert.match(v.reasons, /several books/);
    // The same torrent of the book's own length is accepted: the length alone decided.
    assert.equal(verdict(tenHours, tor({ durationSec: 10 * HOUR, sizeBytes: 600 * MiB })).ok, true);
  });

  it('an abridgement the user allows is short by nature, not refused as a fragment; not allowed, it is refused', () => {
    const abridged = () => tor({ title: 'The Well of Ascension (Abridged)', durationSec: 4 * HOUR, sizeBytes: 240 * MiB });
    const allowed = verdict(tenHours, abridged(), { allowAbridged: true });
    assert.equal(allowed.ok, true, allowed.reasons);
    assert.equal(verdict(tenHours, abridged()).ok, false);
  });
});
