// Rules that the rest of the suite let through when they were deleted from the code (issue 11,
// point 6). Each test below turns red when its rule is removed; docs/mutation.md names them.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyse } from '../../lib/gaps/analyse';
import { persistGaps, type FindResult } from '../../lib/gaps/find';
import { isFree, rankTorrents } from '../../lib/mam/rank';
import type { MamTorrent } from '../../lib/mam/rows';
import type { AuthorOutcome, ProviderBook, SeriesOutcome } from '../../lib/metadata/provider';
import { WantedStore } from '../../lib/store/wanted';
import type { Book, Gap } from '../../lib/types';

const GiB = 1024 ** 3;
const corey = ['James S. A. Corey'];
let n = 0;
const book = (title: string, authors: string[], series: [string, string][] = []): Book => ({
  id: `b${++n}`, libraryId: 'lib', title, authors, narrators: [], series: series.map(([name, sequence]) => ({ name, sequence })), path: `/b/${n}`, addedAt: 0,
});
const pb = (sequence: string, title: string, extra: Partial<ProviderBook> = {}): ProviderBook => ({ sequence, title, authors: corey, ...extra });
const ID = 'expanse|james sa corey';
const listed = (books: ProviderBook[]) => new Map<string, SeriesOutcome[]>([[ID, [{ provider: 'audible', status: 'found', series: { provider: 'audible', seriesId: 'S', name: 'The Expanse', books } }]]]);
const owned = [book('Leviathan Wakes', corey, [['The Expanse', '1']]), book("Abaddon's Gate", corey, [['The Expanse', '3']])];

const gap = (p: Partial<Gap> = {}): Gap => ({ key: 'series:expanse|james sa corey#2', kind: 'series', status: 'wanted', title: "Caliban's War", authors: corey, series: 'The Expanse', sequence: '2', source: 'library', reason: 'test', ...p });
let id = 1;
const tor = (p: Partial<MamTorrent> = {}): MamTorrent => ({
  id: id++, title: "Caliban's War", authors: corey, narrators: ['Jefferson Mays'], series: [{ name: 'The Expanse', position: '2' }],
  filetype: 'm4b', sizeBytes: GiB, seeders: 20, leechers: 0, added: '2020-01-01T00:00:00.000Z', freeleech: false, vip: false, personalFreeleech: false,
  language: 'ENG', category: 'Audiobooks - Science Fiction', mainCat: 13, mySnatched: false, flVip: false, tags: '', ...p,
});

describe('rules guarded: series-gaps', () => {
  it('a compilation is never a gap, even one listed at a single position or in an author\'s back-catalogue', () => {
    const r = analyse(owned, {}, listed([pb('2', "Caliban's War"), pb('4', 'The Expanse Box Set', { compilation: true })]));
    assert.deepEqual(r.gaps.map((g) => g.sequence), ['2']);
    const authors: AuthorOutcome[] = [{ provider: 'audible', author: corey[0], books: [pb('', 'Memory\'s Legion Collection', { compilation: true }), pb('', 'Strange Dogs')] }];
    assert.deepEqual(analyse(owned, {}, new Map(), authors).gaps.filter((g) => g.kind === 'author').map((g) => g.title), ['Strange Dogs']);
  });

  it('a title match needs the author: the same title by another writer does not make a book owned', () => {
    const library = [...owned, book("Caliban's War", ['Somebody Else'])];
    const r = analyse(library, {}, listed([pb('2', "Caliban's War")]));
    assert.deepEqual(r.gaps.map((g) => [g.sequence, g.title]), [['2', "Caliban's War"]]);
    const mine = analyse([...owned, book("Caliban's War", corey)], {}, listed([pb('2', "Caliban's War")]));
    assert.deepEqual(mine.gaps, [], 'by the same author it is owned');
  });

  it('author gaps are kept (not resolved) when their provider failed this run, resolved when it answered', async () => {
    const store = await WantedStore.open(mkdtempSync(join(tmpdir(), 'abg-rules-')));
    const authorGap: Gap = { key: 'asin:B0STRANGE1', kind: 'author', status: 'wanted', title: 'Strange Dogs', authors: corey, asin: 'B0STRANGE1', source: 'audible', reason: 'back-catalogue' };
    const result = (gaps: Gap[], failedProviders: string[]): FindResult => ({ gaps, series: [], warnings: [], requests: {}, failedProviders });
    await persistGaps(store, result([authorGap], []));
    const down = await persistGaps(store, result([], ['audible']));
    assert.deepEqual(down.kept.map((g) => g.key), ['asin:B0STRANGE1']);
    assert.equal(down.resolved, 0);
    assert.equal((await store.get('asin:B0STRANGE1'))?.state, 'wanted');
    assert.equal((await persistGaps(store, result([], ['hardcover']))).resolved, 1, 'another provider failing says nothing about it');
    assert.equal((await store.get('asin:B0STRANGE1'))?.state, 'resolved');
  });

  it('a provider failure carries over only the run\'s own scope: another library\'s gap is not adopted', async () => {
    const store = await WantedStore.open(mkdtempSync(join(tmpdir(), 'abg-rules-')));
    const authorGap: Gap = { key: 'asin:B0STRANGE1', kind: 'author', status: 'wanted', title: 'Strange Dogs', authors: corey, asin: 'B0STRANGE1', source: 'audible', reason: 'back-catalogue' };
    const result = (gaps: Gap[], failedProviders: string[]): FindResult => ({ gaps, series: [], warnings: [], requests: {}, failedProviders });
    await persistGaps(store, result([authorGap], []), new Date(), 'library:a');
    const b = await persistGaps(store, result([], ['audible']), new Date(), 'library:b');
    assert.deepEqual(b.kept, []);
    assert.deepEqual((await store.get('asin:B0STRANGE1'))?.scopes, ['library:a']);
  });
});

describe('rules guarded: ranking', () => {
  it('fl_vip is free only for VIP users', () => {
    const vipOnly = tor({ flVip: true });
    assert.equal(isFree(vipOnly, false), false);
    assert.equal(isFree(vipOnly, true), true);
    assert.match(rankTorrents(gap(), [vipOnly], { freeleechPolicy: 'only', userIsVip: false }).rejected[0]?.reasons.join(';') ?? '', /not freeleech or VIP/);
    assert.equal(rankTorrents(gap(), [vipOnly], { freeleechPolicy: 'only', userIsVip: true }).accepted.length, 1);
  });

  it('"prefer" weighs freeleech double: a free mp3 then beats a paid m4b that wins under "any"', () => {
    const paid = tor({ filetype: 'm4b', seeders: 100 });
    const free = tor({ filetype: 'mp3', seeders: 1, freeleech: true });
    assert.equal(rankTorrents(gap(), [paid, free], { freeleechPolicy: 'any' }).accepted[0].torrent, paid);
    const prefer = rankTorrents(gap(), [paid, free], { freeleechPolicy: 'prefer' }).accepted;
    assert.equal(prefer[0].torrent, free);
    const any = rankTorrents(gap(), [free], { freeleechPolicy: 'any' }).accepted[0].score;
    assert.equal(Math.round(prefer[0].score - any), 20, 'the freeleech weight (20) counted once more');
  });

  it('the single book comes before an omnibus that holds it, even a better-scored one', () => {
    const box = tor({ title: 'The Expanse Books 1-3', series: [{ name: 'The Expanse', position: '1-3' }], seeders: 200, freeleech: true });
    const single = tor({ filetype: 'mp3', seeders: 1 });
    const r = rankTorrents(gap(), [box, single], { allowOmnibus: true });
    assert.deepEqual(r.accepted.map((a) => a.torrent), [single, box]);
    assert.ok(r.accepted[1].score > r.accepted[0].score, 'the omnibus scores higher: only the rule puts it second');
  });

  it('a title match needs an author on both sides', () => {
    assert.match(rankTorrents(gap({ authors: [] }), [tor()]).rejected[0]?.reasons.join(';') ?? '', /names no author/);
    assert.match(rankTorrents(gap(), [tor({ authors: [] })]).rejected[0]?.reasons.join(';') ?? '', /lists no author/);
    assert.match(rankTorrents(gap(), [tor({ authors: ['Daniel Abraham Smith'] })]).rejected[0]?.reasons.join(';') ?? '', /author Daniel Abraham Smith is not/);
  });
});
