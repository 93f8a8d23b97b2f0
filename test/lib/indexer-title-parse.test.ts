import { strict as assert } from 'node:assert';
import { parseReleaseTitle } from '../../lib/indexer/title-parse';
import { FIELDS, loadTitles, scoreTitles } from './indexer-title-accuracy';

describe('indexer release-title parser', () => {
  it('reads the labelled set of indexer titles: at least 90 % of titles entirely right, every field at least 90 %', () => {
    const s = scoreTitles();
    assert.ok(s.n >= 80, `the labelled set has ${s.n} titles`);
    console.log(`      title parser: ${(s.whole * 100).toFixed(1)} % of ${s.n} titles entirely right; ${FIELDS.map((f) => `${f} ${(s.fields[f] * 100).toFixed(0)} %`).join(', ')}`);
    assert.ok(s.whole >= 0.9, `only ${(s.whole * 100).toFixed(1)} % right; misses: ${JSON.stringify(s.misses.slice(0, 5))}`);
    for (const f of FIELDS) assert.ok(s.fields[f] >= 0.9, `${f}: ${(s.fields[f] * 100).toFixed(1)} %`);
  });

  it('labels say only what the titles say (no case has a series without a position, or an author for a title without one)', () => {
    for (const c of loadTitles()) {
      if (c.series) assert.match(c.series.position, /^\d+(\.\d+)?$/, c.raw);
      for (const a of c.authors ?? []) assert.ok(c.raw.replace(/[._]/g, ' ').includes(a.split(' ').pop()!) || c.attrs?.author?.includes(a), `${a} is not in "${c.raw}"`);
    }
  });

  it('a surname ending in i is not a roman series position', () => {
    const p = parseReleaseTitle('Andrzej Sapkowski - The Witcher 01 - Blood of Elves');
    assert.deepEqual(p.authors, ['Andrzej Sapkowski']);
    assert.deepEqual(p.series, { name: 'The Witcher', position: '1' });
  });

  it('a number that is part of the title is not a series position ("Catch-22", "Fahrenheit 451")', () => {
    assert.equal(parseReleaseTitle('Fahrenheit 451 by Ray Bradbury').series, undefined);
    assert.equal(parseReleaseTitle('Catch-22 by Joseph Heller').title, 'Catch-22');
  });

  it('says where the author came from: the indexer, the title, or nowhere', () => {
    assert.equal(parseReleaseTitle('Dune [m4b]').authorFrom, 'none');
    assert.deepEqual(parseReleaseTitle('Dune [m4b]').authors, []);
    assert.equal(parseReleaseTitle('Dune by Frank Herbert').authorFrom, 'title');
    assert.equal(parseReleaseTitle('Dune', { author: 'Frank Herbert' }).authorFrom, 'indexer');
  });

  it('a title starting with an article is the title, not the author ("The Final Empire - Brandon Sanderson")', () => {
    const p = parseReleaseTitle('The Final Empire - Brandon Sanderson');
    assert.deepEqual([p.authors, p.title], [['Brandon Sanderson'], 'The Final Empire']);
  });
});
