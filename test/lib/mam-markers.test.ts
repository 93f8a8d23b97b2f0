// What a torrent title says about itself in words (lib/mam/markers.ts): ranges and bundle words,
// fragments, adaptation markers, the edition's language. Words of the wanted title are never
// evidence against it.
import assert from 'node:assert/strict';
import { adaptationMarkers, bundleMarker, fragmentMarker, statedRange, titleLanguage } from '../../lib/mam/markers';

describe('lib/mam markers: a stated range', () => {
  it('"Books 1-3", "#1-3", "Books One to Three", "Vols. 2 through 4", "(1-3)": every position between', () => {
    assert.deepEqual(statedRange('The Expanse Books 1-3'), [1, 2, 3]);
    assert.deepEqual(statedRange('Mistborn #1-3'), [1, 2, 3]);
    assert.deepEqual(statedRange('Mistborn #4 - 6'), [4, 5, 6]);
    assert.deepEqual(statedRange('Books One to Three'), [1, 2, 3]);
    assert.deepEqual(statedRange('Vols. 2 through 4'), [2, 3, 4]);
    assert.deepEqual(statedRange('Novels 7–8'), [7, 8]);
    assert.deepEqual(statedRange('Mistborn (1-3)'), [1, 2, 3]);
    assert.deepEqual(statedRange('Books 1-61')?.length, 61);
    assert.deepEqual(statedRange('Mistborn (10-12)'), [10, 11, 12]);
    assert.deepEqual(statedRange('Mistborn 4 – 5'), [4, 5]);
  });

  it('"Books 1 & 3", "1, 3", "1 and 3", "1 + 3": the two named only', () => {
    for (const title of ['Books 1 & 3', 'Books 1, 3', 'Books 1 and 3', 'Books 1 + 3']) assert.deepEqual(statedRange(title), [1, 3], title);
  });

  it('no range: years, times, reversed or huge spans, a single number', () => {
    for (const title of ['Dune (1965-1985)', 'Recorded 2001-05', 'Books 3-1', 'Books 1-62', 'Book 3', 'At 12:30-45', 'Version 1.2-3', '3/4-5', 'Leviathan Wakes', '123-456', 'Dune 1-3.5', 'Dune 1-3/4', 'Dune 1-3:2']) {
      assert.equal(statedRange(title), undefined, title);
    }
  });
});

describe('lib/mam markers: bundle words', () => {
  it('bundle words in their common forms', () => {
    const cases: [string, string][] = [
      ['Mistborn Omnibus', 'Omnibus'], ['Mistborn Box Set', 'Box Set'], ['Mistborn Boxed-Set', 'Boxed-Set'], ['Mistborn Boxset', 'Boxset'],
      ['The Mistborn Collection', 'Collection'], ['A Mistborn Anthology', 'Anthology'], ['Mistborn Bundle', 'Bundle'], ['Mistborn Complete Series', 'Complete Series'],
      ['Mistborn: The Complete', 'The Complete'], ['Mistborn 3 Books in 1', '3 Books in 1'], ['Mistborn Three Novels in One', 'Three Novels in One'],
      ['Mistborn 3-in-1', '3-in-1'], ['Mistborn 2 in 1', '2 in 1'], ['Mistborn 12 Books in 1', '12 Books in 1'], ['Mistborn: First Two Novels', 'First Two Novels'],
      ['Mistborn Books 1 thru 4', 'Books 1 thru 4'], ['Mistborn: The First Three Books', 'First Three Books'], ['Mistborn Books One through Three', 'Books One through Three'],
    ];
    for (const [title, marker] of cases) assert.equal(bundleMarker(title, [], false), marker, title);
    assert.equal(bundleMarker('The Stand: The Complete & Uncut Edition', [], false), undefined);
    assert.equal(bundleMarker('The Stand (The Complete Unabridged Edition)', [], false), undefined);
  });

  it('a range: "Books 1-3" always, a bare "1-3" only where the title states no single position', () => {
    assert.equal(bundleMarker('Mistborn Books 1-3', [], true), 'Books 1-3');
    assert.equal(bundleMarker('Mistborn 1-3', [], false), '1-3');
    assert.equal(bundleMarker('Mistborn 1-3', [], true), undefined);
    assert.equal(bundleMarker('Mistborn Books 3-1', [], false), undefined, 'no range it can read');
  });

  it('a group word only without a single position, never "series", never from the own title or series name', () => {
    assert.equal(bundleMarker('The Mistborn Trilogy', [], false), 'Trilogy');
    assert.equal(bundleMarker('The Mistborn Trilogy', [], true), undefined);
    assert.equal(bundleMarker('The Mistborn Series', [], false), undefined);
    assert.equal(bundleMarker('The Fifth Season (The Broken Earth Trilogy)', ['The Broken Earth Trilogy'], false), undefined);
    assert.equal(bundleMarker('The Collection', ['The Collection'], false), undefined);
    assert.equal(bundleMarker('The Collection: Mistborn Box Set', ['The Collection'], false), 'Box Set', 'the next match that is not the own title');
    assert.equal(bundleMarker('Mistborn: The Well of Ascension', [], false), undefined);
  });
});

describe('lib/mam markers: fragments', () => {
  it('parts, discs, "(1 of 2)", "[2/2]", volumes of a whole, halves, chapters', () => {
    const cases: [string, string][] = [
      ['Dune Part 1 of 2', 'Part 1 of 2'], ['Dune Disc 2/3', 'Disc 2/3'], ['Dune (1 of 2)', '1 of 2'], ['Dune [2/2]', '2/2'],
      ['Dune Vol. 1 of 2', 'Vol. 1 of 2'], ['Dune Volume 2 (of 3)', 'Volume 2 of 3'], ['Dune 1/2', '1/2'], ['Dune Part Two', 'Part Two'],
      ['Dune Pt. 2', 'Pt. 2'], ['Dune CD 3', 'CD 3'], ['Dune Tape 2', 'Tape 2'], ['Dune Disk 1', 'Disk 1'], ['Dune: First Half', 'First Half'],
      ['Dune 2nd half', '2nd half'], ['Dune Chapters 1-10', 'Chapters 1-10'], ['Dune Episodes 3 to 5', 'Episodes 3 to 5'], ['Dune Book 1a', 'Book 1a'],
      ['Dune Side 2 of 4', 'Side 2 of 4'], ['Dune (10 of 12)', '10 of 12'], ['Dune ( 1 of 2 )', '1 of 2'], ['Dune 1 / 3', '1 / 3'],
      ['Dune Bk 12c', 'Bk 12c'], ['Dune Second  Half', 'Second  Half'], ['Dune #1b', '#1b'], ['Dune (#2a)', '#2a'],
    ];
    for (const [title, marker] of cases) assert.equal(fragmentMarker(title, 'Dune', '1'), marker, title);
  });

  it('not a fragment: a range of parts or discs, "2/1", a series position, the gap\'s own "Book 2a", the wanted title\'s own words', () => {
    for (const title of ['Dune Parts 1-3', 'Dune Part 1-2', 'Dune Disc 1-3', 'Dune 2/1', 'Dune 12/2020', 'Dune Book 1 of 6', 'Dune (Book 1)', 'Dune 3.1/2', 'Dune 1/2/2020', 'Dune Book 1e', 'Dune Disc 1 - 3']) {
      assert.equal(fragmentMarker(title, 'Dune', '1'), undefined, title);
    }
    assert.equal(fragmentMarker('Mistborn Book 2a', 'Mistborn', '2a'), undefined);
    assert.equal(fragmentMarker('Mistborn Book 2A', 'Mistborn', '2 a'), undefined);
    assert.equal(fragmentMarker('Mistborn #2a', 'Mistborn', '2a'), undefined);
    assert.equal(fragmentMarker('Dune #1', 'Dune', '1'), undefined, 'a position without a letter');
    assert.equal(fragmentMarker('Henry IV, Part 1', 'Henry IV, Part 1', ''), undefined);
    assert.equal(fragmentMarker('Henry IV, Part 1 (Part 2 of 2)', 'Henry IV, Part 1', ''), 'Part 2 of 2');
  });
});

describe('lib/mam markers: adaptations', () => {
  it('words in the title and tags, each said where', () => {
    const v = adaptationMarkers('Dune: An Audio Drama', 'BBC Radio, sci-fi', ['Scott Brick'], 'Dune');
    assert.deepEqual(v, { markers: ['title says "Audio Drama"', 'tags says "BBC Radio"'], castOnly: false });
    for (const title of ['Dune (Dramatised)', 'Dune - Radio 4', 'Dune GraphicAudio', 'Dune: Stage Play', 'Dune starring Somebody', 'Dune Theatre']) {
      assert.equal(adaptationMarkers(title, '', [], 'Dune').markers.length, 1, title);
    }
    assert.deepEqual(adaptationMarkers('Radio Silence', '', [], 'Radio Silence'), { markers: [], castOnly: false }, 'the wanted title\'s own word');
  });

  it('a cast only: "Full Cast", "multicast", a narrator named "Full Cast"; not when radio, BBC, drama or a company is named', () => {
    assert.equal(adaptationMarkers('Dune (Full Cast)', 'multi-cast', [], 'Dune').castOnly, true);
    for (const words of ['fullcast', 'full-cast', 'multicast', 'multi cast', 'ensemble cast', 'cast recording', 'performed by a cast']) {
      assert.equal(adaptationMarkers(`Dune (${words})`, '', [], 'Dune').castOnly, true, words);
    }
    assert.equal(adaptationMarkers('Dune', '', ['Full Cast', 'Scott Brick'], 'Dune').castOnly, true);
    assert.equal(adaptationMarkers('Dune', '', ['GraphicAudio Cast'], 'Dune').castOnly, false);
    assert.equal(adaptationMarkers('Dune', '', ['Theatre Cast'], 'Dune').castOnly, false);
    assert.equal(adaptationMarkers('Dune', '', ['Castle Players'], 'Dune').castOnly, false, 'a company without "cast"');
    assert.deepEqual(adaptationMarkers('Dune', '', ['Full Cast'], 'Dune'), { markers: ['narrator "Full Cast"'], castOnly: true });
    assert.equal(adaptationMarkers('Dune (Full Cast Drama)', '', [], 'Dune').castOnly, false);
    assert.equal(adaptationMarkers('Dune (Full Cast)', '', ['BBC Radio Cast'], 'Dune').castOnly, false);
    assert.equal(adaptationMarkers('Dune (Full Cast)', '', ['The Repertory Players'], 'Dune').castOnly, false);
    assert.equal(adaptationMarkers('Dune (Full Cast)', 'radio play', [], 'Dune').castOnly, false);
  });

  it('five narrators or more are a cast; four are not', () => {
    assert.deepEqual(adaptationMarkers('Dune', '', ['A A', 'B B', 'C C', 'D D', 'E E'], 'Dune'), { markers: ['a cast of 5 narrators'], castOnly: true });
    assert.deepEqual(adaptationMarkers('Dune', '', ['A A', 'B B', 'C C', 'D D'], 'Dune').markers, []);
  });
});

describe('lib/mam markers: the title\'s language', () => {
  it('"(German Edition)", "[Deutsch]", "French Version", "in Spanish", "- Italian" at the end', () => {
    assert.deepEqual(titleLanguage('Dune (German Edition)', 'Dune'), { language: 'german', words: 'German Edition' });
    assert.deepEqual(titleLanguage('Dune [Deutsch]', 'Dune'), { language: 'german', words: 'Deutsch' });
    assert.deepEqual(titleLanguage('Dune French Version', 'Dune'), { language: 'french', words: 'French Version' });
    assert.deepEqual(titleLanguage('Dune in Spanish', 'Dune'), { language: 'spanish', words: 'in Spanish' });
    assert.deepEqual(titleLanguage('Dune - Italian', 'Dune'), { language: 'italian', words: 'Italian' });
    assert.deepEqual(titleLanguage('Dune (English)', 'Dune'), { language: 'english', words: 'English' });
  });

  it('native words ("Hörbuch", "livre audio", "audiolibro", "luisterboek", "ljudbok")', () => {
    const cases: [string, string, string][] = [['Dune - Hörbuch', 'german', 'horbuch'], ['Dune, livre audio', 'french', 'livre audio'], ['Dune audiolibro', 'spanish', 'audiolibro'],
      ['Dune luisterboek', 'dutch', 'luisterboek'], ['Dune ljudbok', 'swedish', 'ljudbok'], ['Dune ungekürzte Lesung', 'german', 'ungekurzte lesung'],
      ['Dune, Sprecher: Hans', 'german', 'sprecher'], ['Dune texte intégral', 'french', 'texte integral'], ['Dune narrado por Ana', 'spanish', 'narrado por'],
      ['Dune voorgelezen door Jan', 'dutch', 'voorgelezen door'], ['Dune lydbog', 'swedish', 'lydbog']];
    for (const [title, language, words] of cases) assert.deepEqual(titleLanguage(title, 'Dune'), { language, words }, title);
  });

  it('none: a "Translation" without a language, the wanted title\'s own words', () => {
    assert.equal(titleLanguage('War and Peace (Maude Translation)', 'War and Peace'), undefined);
    assert.equal(titleLanguage('The Englishman', 'The Englishman'), undefined);
    assert.equal(titleLanguage('Lost in Translation', 'Lost in Translation'), undefined);
    assert.equal(titleLanguage('Hörbuch Hamburg', 'Hörbuch Hamburg'), undefined);
    assert.equal(titleLanguage('Speaking in French', 'Speaking in French'), undefined);
  });
});
