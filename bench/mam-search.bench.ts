// `npm run bench mam-search`: the ranking against the labelled sets in test/fixtures/ (the
// generated mam-ranking-cases.json, the hand-written mam-ranking-handmade.json and the blind
// evidence set mam-ranking-evidence.json), next to the seed's naive ranking (0.5 × title
// similarity + 0.5 × min(seeders/100, 1)) on the same cases, with a confusion table per class.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rankTorrents, type RankOptions } from '../lib/mam/rank';
import { parseRow } from '../lib/mam/rows';
import type { MamTorrent } from '../lib/mam/rows';
import { tokens } from '../lib/mam/title-match';
import type { Gap } from '../lib/types';
import { mamRow, type FriendlyRow } from '../test/sim/mam-sim';

export interface Case {
  name: string;
  /** The set's stratum ("bundle-by-title", "fragment", …); sets without one are "all". */
  class?: string;
  /** Why the label is what it is (written before the ranking ran on it). */
  why?: string;
  gap: Pick<Gap, 'authors' | 'series' | 'sequence' | 'title' | 'expectedDurationSec' | 'expectedDurationFrom' | 'seriesBooks'>;
  torrents: (FriendlyRow & { series?: [string, string][] })[];
  accept: number[];
  best: number | null;
  options?: Partial<RankOptions>;
}

export interface Score { cases: number; correct: number; best: number; wrong: number; correctNone: number; missed: number; wrongCases: string[] }

const fixture = (file: string) => join(__dirname, '..', 'test', 'fixtures', file);

/** The generated set by default; `mam-ranking-handmade.json` is the hand-written, independent one. */
export function loadCases(file = 'mam-ranking-cases.json'): Case[] {
  return (JSON.parse(readFileSync(fixture(file), 'utf8')) as { cases: Case[] }).cases;
}

export const SETS = [
  ['generated set', 'mam-ranking-cases.json'],
  ['hand-written set', 'mam-ranking-handmade.json'],
  ['blind evidence set', 'mam-ranking-evidence.json'],
] as const;

export const setExists = (file: string) => existsSync(fixture(file));

export interface ClassRow { cls: string; cases: number; rightPick: number; rightNone: number; wrongPick: number; miss: number; right: number; wrongCases: string[]; missCases: string[] }

/** Per class: right pick, right none, WRONG PICK (a pick outside accept, or any pick where none is right), miss. */
export function confusion(cases: Case[], pick: (c: Case) => number | null = ourPick): ClassRow[] {
  const rows = new Map<string, ClassRow>();
  for (const c of cases) {
    const cls = c.class ?? 'all';
    const row = rows.get(cls) ?? { cls, cases: 0, rightPick: 0, rightNone: 0, wrongPick: 0, miss: 0, right: 0, wrongCases: [], missCases: [] };
    rows.set(cls, row);
    row.cases++;
    const got = pick(c);
    if (got === null && !c.accept.length) row.rightNone++;
    else if (got === null) { row.miss++; row.missCases.push(c.name); }
    else if (c.accept.includes(got)) row.rightPick++;
    else { row.wrongPick++; row.wrongCases.push(c.name); }
    row.right = (row.rightPick + row.rightNone) / row.cases;
  }
  return [...rows.values()].sort((a, b) => a.cls.localeCompare(b.cls));
}

export function printConfusion(rows: ClassRow[]): void {
  const pad = (v: string | number, n: number) => String(v).padStart(n);
  console.log(`    ${'class'.padEnd(18)} ${pad('cases', 5)} ${pad('right pick', 10)} ${pad('right none', 10)} ${pad('WRONG PICK', 10)} ${pad('miss', 5)} ${pad('right %', 7)}`);
  const total: ClassRow = { cls: 'total', cases: 0, rightPick: 0, rightNone: 0, wrongPick: 0, miss: 0, right: 0, wrongCases: [], missCases: [] };
  for (const r of [...rows, total]) {
    if (r !== total) for (const k of ['cases', 'rightPick', 'rightNone', 'wrongPick', 'miss'] as const) total[k] += r[k];
    const right = r.cases ? (100 * (r.rightPick + r.rightNone)) / r.cases : 0;
    console.log(`    ${r.cls.padEnd(18)} ${pad(r.cases, 5)} ${pad(r.rightPick, 10)} ${pad(r.rightNone, 10)} ${pad(r.wrongPick, 10)} ${pad(r.miss, 5)} ${pad(right.toFixed(1), 7)}`);
  }
  for (const r of rows) {
    for (const name of r.wrongCases.slice(0, 5)) console.log(`      WRONG [${r.cls}] ${name}`);
    for (const name of r.missCases.slice(0, 5)) console.log(`      miss  [${r.cls}] ${name}`);
  }
}

/** Torrents go through the real row parser, exactly as the simulator would send them. */
function torrentsOf(c: Case): MamTorrent[] {
  return c.torrents.map((f) => parseRow(mamRow(f))).filter((t): t is MamTorrent => !('reason' in t));
}

function gapOf(c: Case): Gap {
  return { key: c.name, kind: 'series', status: 'wanted', source: 'bench', reason: 'bench', ...c.gap };
}

export function ourPick(c: Case): number | null {
  return rankTorrents(gapOf(c), torrentsOf(c), c.options).accepted[0]?.torrent.id ?? null;
}

export function naivePick(c: Case): number | null {
  const want = tokens(c.gap.title ?? `${c.gap.series ?? ''} ${c.gap.sequence ?? ''}`);
  let best: { id: number; score: number } | null = null;
  for (const t of torrentsOf(c)) {
    const have = tokens(t.title);
    const common = want.filter((w) => have.includes(w)).length;
    const similarity = want.length + have.length ? (2 * common) / (want.length + have.length) : 0;
    const score = 0.5 * similarity + 0.5 * Math.min(t.seeders / 100, 1);
    if (!best || score > best.score) best = { id: t.id, score };
  }
  return best?.id ?? null;
}

export function evaluate(cases: Case[], pick: (c: Case) => number | null): Score {
  const s: Score = { cases: cases.length, correct: 0, best: 0, wrong: 0, correctNone: 0, missed: 0, wrongCases: [] };
  for (const c of cases) {
    const got = pick(c);
    if (got === null) {
      if (c.accept.length) s.missed++;
      else s.correctNone++;
    } else if (c.accept.includes(got)) {
      s.correct++;
      if (got === c.best) s.best++;
    } else {
      s.wrong++;
      s.wrongCases.push(c.name);
    }
  }
  return s;
}

if (require.main === module) {
  for (const [set, file] of SETS) {
    if (!setExists(file)) { console.log(`\n${set} (test/fixtures/${file}): not present`); continue; }
    const cases = loadCases(file);
    const expectSome = cases.filter((c) => c.accept.length).length;
    console.log(`\n${set} (test/fixtures/${file}): ${cases.length} cases (${expectSome} with a right torrent, ${cases.length - expectSome} where "none" is right)`);
    for (const [label, pick] of [['ranking (lib/mam/rank.ts)', ourPick], ['naive seed ranking', naivePick]] as const) {
      const started = process.hrtime.bigint();
      const s = evaluate(cases, pick);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      console.log(`  ${label}: correct picks ${s.correct} (best by preference ${s.best}), wrong picks ${s.wrong}, correct "none" ${s.correctNone}, missed ${s.missed}  [${ms.toFixed(1)} ms]`);
      if (s.wrongCases.length) console.log(`    wrong: ${s.wrongCases.slice(0, 8).join(' | ')}${s.wrongCases.length > 8 ? ' …' : ''}`);
    }
    console.log('  confusion per class (lib/mam/rank.ts):');
    printConfusion(confusion(cases));
  }
}
