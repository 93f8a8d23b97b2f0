// The fault matrix table: every row test records what happened, and one root `after` hook
// prints the table when the run ends (FAULT_MATRIX_FILE=path also writes it as Markdown).
import { writeFileSync } from 'node:fs';

export interface MatrixRow {
  row: string;
  service: string;
  /** The download client the row's pipeline ran against ("-" for rows that use none or say so in `service`). */
  client?: string;
  outcome: string;
  error: string;
  rerun: string;
}

const rows: MatrixRow[] = [];
let registered = false;

export function record(row: MatrixRow): void {
  rows.push({ ...row, error: row.error.replace(/\s+/g, ' ').replace(/\|/g, '/') });
}

function table(): string {
  const head = ['row', 'service', 'client', 'outcome', 'error text', 're-run result'];
  const lines = [head, ...rows.map((r) => [r.row, r.service, r.client ?? '-', r.outcome, r.error.length > 110 ? `${r.error.slice(0, 109)}…` : r.error, r.rerun])];
  return lines.map((l, i) => `| ${l.join(' | ')} |${i === 0 ? `\n|${head.map(() => '---').join('|')}|` : ''}`).join('\n');
}

/** Registers the printing hook once, on mocha's root suite (call at a test file's top level). */
export function printMatrixAtEnd(): void {
  if (registered) return;
  registered = true;
  after(function () {
    if (!rows.length) return;
    const text = `\nFault matrix (${rows.length} rows)\n${table()}\n`;
    console.log(text);
    if (process.env.FAULT_MATRIX_FILE) writeFileSync(process.env.FAULT_MATRIX_FILE, text);
  });
}
