import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/lib/../..). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Folder of the public benchmark data sets: $PARLEY_BENCH_DATA or ../shared/data beside the repo. */
export function dataDir(): string {
  return process.env.PARLEY_BENCH_DATA ?? resolve(repoRoot, '../shared/data');
}

export interface Labelled { text: string; label: string }

/** Reads `<dataDir>/<set>/<split>.jsonl` ({"text","label"} per line); undefined when the file is absent. */
export function loadSplit(set: string, split: 'train' | 'valid' | 'test'): Labelled[] | undefined {
  const file = join(dataDir(), set, `${split}.jsonl`);
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((line, i) => {
    const row = JSON.parse(line) as Partial<Labelled>;
    if (typeof row.text !== 'string' || typeof row.label !== 'string') throw new Error(`${file}:${i + 1}: expected {"text","label"}`);
    return { text: row.text, label: row.label };
  });
}

/** Like `loadSplit` but fails with a message naming the missing file. */
export function requireSplit(set: string, split: 'train' | 'valid' | 'test'): Labelled[] {
  const rows = loadSplit(set, split);
  if (!rows) throw new Error(`missing ${join(dataDir(), set, `${split}.jsonl`)} (set PARLEY_BENCH_DATA)`);
  return rows;
}
