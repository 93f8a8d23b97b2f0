// Missing files are not owned (issue 12), with the ABS simulator: items flagged isMissing /
// isInvalid are left out of Book[] with one warning, kept on request, and the gaps they leave
// say "files missing in Audiobookshelf". The same against the real server: abs-real-library.
import assert from 'node:assert/strict';
import { AbsClient } from '../../lib/abs/client';
import { readLibrary } from '../../lib/abs/library-reader';
import { MISSING_REASON, explainMissing, missingBook } from '../../lib/abs/missing';
import { findGaps } from '../../lib/gaps/find';
import { startAbsSim, type AbsSim } from '../sim/abs-sim';

describe('lib/abs missing files', () => {
  let sim: AbsSim;
  let client: AbsClient;
  let libraryId: string;
  beforeEach(async () => {
    sim = await startAbsSim();
    client = new AbsClient({ baseUrl: sim.url, token: sim.token, retries: 0 });
    libraryId = sim.libraryIds.generated;
    for (const n of [1, 2, 3, 4]) sim.addItem({ title: `Moon ${n}`, authors: ['Jane Doe'], series: [{ name: 'Moon', sequence: String(n) }], path: `/generated/Jane Doe/Moon ${n}` }, { libraryId });
    sim.addItem({ title: 'Lone', authors: ['John Roe'], path: '/generated/John Roe/Lone' }, { libraryId });
  });
  afterEach(async () => { await client.close(); await sim.close(); });
  const flag = (title: string, key: 'isMissing' | 'isInvalid') => { sim.state.items.find((i) => i.media.metadata.title === title)![key] = true; };

  it('leaves flagged books out of Book[] by default, with one warning naming each', async () => {
    flag('Moon 3', 'isMissing');
    flag('Lone', 'isInvalid');
    const r = await readLibrary(client, { libraryIds: [libraryId] });
    assert.deepEqual(r.books.map((b) => b.title).sort(), ['Moon 1', 'Moon 2', 'Moon 4']);
    assert.deepEqual(r.missing.map((m) => [m.book.title, m.flag]).sort(), [['Lone', 'invalid'], ['Moon 3', 'missing']]);
    assert.equal(r.warnings.length, 1);
    assert.match(r.warnings[0], /^left out 2 books whose files are missing in Audiobookshelf/);
    assert.match(r.warnings[0], /"Moon 3" \(\/generated\/Jane Doe\/Moon 3\)/);
    assert.match(r.warnings[0], /"Lone" \(\/generated\/John Roe\/Lone, invalid\)/);
  });

  it('keeps them when asked (counted as owned), and says so once', async () => {
    flag('Moon 3', 'isMissing');
    const r = await readLibrary(client, { libraryIds: [libraryId], keepMissing: true });
    assert.deepEqual(r.books.map((b) => b.title).sort(), ['Lone', 'Moon 1', 'Moon 2', 'Moon 3', 'Moon 4']);
    assert.equal(r.missing.length, 1);
    assert.deepEqual(r.warnings.map((w) => w.slice(0, 12)), ['kept 1 book ']);
  });

  it('no flagged item: no warning, nothing missing', async () => {
    const r = await readLibrary(client, { libraryIds: [libraryId] });
    assert.equal(r.books.length, 5);
    assert.deepEqual([r.missing, r.warnings], [[], []]);
  });

  it('a flagged item too broken to be a book is still left out and named, not a read error', async () => {
    const broken = sim.state.items.find((i) => i.media.metadata.title === 'Moon 2')!;
    broken.isInvalid = true;
    delete broken.media.metadata.authors;
    const r = await readLibrary(client, { libraryIds: [libraryId] });
    assert.equal(r.books.length, 4);
    assert.deepEqual(r.missing.map((m) => [m.book.title, m.book.authors]), [['Moon 2', []]]);
  });

  it('the hole a missing book leaves comes back with the reason "files missing in Audiobookshelf"', async () => {
    flag('Moon 3', 'isMissing');
    const r = await readLibrary(client, { libraryIds: [libraryId] });
    const { gaps } = await findGaps(r.books, []);
    assert.deepEqual(gaps.map((g) => [g.series, g.sequence]), [['Moon', '3']]);
    assert.equal(explainMissing(gaps, r.missing), 1);
    assert.equal(gaps[0].reason, MISSING_REASON);
    assert.match(gaps[0].reasons?.[0] ?? '', /"Moon 3" is flagged missing by Audiobookshelf/);
    assert.match(gaps[0].reasons?.[1] ?? '', /^hole in the owned sequence/, 'the analysis\' reason is kept');
  });

  it('explains only the gaps a missing book would fill', () => {
    const base = { kind: 'series' as const, status: 'wanted' as const, authors: ['Jane Doe'], series: 'Moon', source: 'library', reason: 'hole' };
    const omnibus = missingBook({ id: 'o', libraryId: 'l', mediaType: 'book', path: '/o', addedAt: 1, isMissing: true, media: { metadata: { title: 'Moon 5-6', authors: [{ name: 'Jane Doe' }], narrators: [], series: [{ name: 'The Moon Series', sequence: '5-6' }] } } })!;
    const gaps = [
      { ...base, key: 'a', sequence: '6' }, // inside the omnibus' range, series spelled differently
      { ...base, key: 'b', sequence: '7' }, // another position
      { ...base, key: 'c', sequence: '5', authors: ['Someone Else'] }, // another author's "Moon"
      { ...base, key: 'd', kind: 'author' as const, series: undefined, sequence: undefined, title: 'Moon 5-6' }, // same title + author
    ];
    assert.equal(explainMissing(gaps, [omnibus, { not: 'a missing book' }]), 2);
    assert.deepEqual(gaps.map((g) => g.reason === MISSING_REASON), [true, false, false, true]);
    assert.equal(missingBook({ id: 'p', isMissing: false }), undefined, 'not flagged');
  });
});
