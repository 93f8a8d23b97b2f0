// The project's ONE parser for series sequences ("1", "01", "1.5", "1-3", "Book 2", "#2",
// "2a", "II", "1, 2", …). Every node that compares positions goes through here, so the same
// string always means the same books. Garbage is reported as 'invalid', never read as 0:
// a wrong position would make the pipeline download the wrong book.
import { romanValue } from './numbers';

export type SequenceKind = 'number' | 'range' | 'list' | 'none' | 'invalid';

export interface ParsedSequence {
  raw: string;
  kind: SequenceKind;
  /** every position covered, ascending: "1-3" → [1,2,3]; "1.5" → [1.5]; "2a" → [2] */
  positions: number[];
  /** first position, when any */
  primary?: number;
  fractional: boolean;
  /** "2a" → "a" */
  suffix?: string;
}

/** Longest range we believe is an omnibus; "1-2000" is a typo or a year, not 2000 books. */
const MAX_RANGE = 50;
const MAX_ROMAN = 100;
const NUMBER = String.raw`\d+(?:\.\d+)?`;
const RANGE_RE = new RegExp(String.raw`^(${NUMBER})\s*(?:-|–|—|to|thru|through)\s*(${NUMBER})$`, 'i');
const COMMA_PAIR_RE = /^(\d+),(\d+)$/;
const NUMBER_RE = new RegExp(String.raw`^(${NUMBER})([a-z])?$`, 'i');
const PREFIX_RE = /^(?:book|bk|vol(?:ume)?|no|number|part|episode|ep|#)\.?\s*#?\s*/i;
const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

export function parseSequence(raw: string | number | null | undefined): ParsedSequence {
  if (raw === null || raw === undefined) return none('');
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < 0) return invalid(String(raw));
    return single(String(raw), raw);
  }
  const text = raw.trim();
  if (text === '') return none(raw);
  const pair = COMMA_PAIR_RE.exec(text);
  if (pair) return commaPair(raw, Number(pair[1]), Number(pair[2]), text);
  // Lists: "1, 2", "1 & 2", "1-3, 5".
  if (/[,&;+]|\band\b/i.test(text)) return parseList(raw, text);
  const one = parseAtom(text);
  if (!one) return invalid(raw);
  return { ...one, raw };
}

/**
 * "a,b" without a space is a decimal comma ("10,5" = 10.5) or two books ("1,2" = books 1 and
 * 2). A list is written in ascending order, so b <= a can only be a decimal. Two consecutive
 * whole numbers are the way a two-book omnibus is tagged ("1,2", "10,11"): a list (read as
 * 1.2 it would open a false gap at 2). Any other b > a ("1,5": book 1.5, or books 1 and 5?)
 * cannot be told apart and is reported, never guessed.
 */
function commaPair(raw: string, a: number, b: number, text: string): ParsedSequence {
  if (b <= a) return { ...atom(toNumber(text)), raw };
  if (b === a + 1) return { raw, kind: 'list', positions: [a, b], primary: a, fractional: false };
  return invalid(raw);
}

function parseList(raw: string, text: string): ParsedSequence {
  const parts = text.split(/\s*(?:,|&|;|\+|\band\b)\s*/i).filter((p) => p !== '');
  const positions = new Set<number>();
  for (const part of parts) {
    const atom = parseAtom(part);
    if (!atom) return invalid(raw);
    atom.positions.forEach((p) => positions.add(p));
  }
  if (positions.size === 0) return invalid(raw);
  const sorted = [...positions].sort((a, b) => a - b);
  return { raw, kind: 'list', positions: sorted, primary: sorted[0], fractional: sorted.some((p) => !Number.isInteger(p)) };
}

function parseAtom(input: string): Omit<ParsedSequence, 'raw'> | null {
  const text = input.replace(PREFIX_RE, '').trim();
  if (text === '') return null;
  const range = RANGE_RE.exec(text);
  if (range) {
    const from = toNumber(range[1]);
    const to = toNumber(range[2]);
    if (to < from || to - from > MAX_RANGE) return null;
    if (to === from) return atom(from);
    return { kind: 'range', positions: expandRange(from, to), primary: from, fractional: !Number.isInteger(from) || !Number.isInteger(to) };
  }
  const num = NUMBER_RE.exec(text);
  if (num) return atom(toNumber(num[1]), num[2]?.toLowerCase());
  // Capped so that words made of roman letters ("mix" = 1009) are not read as positions; a lone
  // "C" or "L" is a letter (companions A, B, C), not book 100 or 50 opening a run of false holes.
  const roman = /^[lcdm]$/i.test(text) ? undefined : romanValue(text);
  if (roman !== undefined) return roman <= MAX_ROMAN ? atom(roman) : null;
  const word = WORDS.indexOf(text.toLowerCase());
  if (word >= 0) return atom(word);
  return null;
}

function atom(n: number, suffix?: string): Omit<ParsedSequence, 'raw'> {
  return { kind: 'number', positions: [n], primary: n, fractional: !Number.isInteger(n), ...(suffix ? { suffix } : {}) };
}

function single(raw: string, n: number): ParsedSequence {
  return { raw, ...atom(n) };
}

function none(raw: string): ParsedSequence {
  return { raw, kind: 'none', positions: [], fractional: false };
}

function invalid(raw: string): ParsedSequence {
  return { raw, kind: 'invalid', positions: [], fractional: false };
}

function toNumber(text: string): number {
  return Number(text.replace(',', '.'));
}

/** "1-3" → 1,2,3; "1.5-3" → 1.5,2,3 (the whole numbers inside plus both ends). */
function expandRange(from: number, to: number): number[] {
  // Added in ascending order: the Set keeps it.
  const out = new Set<number>([from]);
  for (let n = Math.ceil(from); n <= to; n++) out.add(n);
  out.add(to);
  return [...out];
}

/** 1 → "1", 1.5 → "1.5", 2.25 → "2.25" (no float noise such as 0.30000000000000004). */
export function formatSequence(n: number): string {
  return String(Number(n.toFixed(4)));
}

/**
 * True when the two sequences share a book. Two single entries with different letter
 * suffixes ("2a" and "2b") are different books even though both sit at position 2.
 */
export function sequencesOverlap(a: ParsedSequence, b: ParsedSequence): boolean {
  if (a.kind === 'number' && b.kind === 'number' && (a.suffix ?? '') !== (b.suffix ?? '')) return false;
  const set = new Set(a.positions);
  return b.positions.some((p) => set.has(p));
}

/** The position key of a single entry: "3", "1.5", "2a". */
export function positionKey(seq: ParsedSequence): string | undefined {
  if (seq.primary === undefined || seq.kind !== 'number') return undefined;
  return `${formatSequence(seq.primary)}${seq.suffix ?? ''}`;
}
