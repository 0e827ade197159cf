import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type Cell = string | number | undefined | null;

/** Formats a number with `digits` decimals; '-' for missing values. */
export function fmt(value: Cell, digits = 1): string {
  if (value === undefined || value === null || (typeof value === 'number' && !Number.isFinite(value))) return '-';
  return typeof value === 'number' ? value.toFixed(digits) : value;
}

/** A plain-text table with right-aligned numeric columns, for benchmark output. */
export function renderTable(headers: string[], rows: Cell[][]): string {
  const text = rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c, 2) : fmt(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...text.map(line)].join('\n');
}

/** Writes a JSON result file, creating its folder. */
export function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
