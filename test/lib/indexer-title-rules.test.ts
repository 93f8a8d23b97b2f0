// The release-title parser rule by rule, with realistic titles where each rule decides the
// reading: without the rule (or with it loosened) the author, title, series position or a tag
// comes out different, and a wrong author or position lets the ranking accept the wrong book.
// Each case states the whole reading, so a stray space, a lost tag or an extra reading shows.
import { strict as assert } from 'node:assert';
import { parseReleaseTitle, type ParsedRelease, type ReleaseAttrs } from '../../lib/indexer/title-parse';

type Reading = Partial<ParsedRelease>;

function reads(raw: string, want: Reading, attrs?: ReleaseAttrs): void {
  const authors = want.authors ?? [];
  const expected = {
    authors, authorFrom: want.authorFrom ?? (authors.length ? 'title' : 'none'), dramatised: false, narrators: [], extra: [], ...want,
  };
  assert.deepEqual(parseReleaseTitle(raw, attrs), expected, raw);
}

describe('indexer release-title rules', () => {
  describe('"Title by Author"', () => {
    it('takes the last "by" of a one-part title as the author, after a colon title', () => {
      reads('Mistborn: The Final Empire by Brandon Sanderson', { authors: ['Brandon Sanderson'], title: 'Mistborn: The Final Empire' });
    });
    it('reads "by" only when the whole title is one part (a "by" inside a part of several is the title\'s)', () => {
      reads('Harry Potter and the Philosopher\'s Stone by J.K. Rowling - Stephen Fry', {
        authors: ['Stephen Fry'], title: 'Harry Potter and the Philosopher\'s Stone by J.K. Rowling',
      });
    });
    it('keeps a narrator named after the author out of the author', () => {
      reads('Red Rising by Pierce Brown read by Tim Gerard Reynolds', { authors: ['Pierce Brown'], title: 'Red Rising', narrators: ['Tim Gerard Reynolds'] });
      reads('Dune by Frank Herbert, Simon Vance (Narrator), Scott Brick (Translator)', { authors: ['Frank Herbert'], title: 'Dune', narrators: ['Simon Vance'] });
    });
  });

  describe('colon forms', () => {
    it('"Series, Book N: Title" and "Title: Series, Book Two" give the series and the title', () => {
      reads('The Stormlight Archive, Book 2: Words of Radiance', { title: 'Words of Radiance', series: { name: 'The Stormlight Archive', position: '2' } });
      reads('Words of Radiance: The Stormlight Archive, Book Two', { title: 'Words of Radiance', series: { name: 'The Stormlight Archive', position: '2' } });
      reads('Legends of the First Empire, Vol. 2: Age of Swords', { title: 'Age of Swords', series: { name: 'Legends of the First Empire', position: '2' } });
      reads('The Stormlight Archive, Book 2 : Words of Radiance', { title: 'Words of Radiance', series: { name: 'The Stormlight Archive', position: '2' } });
    });
    it('a colon without a position word on either side stays inside the title ("Catch 22: A Novel")', () => {
      reads('Joseph Heller - Catch 22: A Novel', { authors: ['Joseph Heller'], title: 'Catch 22: A Novel' });
      reads('Joseph Heller - Closing Time: The Sequel to Catch 22', { authors: ['Joseph Heller'], title: 'Closing Time: The Sequel to Catch 22' });
      reads('Brandon Sanderson - Mistborn: The Final Empire', { authors: ['Brandon Sanderson'], title: 'Mistborn: The Final Empire' });
    });
  });

  describe('series between dashes', () => {
    it('a number closing the last of two parts is the title\'s ("Catch 22"), in the middle or at the end of three it is a position', () => {
      reads('Joseph Heller - Catch 22', { authors: ['Joseph Heller'], title: 'Catch 22' });
      reads('Brandon Sanderson - The Way of Kings - Stormlight Archive 1', { authors: ['Brandon Sanderson'], title: 'The Way of Kings', series: { name: 'Stormlight Archive', position: '1' } });
      reads('Terry Pratchett - Discworld 41 - The Shepherd\'s Crown', { authors: ['Terry Pratchett'], title: 'The Shepherd\'s Crown', series: { name: 'Discworld', position: '41' } });
    });
    it('a series first ("Mistborn 1 - Title") is read as the series, the rest as the title', () => {
      reads('Mistborn 1 - The Final Empire', { title: 'The Final Empire', series: { name: 'Mistborn', position: '1' } });
      reads('Discworld 41 - The Shepherd\'s Crown', { title: 'The Shepherd\'s Crown', series: { name: 'Discworld', position: '41' } });
    });
    it('a one-part title with a position word keeps it as its title (nothing else would be left)', () => {
      reads('Discworld, Book 41', { title: 'Discworld, Book 41' });
    });
    it('a bare position between the series and the title ("Mistborn - 03 - Title", "Book 3", "#3", "Vol. 3")', () => {
      for (const pos of ['03', 'Book 3', '#3', 'Vol. 3']) {
        reads(`Brandon Sanderson - Mistborn - ${pos} - The Hero of Ages`, { authors: ['Brandon Sanderson'], title: 'The Hero of Ages', series: { name: 'Mistborn', position: '3' } });
      }
      reads('Tad Williams - Shadowmarch - Vol. 3 - Shadowrise', { authors: ['Tad Williams'], title: 'Shadowrise', series: { name: 'Shadowmarch', position: '3' } });
    });
    it('a bare position is never the first or the last part', () => {
      reads('Book 3 - The Hero of Ages', { title: 'Book 3 - The Hero of Ages' });
    });
    it('an upper-case roman numeral after a series name between dashes is its position, subtractive or not', () => {
      reads('Stephen King - The Dark Tower IV - Wizard and Glass', { authors: ['Stephen King'], title: 'Wizard and Glass', series: { name: 'The Dark Tower', position: '4' } });
      reads('Stephen King - The Dark Tower III - The Waste Lands', { authors: ['Stephen King'], title: 'The Waste Lands', series: { name: 'The Dark Tower', position: '3' } });
      reads('Stephen King - The Dark Tower XIV - The End', { authors: ['Stephen King'], title: 'The End', series: { name: 'The Dark Tower', position: '14' } });
      reads('Stephen King - The Dark Tower VII - The Dark Tower', { authors: ['Stephen King'], title: 'The Dark Tower', series: { name: 'The Dark Tower', position: '7' } });
    });
    it('a three-digit number is a position only after "Book" or "#" ("Dresden Files 100" is a title)', () => {
      reads('Dresden Files 100 - Michael Butcher', { authors: ['Michael Butcher'], title: 'Dresden Files 100' });
      reads('Jim Butcher - Dresden Files, Book 100 - Title', { authors: ['Jim Butcher'], title: 'Title', series: { name: 'Dresden Files', position: '100' } });
    });
    it('a bare position is read even when a bracket names the same series', () => {
      reads('Brandon Sanderson - Mistborn - 03 - The Hero of Ages (Mistborn #3)', {
        authors: ['Brandon Sanderson'], title: 'The Hero of Ages', series: { name: 'Mistborn', position: '3' }, extra: ['Mistborn #3'],
      });
    });
    it('a bare position does not replace a bracket that names another series', () => {
      assert.deepEqual(parseReleaseTitle('Brandon Sanderson - Mistborn - 03 - The Hero of Ages (Cosmere #5)').series, { name: 'Cosmere', position: '5' });
    });
    it('a bare position at the end is no position: the author stays the author', () => {
      assert.deepEqual(parseReleaseTitle('Brandon Sanderson - Mistborn - 03').authors, ['Brandon Sanderson']);
    });
    it('a series name of six words takes a position, one of seven ("Percy Jackson and the Sea of Monsters 2") is a title', () => {
      reads('George R. R. Martin - A Song of Ice and Fire 5 - A Dance with Dragons', {
        authors: ['George R. R. Martin'], title: 'A Dance with Dragons', series: { name: 'A Song of Ice and Fire', position: '5' },
      });
      reads('A Dance with Dragons (A Song of Ice and Fire 5)', { title: 'A Dance with Dragons', series: { name: 'A Song of Ice and Fire', position: '5' }, extra: ['A Song of Ice and Fire 5'] });
      reads('Rick Riordan - Percy Jackson and the Sea of Monsters 2 - Jesse Bernstein', { authors: ['Rick Riordan'], title: 'Percy Jackson and the Sea of Monsters 2' });
    });
    it('only the words "Book", "Vol", "Part" alone are no series name ("Partials Sequence 2" is one)', () => {
      reads('Dan Wells - Partials Sequence 2 - Fragments', { authors: ['Dan Wells'], title: 'Fragments', series: { name: 'Partials Sequence', position: '2' } });
    });
    it('a three-digit position after "#" or "Vol." in brackets', () => {
      reads('Der Erbe des Universums (Perry Rhodan, Vol.150)', { title: 'Der Erbe des Universums', series: { name: 'Perry Rhodan', position: '150' }, extra: ['Perry Rhodan, Vol.150'] });
      reads('Changes (Dresden Files #100)', { title: 'Changes', series: { name: 'Dresden Files', position: '100' }, extra: ['Dresden Files #100'] });
      reads('Der Erbe des Universums (Perry Rhodan, Vol. 150)', { title: 'Der Erbe des Universums', series: { name: 'Perry Rhodan', position: '150' }, extra: ['Perry Rhodan, Vol. 150'] });
      reads('Der Erbe des Universums (Perry Rhodan Book 150)', { title: 'Der Erbe des Universums', series: { name: 'Perry Rhodan', position: '150' }, extra: ['Perry Rhodan Book 150'] });
    });
  });

  describe('bracketed series', () => {
    it('"(Series N)", "(Series, #3.5)", "(Series, Book Two)", "(Series, Vol. II)"', () => {
      reads('Leviathan Wakes (The Expanse 1)', { title: 'Leviathan Wakes', series: { name: 'The Expanse', position: '1' }, extra: ['The Expanse 1'] });
      reads('Skyward Flight (Skyward, #3.5)', { title: 'Skyward Flight', series: { name: 'Skyward', position: '3.5' }, extra: ['Skyward, #3.5'] });
      reads('Dune (Dune Chronicles, Book One)', { title: 'Dune', series: { name: 'Dune Chronicles', position: '1' }, extra: ['Dune Chronicles, Book One'] });
      reads('Orson Scott Card - Speaker for the Dead (Ender Quintet, Book Two)', {
        authors: ['Orson Scott Card'], title: 'Speaker for the Dead', series: { name: 'Ender Quintet', position: '2' }, extra: ['Ender Quintet, Book Two'],
      });
      reads('Michael J. Sullivan - Age of Swords (Legends of the First Empire, Vol. II)', {
        authors: ['Michael J. Sullivan'], title: 'Age of Swords', series: { name: 'Legends of the First Empire', position: '2' }, extra: ['Legends of the First Empire, Vol. II'],
      });
    });
    it('number words three to ten are positions', () => {
      const words = ['Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten'];
      words.forEach((w, i) => reads(`Oathbringer (The Stormlight Archive, Book ${w})`, {
        title: 'Oathbringer', series: { name: 'The Stormlight Archive', position: String(i + 3) }, extra: [`The Stormlight Archive, Book ${w}`],
      }));
    });
    it('a disc, part or "Book N" alone in brackets is no series; neither is a long bracket', () => {
      reads('The Hobbit [Disc 2]', { title: 'The Hobbit', extra: ['Disc 2'] });
      reads('The Expanse (Book 10)', { title: 'The Expanse', extra: ['Book 10'] });
      reads('Oathbringer [The Stormlight Archive Book Three Extended Edition 3]', { title: 'Oathbringer', extra: ['The Stormlight Archive Book Three Extended Edition 3'] });
    });
    it('the text before the bracket is the title even when another bracket sits between them', () => {
      reads('Cold Days (2012) (Dresden Files 14) - Jim Butcher', {
        authors: ['Jim Butcher'], title: 'Cold Days', series: { name: 'Dresden Files', position: '14' }, year: 2012, extra: ['Dresden Files 14'],
        otherReading: { authors: ['Cold Days'], title: 'Jim Butcher' },
      });
    });
    it('the bracket follows the title, so the part before it is not the author', () => {
      reads('Jim Butcher - Cold Days (Dresden Files 14) [2012] [M4B]', {
        authors: ['Jim Butcher'], title: 'Cold Days', series: { name: 'Dresden Files', position: '14' }, year: 2012, format: 'm4b', extra: ['Dresden Files 14'],
        otherReading: { authors: ['Cold Days'], title: 'Jim Butcher' },
      });
    });
  });

  describe('authors', () => {
    it('the indexer\'s author field wins and is taken out of the title, trimmed; its booktitle too', () => {
      reads('Dune - Frank Herbert', { authors: ['Frank Herbert'], authorFrom: 'indexer', title: 'Dune' }, { author: ' Frank Herbert ' });
      reads('Frank Herbert - Dune', { authors: ['Frank Herbert'], authorFrom: 'indexer', title: 'Dune' }, { author: 'Frank Herbert', booktitle: ' Dune ' });
      reads('Frank Herbert - Dune - Children of Dune', { authors: ['Frank Herbert'], authorFrom: 'indexer', title: 'Dune - Children of Dune' }, { author: 'Frank Herbert' });
    });
    it('the indexer\'s author for a title that does not name one; a series alone is then the title', () => {
      reads('Dune Messiah [Unabridged]', { authors: ['Frank Herbert'], authorFrom: 'indexer', title: 'Dune Messiah', unabridged: true }, { author: 'Frank Herbert' });
      reads('Brandon Sanderson - Mistborn, Book 1', { authors: ['Brandon Sanderson'], authorFrom: 'indexer', title: 'Mistborn' }, { author: 'Brandon Sanderson' });
    });
    it('an initial after a space marks the person ("James S. A. Corey")', () => {
      reads('Leviathan Wakes - James S. A. Corey', { authors: ['James S. A. Corey'], title: 'Leviathan Wakes', otherReading: { authors: ['Leviathan Wakes'], title: 'James S. A. Corey' } });
    });
    it('a one-word name is a person unless it is a plain capitalised word ("Hergé", not "Dune"); five words still make a name', () => {
      reads('Hergé - Tintin in Tibet', { authors: ['Hergé'], title: 'Tintin in Tibet' });
      reads('Pedro Calderón de la Barca - La vida es sueño', { authors: ['Pedro Calderón de la Barca'], title: 'La vida es sueño' });
    });
    it('"Pride and Prejudice" is no pair of names ("and" joins two single plain words)', () => {
      reads('Pride and Prejudice - Jane Austen', { authors: ['Jane Austen'], title: 'Pride and Prejudice' });
    });
    it('a pair of family names from the indexer stays two people', () => {
      reads('The Mote in God\'s Eye', { authors: ['Niven', 'Pournelle'], authorFrom: 'indexer', title: 'The Mote in God\'s Eye' }, { author: 'Niven & Pournelle' });
    });
    it('six capitalised words are a title ("Percy Jackson And The Lightning Thief"); a one-word name with a capital inside is a person ("McCarthy")', () => {
      reads('Percy Jackson And The Lightning Thief - Rick Riordan', { authors: ['Rick Riordan'], title: 'Percy Jackson And The Lightning Thief' });
      reads('McCarthy - The Road', { authors: ['McCarthy'], title: 'The Road' });
    });
    it('of two name-like ends, the one with an initial is the person; the other order is offered', () => {
      reads('Harry Potter - J.K. Rowling', { authors: ['J.K. Rowling'], title: 'Harry Potter', otherReading: { authors: ['Harry Potter'], title: 'J.K. Rowling' } });
      reads('J.K. Rowling - Harry Potter', { authors: ['J.K. Rowling'], title: 'Harry Potter', otherReading: { authors: ['Harry Potter'], title: 'J.K. Rowling' } });
    });
    it('no other reading when one end is no name, when there are three parts, or when the indexer names the book', () => {
      reads('Andy Weir - The Martian', { authors: ['Andy Weir'], title: 'The Martian' });
      reads('Andy Weir - Project Hail Mary - Ray Porter', { authors: ['Andy Weir'], title: 'Project Hail Mary' });
      reads('Andy Weir - Project Hail Mary', { authors: ['Andy Weir'], title: 'Project Hail Mary' }, { booktitle: 'Project Hail Mary' });
    });
    it('"Family, Given" is one person; "A; B" two; "Arkady & Boris Strugatsky" share the family name', () => {
      reads('Weir, Andy - The Martian', { authors: ['Andy Weir'], title: 'The Martian' });
      reads('Tolkien, J.R.R. - The Hobbit', { authors: ['J.R.R. Tolkien'], title: 'The Hobbit' });
      reads('Tolkien, J. R. R. - The Hobbit', { authors: ['J. R. R. Tolkien'], title: 'The Hobbit' });
      reads('Weir,Andy - The Martian', { authors: ['Andy Weir'], title: 'The Martian' });
      reads('Larry Niven; Jerry Pournelle - Footfall', { authors: ['Larry Niven', 'Jerry Pournelle'], title: 'Footfall' });
      reads('Larry Niven & Jerry Pournelle - Footfall', { authors: ['Larry Niven', 'Jerry Pournelle'], title: 'Footfall' });
      reads('Larry Niven and Jerry Pournelle - Footfall', { authors: ['Larry Niven', 'Jerry Pournelle'], title: 'Footfall' });
      reads('Larry Niven, Jerry Pournelle - Footfall', { authors: ['Larry Niven', 'Jerry Pournelle'], title: 'Footfall' });
      reads('Arkady & Boris Strugatsky - Roadside Picnic', {
        authors: ['Arkady Strugatsky', 'Boris Strugatsky'], title: 'Roadside Picnic', otherReading: { authors: ['Roadside Picnic'], title: 'Arkady & Boris Strugatsky' },
      });
    });
  });

  describe('scene names', () => {
    it('underscores and dashes: the tags after the title are read, the group goes', () => {
      reads('Brandon_Sanderson-The_Final_Empire-AUDIOBOOK-WEB-EN-2006-GROUP', { authors: ['Brandon Sanderson'], title: 'The Final Empire', year: 2006, language: 'english' });
      reads('Andy_Weir-The_Martian-(Ungekuerzt)-6CD-DE-2017-OMA', { authors: ['Andy Weir'], title: 'The Martian', year: 2017, unabridged: true, language: 'german' });
      reads('Andy_Weir-The_Martian-UNABRIDGED-64kbps-MP3-2014-GRP', { authors: ['Andy Weir'], title: 'The Martian', year: 2014, format: 'mp3', bitrateKbps: 64, unabridged: true });
    });
    it('dots: a group after dotted tags goes, a file extension is a format', () => {
      reads('The.Martian.2014.Unabridged.MP3.64kbps-ACE', { title: 'The Martian', year: 2014, format: 'mp3', bitrateKbps: 64, unabridged: true });
      reads('Andy.Weir.-.The.Martian.m4b', { authors: ['Andy Weir'], title: 'The Martian', format: 'm4b' });
    });
    it('dots: a file extension after a capital letter goes too ("IT.m4b")', () => {
      reads('Stephen.King.-.IT.m4b', { authors: ['Stephen King'], title: 'IT', format: 'm4b', otherReading: { authors: ['IT'], title: 'Stephen King' } });
    });
    it('dots: a group after a year or a format goes', () => {
      reads('The.Martian.2014-ACE', { title: 'The Martian', year: 2014 });
      reads('The.Martian.M4B-ACE', { title: 'The Martian', format: 'm4b' });
    });
    it('a one-word title needs no dot or underscore, but "Catch-22" is no scene name', () => {
      reads('Dune-AUDIOBOOK-WEB-EN-2019-GRP', { title: 'Dune', year: 2019, language: 'english' });
      reads('Catch-22', { title: 'Catch-22' });
    });
    it('a scene name with space around it from a feed', () => {
      reads(' Brandon_Sanderson-The_Final_Empire-AUDIOBOOK-WEB-EN-2006-GROUP\n', { authors: ['Brandon Sanderson'], title: 'The Final Empire', year: 2006, language: 'english' });
    });
    it('a title with spaces is no scene name; surrounding space goes', () => {
      reads('  Andy Weir - The Martian  ', { authors: ['Andy Weir'], title: 'The Martian' });
    });
  });

  describe('tags', () => {
    it('edition and language in brackets', () => {
      reads('Dune - Frank Herbert (Unabridged) [English Edition]', { authors: ['Frank Herbert'], title: 'Dune', unabridged: true, language: 'english' });
      reads('Dune - Frank Herbert [Deutsch Edition]', { authors: ['Frank Herbert'], title: 'Dune', language: 'german' });
      reads('Dune - Frank Herbert [ENG / M4B]', { authors: ['Frank Herbert'], title: 'Dune', format: 'm4b', language: 'english' });
    });
    it('a language named with an accent ("Español"), and a narrator named in brackets', () => {
      reads('La sombra del viento - Carlos Ruiz Zafón [Español]', { authors: ['Carlos Ruiz Zafón'], title: 'La sombra del viento', language: 'spanish' });
      reads('Dune - Frank Herbert [Narrated by Simon Vance]', { authors: ['Frank Herbert'], title: 'Dune', narrators: ['Simon Vance'] });
    });
    it('a lower-case two-letter word in brackets is no language code', () => {
      reads('Dune - Frank Herbert [it]', { authors: ['Frank Herbert'], title: 'Dune', extra: ['it'] });
    });
    it('a list in brackets: year, bitrate, format go, a name is kept', () => {
      reads('Dune - Frank Herbert [Simon Vance, 2005, 128 kbps, MP3]', { authors: ['Frank Herbert'], title: 'Dune', year: 2005, format: 'mp3', bitrateKbps: 128, extra: ['Simon Vance'] });
      reads('Dune - Frank Herbert [Audible Studios 2012]', { authors: ['Frank Herbert'], title: 'Dune', year: 2012, extra: ['Audible Studios'] });
    });
    it('a bracket of noise goes; a bracket with a word besides noise stays', () => {
      reads('Dune - Frank Herbert [Audiobook 6CD]', { authors: ['Frank Herbert'], title: 'Dune' });
      reads('Frank Herbert - Dune (Audiobook 2 CD)', { authors: ['Frank Herbert'], title: 'Dune', extra: ['Audiobook 2 CD'] });
    });
    it('year and format fields between dashes, a trailing year, a range of books', () => {
      reads('Dune - Frank Herbert - 2005 - M4B', { authors: ['Frank Herbert'], title: 'Dune', year: 2005, format: 'm4b' });
      reads('Andy Weir | The Martian | 2014', { authors: ['Andy Weir'], title: 'The Martian', year: 2014 });
      reads('Frank Herbert - Dune 1965', { authors: ['Frank Herbert'], title: 'Dune', year: 1965 });
      reads('Frank Herbert - Dune - Books 1-3', { authors: ['Frank Herbert'], title: 'Dune', extra: ['Books 1-3'] });
    });
    it('tags in fields at either end leave no separators behind', () => {
      reads('MP3 - 2014 - Andy Weir - The Martian', { authors: ['Andy Weir'], title: 'The Martian', year: 2014, format: 'mp3' });
      reads('Unabridged - MP3 - Andy Weir - The Martian', { authors: ['Andy Weir'], title: 'The Martian', format: 'mp3', unabridged: true });
      reads('Andy Weir - The Martian - 2014 - MP3 - 64kbps', { authors: ['Andy Weir'], title: 'The Martian', year: 2014, format: 'mp3', bitrateKbps: 64 });
      reads('Andy Weir - The Martian - MP3 - - 2014', { authors: ['Andy Weir'], title: 'The Martian', year: 2014, format: 'mp3' });
    });
    it('a narrator marked with its role, then a tag', () => {
      reads('Dune by Frank Herbert, Simon Vance (Narrator) MP3', { authors: ['Frank Herbert'], title: 'Dune', format: 'mp3', narrators: ['Simon Vance'] });
    });
    it('a year inside the title stays there; only a trailing one is the release\'s', () => {
      reads('Paris 1919 - Margaret MacMillan', { authors: ['Margaret MacMillan'], title: 'Paris 1919' });
    });
    it('a narrator field, and separators left dangling by removed tags', () => {
      reads('Dune - Frank Herbert - read by Simon Vance', { authors: ['Frank Herbert'], title: 'Dune', narrators: ['Simon Vance'] });
      reads('Andy Weir - - The Martian', { authors: ['Andy Weir'], title: 'The Martian' });
      reads('- Andy Weir - The Martian -', { authors: ['Andy Weir'], title: 'The Martian' });
    });
  });
});
