// The rules of rank.ts's judge, one by one, each with the case that tells it apart (found
// unguarded by mutation testing: docs/mutation/lib-mam-rank.md). Reasons are asserted by what
// they name, not by their punctuation.
import assert from 'node:assert/strict';
import { byNearness } from '../../lib/mam/misses';
import { rankTorrents, type RankOptions } from '../../lib/mam/rank';
import type { MamTorrent } from '../../lib/mam/rows';
import type { Gap } from '../../lib/types';

const MiB = 1024 ** 2;
const HOUR = 3600;

function gap(p: Partial<Gap> = {}): Gap {
  return { key: 'k', kind: 'series', status: 'wanted', title: 'Leviathan Wakes', authors: ['James S. A. Corey'], series: 'The Expanse', sequence: '1', source: 'test', reason: 'test', ...p };
}

let nextId = 1;
function tor(p: Partial<MamTorrent> = {}): MamTorrent {
  return {
    id: nextId++, title: 'Leviathan Wakes', authors: ['James S. A. Corey'], narrators: ['Jefferson Mays'], series: [], filetype: 'm4b', sizeBytes: 900 * MiB,
    seeders: 20, leechers: 0, added: '2020-01-01T00:00:00.000Z', freeleech: false, vip: false, personalFreeleech: false, language: 'ENG',
    category: 'Audiobooks - Science Fiction', mainCat: 13, mySnatched: false, flVip: false, tags: '', ...p,
  };
}

function verdict(g: Gap, t: MamTorrent, o: Partial<RankOptions> = {}) {
  const r = rankTorrents(g, [t], o);
  const a = r.accepted[0];
  const x = r.rejected[0];
  return a ? { ok: true, reasons: a.reasons, text: a.reasons.join('\n'), evidence: a.evidence, score: a.score, wedgeable: undefined }
    : { ok: false, reasons: x.reasons, text: x.reasons.join('\n'), evidence: x.evidence, score: undefined, wedgeable: x.wedgeable };
}

describe('lib/mam rank: category and language', () => {
  it('without a numeric main category, the category text decides: "Audiobooks …", "Ebooks …", "E-Book …"', () => {
    assert.equal(verdict(gap(), tor({ mainCat: 0, category: 'Audiobooks - Science Fiction' })).ok, true);
    for (const category of ['Ebooks - Science Fiction', 'E-Book - Science Fiction', 'Ebook Fantasy']) {
      assert.equal(verdict(gap(), tor({ mainCat: 0, category, filetype: 'mp3' })).ok, false, category);
      assert.equal(verdict(gap(), tor({ mainCat: 0, category, filetype: 'mp3' }), { mainCats: [14] }).ok, true, category);
    }
    // Only a category that starts with the word counts.
    const radio = verdict(gap(), tor({ mainCat: 0, category: 'Radio Audio Ebooks' }), { mainCats: [13, 14] });
    assert.equal(radio.ok, false);
    assert.match(radio.text, /category "Radio Audio Ebooks" is not audiobooks\W+e-books/);
  });

  it('the numeric main category wins over the category text, and the reason names what is there', () => {
    assert.equal(verdict(gap(), tor({ mainCat: 13, category: 'Science Fiction' })).ok, true);
    const ebook = verdict(gap(), tor({ mainCat: 14, category: 'Audiobooks - Science Fiction' }));
    assert.equal(ebook.ok, false);
    assert.match(ebook.text, /category "Audiobooks - Science Fiction" is not audiobooks/);
    // No category text: the number; another wanted category: its own name.
    assert.match(verdict(gap(), tor({ mainCat: 15, category: '' })).text, /category "15" is not audiobooks/);
    assert.match(verdict(gap(), tor({ mainCat: 13 }), { mainCats: [14] }).text, /is not e-books/);
    assert.match(verdict(gap(), tor({ mainCat: 13 }), { mainCats: [61] }).text, /is not category 61/);
  });

  it('a row without a language says "(none)" and lists every accepted language', () => {
    const v = verdict(gap(), tor({ language: '' }), { languages: ['ENG', 'GER'] });
    assert.equal(v.ok, false);
    assert.match(v.text, /language \(none\) is not one of ENG\W+GER/);
  });
});

describe('lib/mam rank: free or not', () => {
  it('personal freeleech is free: it passes "only freeleech" and the ratio floor', () => {
    assert.equal(verdict(gap(), tor({ personalFreeleech: true }), { freeleechPolicy: 'only' }).ok, true);
    assert.equal(verdict(gap(), tor({ personalFreeleech: true }), { freeOnlyReason: 'ratio below floor' }).ok, true);
  });

  it('a torrent refused only by the ratio floor is wedgeable; one refused for anything else alone is not', () => {
    assert.equal(verdict(gap(), tor(), { freeOnlyReason: 'ratio 1.02 below your floor 1.10' }).wedgeable, true);
    const snatched = verdict(gap(), tor({ mySnatched: true }));
    assert.deepEqual([snatched.ok, snatched.reasons.length, snatched.wedgeable], [false, 1, undefined]);
  });

  it('a paid torrent exactly the size of the room left above the floor still fits', () => {
    const paidRoom = { bytes: 900 * MiB, ratio: 1.2, floor: 1.1 };
    assert.equal(verdict(gap(), tor({ sizeBytes: 900 * MiB }), { paidRoom }).ok, true);
    assert.equal(verdict(gap(), tor({ sizeBytes: 900 * MiB + 1 }), { paidRoom }).ok, false);
  });
});

describe('lib/mam rank: order of the accepted', () => {
  it('a seeded torrent comes first whatever order the rows arrive in', () => {
    for (const order of [[0, 1], [1, 0]]) {
      const rows = [tor({ id: 11, seeders: 0, freeleech: true }), tor({ id: 12, filetype: 'mp3', seeders: 1 })];
      const r = rankTorrents(gap(), order.map((i) => rows[i]));
      assert.deepEqual(r.accepted.map((a) => a.torrent.id), [12, 11], `order ${order.join(',')}`);
    }
  });
});

describe('lib/mam rank: reasons and evidence of an accepted torrent', () => {
  const books = [{ title: 'Leviathan Wakes', sequence: '1' }, { title: "Caliban's War", sequence: '2' }];
  const known = gap({ expectedDurationSec: 20 * HOUR, expectedDurationFrom: 'metadata', seriesBooks: books });

  it('with every piece of evidence known: one reason per rule, nothing "not checked", no missing evidence', () => {
    const v = verdict(known, tor({ series: [{ name: 'The Expanse', position: '1' }] }));
    assert.equal(v.ok, true, v.text);
    assert.doesNotMatch(v.text, /not checked/);
    assert.deepEqual(v.evidence, { expectedSec: 20 * HOUR, expectedFrom: 'metadata', bytesPerHour: 45 * MiB, language: 'english', namedBooks: ['1'] });
    const rules = [/^author matches \(James S\. A\. Corey\)$/, /^series position matches/, /per hour of the book/, /^title matches/, /^format m4b/, /seeders$/, /^size /];
    assert.equal(v.reasons.length, rules.length, v.text);
    for (const re of rules) assert.equal(v.reasons.filter((r) => re.test(r)).length, 1, `${re}: ${v.text}`);
  });

  it('evidence names the bundle marker, the adaptation, the fragment and what was missing', () => {
    const box = verdict(gap(), tor({ title: 'Leviathan Wakes (Box Set)' }));
    assert.equal(box.evidence.bundle, 'Box Set');
    assert.deepEqual(box.evidence.missing, ['expected length', "titles of the series' other books"]);
    const drama = verdict(gap(), tor({ title: 'Leviathan Wakes (Audio Drama)' }));
    assert.deepEqual(drama.evidence.adaptation, ['title says "Audio Drama"']);
    const part = verdict(gap(), tor({ title: 'Leviathan Wakes (Part 1 of 2)' }));
    assert.equal(part.evidence.fragment, 'Part 1 of 2');
    assert.equal('fragment' in box.evidence, false, 'no fragment key where none was found');
  });

  it('an accepted full-cast reading says why it is still the book', () => {
    const g = gap({ title: 'Dracula', authors: ['Bram Stoker'], series: undefined, sequence: undefined, expectedDurationSec: 15.5 * HOUR });
    const v = verdict(g, tor({ title: 'Dracula: A Full Cast Production', authors: ['Bram Stoker'], tags: 'full cast, unabridged', sizeBytes: 425 * MiB }));
    assert.equal(v.ok, true, v.text);
    assert.match(v.text, /read by a cast \(title says "Full Cast"\W+tags says "full cast"\), but unabridged and of the book's length/);
    const drama = verdict(g, tor({ title: 'Dracula: A Full Cast Production', authors: ['Bram Stoker'], tags: 'full cast', sizeBytes: 425 * MiB }));
    assert.match(drama.text, /dramatised \/ full-cast edition \(not allowed\): title says "Full Cast"\W+tags says "full cast"/);
  });

  it('two authors each named in the reasons, apart', () => {
    const g = gap({ authors: ['Daniel Abraham', 'Ty Franck'] });
    assert.match(verdict(g, tor({ authors: ['Daniel Abraham', 'Ty Franck'] })).text, /author matches \(Daniel Abraham\W+Ty Franck\)/);
    assert.match(verdict(g, tor({ authors: ['Anne Other', 'Some One'] })).text, /author Anne Other\W+Some One is not Daniel Abraham\W+Ty Franck/);
  });

  it('a title listing other titles names each of them apart', () => {
    const v = verdict(gap(), tor({ title: "Leviathan Wakes, Caliban's War, Abaddon's Gate" }));
    assert.match(v.text, /lists other titles: Caliban's War\W+Abaddon's Gate/);
  });
});

describe('lib/mam rank: bundles and the stated position', () => {
  it('a group word ("Trilogy") is no bundle where the title or series_info states one position, up to two digits', () => {
    const g = gap({ title: 'The Fifth Season', authors: ['N. K. Jemisin'], series: 'The Broken Earth', sequence: '1' });
    assert.equal(verdict(g, tor({ title: 'The Fifth Season: The Broken Earth Trilogy, Book 1', authors: ['N. K. Jemisin'] })).ok, true);
    const twelve = gap({ title: 'Winter Tide', authors: ['Ruthanna Emrys'], series: 'Long Saga', sequence: '12' });
    assert.equal(verdict(twelve, tor({ title: 'Winter Tide - A Trilogy', authors: ['Ruthanna Emrys'], series: [{ name: 'Long Saga', position: '12' }] })).ok, true);
    assert.equal(verdict(twelve, tor({ title: 'Winter Tide - A Trilogy', authors: ['Ruthanna Emrys'], series: [{ name: 'Long Saga', position: '' }] })).ok, false);
  });

  it('bundle words inside the wanted title or the series\' name are no evidence', () => {
    const g = gap({ title: 'The Collection', authors: ['Bentley Little'], series: undefined, sequence: undefined });
    assert.equal(verdict(g, tor({ title: 'The Collection', authors: ['Bentley Little'] })).ok, true);
  });

  it('an accepted omnibus is judged against the length of all the books it covers', () => {
    const g = gap({ title: "Caliban's War", sequence: '2', expectedDurationSec: 10 * HOUR, expectedDurationFrom: 'metadata' });
    const box = (durationSec: number) => tor({ title: 'The Expanse Books 1-3', series: [{ name: 'The Expanse', position: '1-3' }], durationSec, sizeBytes: (durationSec / HOUR) * 60 * MiB });
    const whole = verdict(g, box(30 * HOUR), { allowOmnibus: true });
    assert.equal(whole.ok, true, whole.text);
    assert.equal(whole.evidence.expectedSec, 30 * HOUR);
    // Three books that run one book's length are not the three books.
    assert.equal(verdict(g, box(10 * HOUR), { allowOmnibus: true }).ok, false);
    // An omnibus is several books by nature: its length is not held against it as a bundle.
    assert.equal(verdict(g, box(70 * HOUR), { allowOmnibus: true }).ok, true);
  });

  it('an allowed abridgement excuses shortness only when the edition is abridged', () => {
    const g = gap({ expectedDurationSec: 20 * HOUR, expectedDurationFrom: 'metadata' });
    assert.equal(verdict(g, tor({ durationSec: 4 * HOUR, sizeBytes: 240 * MiB }), { allowAbridged: true }).ok, false);
  });
});

describe('lib/mam rank: titles a series shares', () => {
  const mistborn = (p: Partial<Gap> = {}) => gap({ title: 'Mistborn', authors: ['Brandon Sanderson'], series: 'Mistborn', sequence: '1', ...p });
  const as = (title: string, position: string) => tor({ title, authors: ['Brandon Sanderson'], series: [{ name: 'Mistborn', position }] });

  it('a gap titled like its series is the torrent at its confirmed position, and the reason says so', () => {
    const v = verdict(mistborn(), as('The Final Empire', '1'));
    assert.equal(v.ok, true, v.text);
    assert.match(v.text, /the gap's title "Mistborn" is its series' name and the position matches/);
    assert.equal(verdict(mistborn(), as('The Well of Ascension', '2')).ok, false);
  });

  it('without a matching position the reason says the title names only the series', () => {
    const v = verdict(mistborn(), tor({ title: 'Mistborn: The Well of Ascension', authors: ['Brandon Sanderson'] }));
    assert.equal(v.ok, false);
    assert.match(v.text, /names only the series/);
    assert.doesNotMatch(verdict(gap(), tor({ title: 'Leviathan Falls' })).text, /names only the series/);
  });

  it('series names the torrent states are not title words ("The Expanse: Leviathan Wakes")', () => {
    const g = gap({ series: undefined, sequence: undefined });
    assert.equal(verdict(g, tor({ title: 'The Expanse Saga: Leviathan Wakes', series: [{ name: 'The Expanse Saga', position: '' }] })).ok, true);
  });
});

describe('lib/mam rank: the whole title in a row', () => {
  const wot = gap({ title: 'The Eye of the World', authors: ['Robert Jordan'], series: 'The Wheel of Time', sequence: '1' });
  const as = (title: string, position = '1') => tor({ title, authors: ['Robert Jordan'], narrators: [], series: [{ name: 'The Wheel of Time', position }] });
  const titleOnly = { weights: { format: 0, freeleech: 0, seeders: 0, size: 0, title: 100 } };

  it('counts as 0.9 title similarity and says so', () => {
    const v = verdict(wot, as('The Eye of the World [Unabridged] (2004) Michael Kramer, Kate Reading 64kbps'), titleOnly);
    assert.equal(v.ok, true, v.text);
    assert.equal(v.score, 90);
    assert.match(v.text, /the whole title "The Eye of the World" is in the torrent's title and the series position matches/);
  });

  it('only the words in a row: scattered words or another title at the position are refused', () => {
    assert.equal(verdict(wot, as('The World [Unabridged] (2004) Eye of the Storm, Kate Reading 64kbps')).ok, false);
    assert.equal(verdict(wot, as('The Eye of Storms [Unabridged] (2004) Michael Kramer, Kate Reading 64kbps')).ok, false);
  });

  it('two words suffice; one word among noise does not', () => {
    const night = gap({ title: 'Night Watch', authors: ['Terry Pratchett'], series: 'Discworld', sequence: '29' });
    const nw = tor({ title: 'Night Watch [Unabridged] (2002) Stephen Briggs, Read In Full 64kbps', authors: ['Terry Pratchett'], narrators: [], series: [{ name: 'Discworld', position: '29' }] });
    assert.equal(verdict(night, nw).ok, true, verdict(night, nw).text);
    const one = gap({ title: 'Warbreaker', authors: ['Brandon Sanderson'], series: 'Cosmere', sequence: '5' });
    const wb = tor({ title: 'Warbreaker Graphic Novel Adaptation Notes (2009) James Yaegashi 64kbps', authors: ['Brandon Sanderson'], narrators: [], series: [{ name: 'Cosmere', position: '5' }] });
    assert.equal(verdict(one, wb, { allowDramatised: true }).ok, false);
  });
});

describe('lib/mam rank: a gap without a title', () => {
  it('a torrent that states no position at all is refused, and the reason says so', () => {
    const g = gap({ title: undefined, series: 'The Expanse', sequence: '1' });
    const v = verdict(g, tor({ title: 'Leviathan Wakes' }));
    assert.equal(v.ok, false);
    assert.match(v.text, /the gap has no title and the torrent states no position/);
  });

  it('a position under a related series name is named in the reason', () => {
    const g = gap({ title: undefined, authors: ['Terry Pratchett'], series: 'Discworld', sequence: '15' });
    const v = verdict(g, tor({ title: 'Men at Arms', authors: ['Terry Pratchett'], series: [{ name: 'Discworld - City Watch', position: '2' }] }));
    assert.match(v.text, /related series name \(Discworld - City Watch\)/);
  });
});

describe('lib/mam rank: nearness of the misses', () => {
  it('the right author counts a whole title\'s worth, the right position half of it', () => {
    const falls = (id: number, authors: string[], position: string) => tor({ id, title: 'Leviathan Falls', authors, series: [{ name: 'The Expanse', position }] });
    const r = rankTorrents(gap(), [falls(31, ['Someone Else'], '1'), falls(32, ['James S. A. Corey'], ''), falls(33, ['James S. A. Corey'], '1')]);
    const near = Object.fromEntries(r.rejected.map((x) => [x.torrent.id, x.nearness]));
    assert.equal(near[33] - near[32], 0.5, JSON.stringify(near));
    assert.equal(near[32] - near[31], 0.5, JSON.stringify(near));
    assert.ok(near[31] > 0.5, 'the title\'s similarity counts too');
    const rows = [falls(34, ['James S. A. Corey'], ''), falls(35, ['James S. A. Corey'], '1')];
    assert.deepEqual(byNearness(rankTorrents(gap(), rows).rejected).map((x) => x.torrent.id), [35, 34]);
  });
});

describe('lib/mam rank: a group word and the position the series data states', () => {
  // "Duology" in a title is a bundle only when nothing says which single book it is; MAM's
  // series data states that with a plain position ("2", "2.5", "2a"), not with "Book 2".
  const g = (sequence: string) => gap({ title: "Caliban's War", sequence });
  const t = (position: string) => tor({ title: "Caliban's War (Expanse Duology)", series: [{ name: 'The Expanse', position }] });
  it('a plain position states one book: the group word is no bundle', () => {
    for (const [sequence, position] of [['2', '2'], ['2.5', '2.5'], ['2.25', '2.25'], ['2a', '2a']]) {
      assert.equal(verdict(g(sequence), t(position)).ok, true, `position ${position}`);
    }
  });
  it('a position that is not one plain number, or none, leaves the group word a bundle', () => {
    for (const position of ['Book 2', '']) {
      const v = verdict(g('2'), t(position));
      assert.equal(v.ok, false, `position ${JSON.stringify(position)}`);
      assert.match(v.text, /bundle.*Duology/);
    }
  });
});

describe('lib/mam rank: the series name the torrent states is no title word', () => {
  it('"Cosmere Stormlight Oathbringer" (series "Cosmere Stormlight") is the title Oathbringer', () => {
    const g = gap({ title: 'Oathbringer', authors: ['Brandon Sanderson'], series: 'The Stormlight Archive', sequence: '3' });
    const v = verdict(g, tor({ title: 'Cosmere Stormlight Oathbringer', authors: ['Brandon Sanderson'], series: [{ name: 'Cosmere Stormlight', position: '3' }], sizeBytes: 1500 * MiB }));
    assert.equal(v.ok, true, v.text);
    assert.match(v.text, /title matches \(similarity 1\.00\)/);
  });
});
