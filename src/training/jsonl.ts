import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UserError } from '../cli/user-error.js';
import type { LabelledText } from '../nlu/types.js';
import { JsonlError } from './errors.js';

const Row = z.object({ text: z.string().trim().min(1), label: z.string().trim().min(1) });

/**
 * Reads a JSONL file of `{"text": ..., "label": ...}` rows (blank lines are skipped; other
 * keys are ignored). A bad row fails with `<file>: bad JSONL line N: <reason>`.
 *
 * @example
 * await readJsonl('test/fixtures/small.jsonl') // [{ text: 'hi', label: 'greeting' }, ...]
 */
export async function readJsonl(file: string): Promise<LabelledText[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `${file}: file not found` : `${file}: cannot read (${code ?? String(error)})`);
  }
  return parseJsonl(file, text);
}

/** The pure part of readJsonl, for text already in memory. */
export function parseJsonl(file: string, text: string): LabelledText[] {
  const rows: LabelledText[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new JsonlError(file, i + 1, `not valid JSON (${(error as Error).message})`);
    }
    const row = Row.safeParse(value);
    if (!row.success) {
      const issue = row.error.issues[0];
      const key = issue.path.length ? String(issue.path[0]) : 'row';
      throw new JsonlError(file, i + 1, `expected {"text": "...", "label": "..."} with non-empty strings; "${key}" is wrong`);
    }
    rows.push({ text: row.data.text, label: row.data.label });
  });
  if (rows.length === 0) throw new UserError(`${file}: no rows; expected one {"text", "label"} object per line`);
  return rows;
}
