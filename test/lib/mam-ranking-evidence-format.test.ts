import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRow } from '../../lib/mam/rows';
import { mamRow, type FriendlyRow } from '../sim/mam-rows';

// Shape check of the issue-10 evidence set (test/fixtures/mam-ranking-evidence.json). It was
// labelled blind, before any ranking saw it; this file never runs the ranking, it only keeps the
// set honest: every label points at a row of its own case, every row is one MAM would send, the
// classes stay stratified, and seeders alone do not give the answers away.
const CLASSES = [
  'bundle-by-title', 'fragment', 'adaptation', 'absurd-size', 'author-variant',
  'translation-word', 'number-words', 'sub-series', 'plain', 'long-series',
] as const;
const OPTION_KEYS = ['allowOmnibus', 'allowAbridged', 'allowDramatised', 'allowTranslation', 'languages'];

interface EvidenceCase {
  name: string;
  class: string;
  why: string;
  gap: {
    authors: string[];
    title?: string;
    series?: string;
    sequence?: string;
    expectedDurationSec?: number;
    seriesBooks?: { title: string; sequence: string }[];
  };
  torrents: FriendlyRow[];
  expected: number | null;
  accept: number[];
  best: number | null;
  options?: Record<string, unknown>;
}

const file = join(__dirname, '..', 'fixtures', 'mam-ranking-evidence.json');
const doc = JSON.parse(readFileSync(file, 'utf8')) as { classes: string[]; cases: EvidenceCase[] };
const cases = doc.cases;
const isPositive = (c: EvidenceCase): boolean => c.expected !== null;

describe('mam-ranking-evidence.json: shape of the blind-labelled evidence set (no ranking run)', () => {
  it('has at least 320 cases, at least 25 per class, each class with right-torrent and none-right cases', () => {
    assert.ok(cases.length >= 320, `${cases.length} cases`);
    assert.deepEqual([...doc.classes].sort(), [...CLASSES].sort());
    for (const cls of CLASSES) {
      const of = cases.filter((c) => c.class === cls);
      assert.ok(of.length >= 25, `${cls}: ${of.length} cases`);
      assert.ok(of.filter(isPositive).length >= 10, `${cls}: too few cases with a right torrent`);
      assert.ok(of.filter((c) => !isPositive(c)).length >= 5, `${cls}: too few "none is right" cases`);
    }
    const unknown = cases.filter((c) => !(CLASSES as readonly string[]).includes(c.class)).map((c) => c.name);
    assert.deepEqual(unknown, []);
  });

  it('every case has a unique name, a one-line why, a gap that names a book, and rows', () => {
    const names = new Set<string>();
    for (const c of cases) {
      assert.ok(c.name && !names.has(c.name), `duplicate or empty name "${c.name}"`);
      names.add(c.name);
      assert.ok(typeof c.why === 'string' && c.why.trim().length >= 12 && !c.why.includes('\n'), `${c.name}: why`);
      assert.ok(Array.isArray(c.gap.authors) && c.gap.authors.length > 0, `${c.name}: gap authors`);
      assert.ok(c.gap.title || (c.gap.series && c.gap.sequence !== undefined), `${c.name}: gap has neither title nor series position`);
      if (c.gap.expectedDurationSec !== undefined) {
        assert.ok(Number.isInteger(c.gap.expectedDurationSec) && c.gap.expectedDurationSec > 0, `${c.name}: expectedDurationSec`);
      }
      for (const b of c.gap.seriesBooks ?? []) {
        assert.ok(typeof b.title === 'string' && b.title && typeof b.sequence === 'string', `${c.name}: seriesBooks entry`);
      }
      assert.ok(c.torrents.length > 0, `${c.name}: no rows`);
      for (const key of Object.keys(c.options ?? {})) assert.ok(OPTION_KEYS.includes(key), `${c.name}: option ${key}`);
    }
  });

  it('every label is an id of its own case (or null), accept holds the expected pick, best equals expected', () => {
    const seen = new Set<number>();
    for (const c of cases) {
      const ids = c.torrents.map((t) => t.id);
      for (const id of ids) {
        assert.ok(!seen.has(id), `${c.name}: torrent id ${id} used twice in the set`);
        seen.add(id);
      }
      if (c.expected === null) {
        assert.deepEqual(c.accept, [], `${c.name}: "none" case with accepted ids`);
      } else {
        assert.ok(ids.includes(c.expected), `${c.name}: expected ${c.expected} is not among its rows`);
        assert.ok(c.accept.includes(c.expected), `${c.name}: expected not in accept`);
      }
      for (const id of c.accept) assert.ok(ids.includes(id), `${c.name}: accepted ${id} is not among its rows`);
      assert.equal(c.best, c.expected, `${c.name}: best`);
    }
  });

  it('every row becomes a MAM row the real row parser reads', () => {
    for (const c of cases) {
      for (const t of c.torrents) {
        const parsed = parseRow(mamRow(t));
        assert.ok(!('reason' in parsed), `${c.name} #${t.id}: ${'reason' in parsed ? parsed.reason : ''}`);
        assert.ok(parsed.sizeBytes > 0, `${c.name} #${t.id}: size`);
      }
    }
  });

  it('seeders do not give the answers away: the right torrent is the most seeded in some cases, not all', () => {
    const multi = cases.filter((c) => isPositive(c) && c.torrents.length > 1);
    const top = multi.filter((c) => [...c.torrents].sort((a, b) => (b.seeders ?? 0) - (a.seeders ?? 0))[0].id === c.expected);
    const share = top.length / multi.length;
    assert.ok(share >= 0.25 && share <= 0.75, `right torrent is the most seeded in ${top.length} of ${multi.length}`);
  });
});
