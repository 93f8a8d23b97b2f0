import { strict as assert } from 'node:assert';
import { parseReleaseTitle } from '../../lib/indexer/title-parse';
import { FIELDS, loadTitles, scoreTitles, type TitleSet } from './indexer-title-accuracy';

// The held-out set was labelled before the parser ran on it, then used to find failure classes
// (92.9 % after); the fresh set was labelled after that tuning and scored 90.6 % untouched (96.9 %
// after two rules it then showed, so it is no longer fresh either).
// Floors sit a little below: a regression turns red, a new title or two does not.
const FLOORS: Record<Exclude<TitleSet, 'tuned'>, { whole: number; field: number }> = {
  heldout: { whole: 0.9, field: 0.9 },
  fresh: { whole: 0.85, field: 0.85 },
};

describe('indexer release-title parser on titles it was not tuned on', () => {
  for (const set of ['heldout', 'fresh'] as const) {
    it(`${set} set: entirely right and every field above the floor; at most 10 % wrong authors and one wrong series`, () => {
      const s = scoreTitles(loadTitles(set));
      assert.ok(s.n >= 30, `the ${set} set has ${s.n} titles`);
      console.log(`      ${set}: ${(s.whole * 100).toFixed(1)} % of ${s.n} entirely right; wrong/unknown authors ${s.wrong.authors}/${s.unknown.authors}, series ${s.wrong.series}/${s.unknown.series}`);
      assert.ok(s.whole >= FLOORS[set].whole, `only ${(s.whole * 100).toFixed(1)} % right; misses: ${JSON.stringify(s.misses.slice(0, 5))}`);
      for (const f of FIELDS) assert.ok(s.fields[f] >= FLOORS[set].field, `${f}: ${(s.fields[f] * 100).toFixed(1)} %`);
      // The worst errors: a wrong author or series position can make the ranking take the wrong book.
      assert.ok(s.wrong.authors <= Math.ceil(s.n * 0.1), `${s.wrong.authors} wrong authors`);
      assert.ok(s.wrong.series <= 1, `${s.wrong.series} wrong series`);
    });

    it(`${set} set: labels say only what the titles say`, () => {
      for (const c of loadTitles(set)) {
        if (c.series) assert.match(c.series.position, /^\d+(\.\d+)?$/, c.raw);
        for (const a of c.authors ?? []) assert.ok(c.raw.replace(/[._]/g, ' ').includes(a.split(' ').pop()!) || c.attrs?.author?.includes(a), `${a} is not in "${c.raw}"`);
      }
    });
  }
});

describe('indexer release-title parser rules found on the held-out set', () => {
  it('a bracket with only a name and a number is a series, unless it names a disc or a part', () => {
    assert.deepEqual(parseReleaseTitle('Leigh Bardugo - Six of Crows [Six of Crows 1] (2015)').series, { name: 'Six of Crows', position: '1' });
    assert.deepEqual(parseReleaseTitle('[Discworld 12] Terry Pratchett - Witches Abroad').series, { name: 'Discworld', position: '12' });
    assert.equal(parseReleaseTitle('Stephen King - It [Disc 2]').series, undefined);
    assert.equal(parseReleaseTitle('Brandon Sanderson - The Way of Kings (Part 1 of 3)').series, undefined);
  });

  it('an upper-case roman numeral or "Book Three" ends a series between dashes; a bare three-digit number stays in the title', () => {
    const p = parseReleaseTitle('Stephen King - The Dark Tower VII - The Dark Tower (2004)');
    assert.deepEqual([p.series, p.title], [{ name: 'The Dark Tower', position: '7' }, 'The Dark Tower']);
    assert.deepEqual(parseReleaseTitle('Brent Weeks - The Black Prism - Lightbringer, Book One').series, { name: 'Lightbringer', position: '1' });
    // Only between dashes: a king's numeral at either end is the title's ("Richard III").
    assert.deepEqual([parseReleaseTitle('William Shakespeare - Richard III').series, parseReleaseTitle('William Shakespeare - Richard III').title], [undefined, 'Richard III']);
    assert.equal(parseReleaseTitle('Henry V - William Shakespeare - Kenneth Branagh').series, undefined);
    const f = parseReleaseTitle('Fahrenheit 451 - Ray Bradbury - read by Tim Robbins');
    assert.deepEqual([f.series, f.title, f.authors, f.narrators], [undefined, 'Fahrenheit 451', ['Ray Bradbury'], ['Tim Robbins']]);
  });

  it('"Title - Author": after a series bracket, a possessive, a leading series; a name after both is the narrator', () => {
    assert.deepEqual(parseReleaseTitle('Red Rising (Red Rising Saga, Book 1) - Pierce Brown').authors, ['Pierce Brown']);
    assert.deepEqual(parseReleaseTitle("Ender's Game - Orson Scott Card").authors, ['Orson Scott Card']);
    assert.deepEqual(parseReleaseTitle('Die Tribute von Panem 2 - Gefährliche Liebe - Suzanne Collins').authors, ['Suzanne Collins']);
    const c = parseReleaseTitle('Catch-22 | Joseph Heller | Jay O. Sanders | MP3 VBR');
    assert.deepEqual([c.authors, c.title], [['Joseph Heller'], 'Catch-22']);
    assert.deepEqual(parseReleaseTitle('Harry Potter - J.K. Rowling').authors, ['J.K. Rowling']);
    assert.deepEqual(parseReleaseTitle('Iain M. Banks - Consider Phlebas').authors, ['Iain M. Banks']);
    // Two parts that both look like names: the common order, and the title stays.
    const k = parseReleaseTitle('Stephen King - Fairy Tale');
    assert.deepEqual([k.authors, k.title], [['Stephen King'], 'Fairy Tale']);
    const o = parseReleaseTitle('Octavia E. Butler - Parable of the Sower - Lynne Thigpen');
    assert.deepEqual([o.authors, o.title], [['Octavia E. Butler'], 'Parable of the Sower']);
  });

  it('"Last, First" is one person; names in any script and with particles are names', () => {
    assert.deepEqual(parseReleaseTitle('Pratchett, Terry & Baxter, Stephen - The Long Earth').authors, ['Terry Pratchett', 'Stephen Baxter']);
    assert.deepEqual(parseReleaseTitle('Good Omens by Terry Pratchett, Neil Gaiman').authors, ['Terry Pratchett', 'Neil Gaiman']);
    assert.deepEqual(parseReleaseTitle('Death by Black Hole by Neil deGrasse Tyson').authors, ['Neil deGrasse Tyson']);
    assert.deepEqual(parseReleaseTitle('Булгаков Михаил - Мастер и Маргарита').authors, ['Булгаков Михаил']);
  });

  // Found on the fresh set after it was scored (90.6 % before these two rules).
  it('a name marked "(Narrator)" is a narrator; "Arkady & Boris Strugatsky" are two Strugatskys', () => {
    const d = parseReleaseTitle('Children of Dune (Dune Chronicles, Book 3) by Frank Herbert, Simon Vance (Narrator) [MP3]');
    assert.deepEqual([d.authors, d.narrators, d.series], [['Frank Herbert'], ['Simon Vance'], { name: 'Dune Chronicles', position: '3' }]);
    assert.deepEqual(parseReleaseTitle('Arkady & Boris Strugatsky - Roadside Picnic').authors, ['Arkady Strugatsky', 'Boris Strugatsky']);
  });

  it('reads a list in brackets, language codes, sizes, German edition words, GraphicAudio and MP3@64', () => {
    const r = parseReleaseTitle('Азимов Айзек - Я, робот [Кирилл Радциг, 2019, 64 kbps, MP3]');
    assert.deepEqual([r.year, r.bitrateKbps, r.format, r.title], [2019, 64, 'mp3', 'Я, робот']);
    assert.equal(parseReleaseTitle('Leviathan Wakes by James S. A. Corey [ENG / M4B]').language, 'english');
    assert.equal(parseReleaseTitle('Umberto Eco - Il nome della rosa [ITA]').language, 'italian');
    assert.equal(parseReleaseTitle('Stephen King - Misery [IT]').language, 'italian');
    assert.equal(parseReleaseTitle('Stephen King - Misery [it]').language, undefined);
    assert.deepEqual(parseReleaseTitle('Stephen King - Misery [Audiobook, Retail, 6CD]').extra, []);
    assert.deepEqual(parseReleaseTitle('Stephen King - Misery [Audiobook, Lisa Kudrow]').extra, ['Lisa Kudrow']);
    assert.equal(parseReleaseTitle('Joe Hill - NOS4A2 (2013) Unabridged 1.21 GB').title, 'NOS4A2');
    assert.equal(parseReleaseTitle('Timur Vermes - Er ist wieder da (ungekürzt)').unabridged, true);
    assert.equal(parseReleaseTitle('Brandon Sanderson - The Way of Kings [GraphicAudio]').dramatised, true);
    assert.deepEqual([parseReleaseTitle('Jim Butcher - Skin Game [MP3@64]').bitrateKbps, parseReleaseTitle('Jim Butcher - Skin Game [MP3@64]').format], [64, 'mp3']);
    assert.equal(parseReleaseTitle('Evelyn Waugh - Brideshead Revisited (Audible Studios 2012)').year, 2012);
  });

  it('a year between dashes is the year, unless it is all the title there is ("George Orwell - 1984")', () => {
    const k = parseReleaseTitle('Kingdom of Ash - Sarah J. Maas - Narr. Elizabeth Evans - 2018 - MP3');
    assert.deepEqual([k.authors, k.title, k.year, k.narrators], [['Sarah J. Maas'], 'Kingdom of Ash', 2018, ['Elizabeth Evans']]);
    const n = parseReleaseTitle('Andy Weir - Project Hail Mary - Narrated by Ray Porter - 2021');
    assert.deepEqual([n.title, n.year, n.narrators], ['Project Hail Mary', 2021, ['Ray Porter']]);
    const o = parseReleaseTitle('George Orwell - 1984 [MP3]');
    assert.deepEqual([o.authors, o.title, o.year], [['George Orwell'], '1984', undefined]);
  });

  it('scene names: the tags between dashes at the end are read, the group is dropped', () => {
    const s = parseReleaseTitle('Cixin_Liu_-_Die_drei_Sonnen-(Gekuerzt)-6CD-DE-2017-OMA');
    assert.deepEqual([s.authors, s.title, s.year, s.language, s.unabridged], [['Cixin Liu'], 'Die drei Sonnen', 2017, 'german', false]);
    const d = parseReleaseTitle('Neal.Stephenson.-.Termination.Shock.2021.Unabridged.Audiobook.MP3.64kbps-ACE');
    assert.deepEqual([d.authors, d.title, d.year, d.bitrateKbps], [['Neal Stephenson'], 'Termination Shock', 2021, 64]);
    // No dash between author and title: the group goes, the author stays unknown rather than guessed.
    const r = parseReleaseTitle('Cormac.McCarthy.The.Road.2006.Unabridged.MP3-BiTBOOK');
    assert.deepEqual([r.authors, r.title, r.year], [[], 'Cormac McCarthy The Road', 2006]);
    // A last field after a dash that follows no tag is the title's, not a group.
    assert.equal(parseReleaseTitle('Jay_Asher-Thirteen_Reasons-Why').title, 'Jay Asher-Thirteen Reasons-Why');
  });
});
