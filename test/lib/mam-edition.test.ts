// Is this edition the one wanted (lib/mam/edition.ts): abridged or not, an adaptation's markers,
// the edition's language as a language.
import assert from 'node:assert/strict';
import { judgeEdition, type EditionOptions } from '../../lib/mam/edition';
import type { MamTorrent } from '../../lib/mam/rows';

const strict: EditionOptions = { allowAbridged: false, allowDramatised: false, allowTranslation: false, languages: ['ENG'] };
const tor = (p: Partial<MamTorrent>) => ({ title: 'Dune', tags: '', narrators: ['Scott Brick'], language: 'ENG', ...p }) as MamTorrent;

describe('lib/mam edition: abridged', () => {
  it('"abridged" in the title or tags, unless the title says unabridged', () => {
    for (const p of [{ title: 'Dune (Abridged)' }, { tags: 'abridged, sci-fi' }]) {
      const v = judgeEdition('Dune', tor(p), strict);
      assert.equal(v.abridged, true, JSON.stringify(p));
      assert.deepEqual(v.no, ['abridged edition (not allowed)']);
    }
    for (const p of [{ title: 'Dune (Unabridged)' }, { tags: 'unabridged' }, { title: 'Dune [Unabridged]', tags: 'abridged' }, { title: 'Dune', tags: 'abridgedness' }]) {
      const v = judgeEdition('Dune', tor(p), strict);
      assert.deepEqual([v.abridged, v.no], [false, []], JSON.stringify(p));
    }
  });

  it('allowed, it is still said to be abridged but not refused', () => {
    const v = judgeEdition('Dune', tor({ title: 'Dune (Abridged)' }), { ...strict, allowAbridged: true });
    assert.deepEqual([v.abridged, v.no], [true, []]);
  });
});

describe('lib/mam edition: language', () => {
  it('the title\'s language against the wanted ones, as languages ("GER" is German)', () => {
    const german = judgeEdition('Dune', tor({ title: 'Dune (German Edition)' }), strict);
    assert.equal(german.language, 'german');
    assert.equal(german.no.length, 1);
    assert.match(german.no[0], /another-language edition or translation \(not allowed\): the title says "German Edition" \(german\), not ENG/);
    assert.deepEqual(judgeEdition('Dune', tor({ title: 'Dune (German Edition)' }), { ...strict, languages: ['ENG', 'GER'] }).no, []);
    assert.match(judgeEdition('Dune', tor({ title: 'Dune (French Edition)' }), { ...strict, languages: ['ENG', 'GER'] }).no[0], /not ENG\/GER/);
    assert.deepEqual(judgeEdition('Dune', tor({ title: 'Dune (German Edition)' }), { ...strict, allowTranslation: true }).no, []);
  });

  it('without a language in the title, MAM\'s lang_code gives it; with neither, none', () => {
    assert.equal(judgeEdition('Dune', tor({ language: 'GER' }), strict).language, 'german');
    assert.deepEqual(judgeEdition('Dune', tor({ language: 'GER' }), strict).no, [], 'lang_code is judged by rank.ts, not here');
    assert.equal('language' in judgeEdition('Dune', tor({ language: '' }), strict), false);
  });
});

describe('lib/mam edition: adaptation markers', () => {
  it('passes the markers and whether they only say "a cast reads it"', () => {
    const cast = judgeEdition('Dune', tor({ title: 'Dune (Full Cast)' }), strict);
    assert.deepEqual([cast.adaptation, cast.castOnly, cast.no], [['title says "Full Cast"'], true, []]);
    const drama = judgeEdition('Dune', tor({ title: 'Dune', tags: 'BBC Radio 4 drama' }), strict);
    assert.deepEqual([drama.adaptation, drama.castOnly], [['tags says "BBC Radio"'], false]);
  });
});
