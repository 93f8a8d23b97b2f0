// "Title - Author" (AudioBookBay's order) where both ends look like names: the parser keeps its
// usual "Author - Title" guess and offers the other reading; the ranking takes the other one
// only when it, and not the parser's, names the book's author, and the title must still match.
import { strict as assert } from 'node:assert';
import { parseReleaseTitle } from '../../lib/indexer/title-parse';
import { rankReleases, readingFor, toIndexerTorrent } from '../../lib/indexer/rank';
import type { Gap } from '../../lib/types';

const MiB = 1024 * 1024;
const gap = (title: string, authors: string[]): Gap => ({ key: `author:${authors[0]}|${title}`, kind: 'author', status: 'wanted', title, authors, source: 'library', reason: 'missing', expectedDurationSec: 16 * 3600 });
const release = (title: string) => toIndexerTorrent({ guid: title, title, indexer: 'AudioBookBay', sizeBytes: 700 * MiB, seeders: 40, categories: [3030], freeleech: false, published: '', hasFile: true }, 'cfg-1', 'ENG');
const HAIL = gap('Project Hail Mary', ['Andy Weir']);

describe('indexer releases: the other reading of "A - B"', () => {
  it('the parser offers the other order only when both ends look like names', () => {
    assert.deepEqual(parseReleaseTitle('Project Hail Mary - Andy Weir').otherReading, { authors: ['Andy Weir'], title: 'Project Hail Mary' });
    assert.deepEqual(parseReleaseTitle('Andy Weir - Project Hail Mary').otherReading, { authors: ['Project Hail Mary'], title: 'Andy Weir' });
    assert.equal(parseReleaseTitle('Andy Weir - The Martian').otherReading, undefined, '"The Martian" is no name');
    assert.equal(parseReleaseTitle('Brandon Sanderson - Mistborn 01 - The Final Empire').otherReading, undefined);
    assert.equal(parseReleaseTitle('Project Hail Mary - Andy Weir', { booktitle: 'Project Hail Mary' }).otherReading, undefined, 'the indexer said which is the title');
  });

  it('"Project Hail Mary - Andy Weir" is found for the book, and the reasons say how it was read', () => {
    const r = rankReleases(HAIL, [release('Project Hail Mary - Andy Weir [m4b]')], {}, 'ENG');
    assert.equal(r.accepted.length, 1, JSON.stringify(r.rejected.map((x) => x.reasons)));
    assert.ok(r.accepted[0].reasons.some((x) => /read from the release title \(Andy Weir, as "Title - Author": both ends look like names\)/.test(x)), r.accepted[0].reasons.join('; '));
    assert.deepEqual(r.accepted[0].torrent.authors, ['Andy Weir']);
  });

  it('the other reading is not taken when the parser\'s already names the author, nor when neither does, and the title still has to match', () => {
    const usual = release('Andy Weir - Project Hail Mary [m4b]');
    assert.equal(readingFor(usual, HAIL), usual);
    assert.equal(rankReleases(HAIL, [usual], {}, 'ENG').accepted.length, 1);
    const other = release('Golden Son - Pierce Brown [m4b]');
    assert.equal(readingFor(other, HAIL), other, 'Pierce Brown is not the book\'s author');
    assert.equal(rankReleases(gap('The Martian', ['Andy Weir']), [release('Project Hail Mary - Andy Weir [m4b]')], {}, 'ENG').accepted.length, 0, 'right author, other book');
  });
});
