/**
 * Sentiment training data: the YAML files of intents/sentiment/ (one label per file, with
 * `examples` to train on and held-out `tests`), or a JSONL file of {"text", "label"} rows.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { UserError } from '../cli/user-error.js';
import type { LabelledText } from '../nlu/types.js';
import { IntentsError } from './errors.js';
import { readJsonl } from './jsonl.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';

/** The three sentiment labels, in the order reports list them. */
export const SENTIMENT_LABELS = ['negative', 'neutral', 'positive'] as const;
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];

const Sentence = z.string().trim().min(1, 'an empty sentence');

/** One file of intents/sentiment/: `label`, `examples` (trained on), `tests` (held out). */
export const SentimentFile = z.strictObject({
  label: z.enum(SENTIMENT_LABELS),
  examples: z.array(Sentence).min(1, 'add at least one example sentence'),
  tests: z.array(Sentence).default([]),
});

export interface SentimentData {
  train: LabelledText[];
  test: LabelledText[];
}

/**
 * Loads sentiment data.
 * - A folder (e.g. `intents/sentiment`): every `*.yml` / `*.yaml` file in it; `examples`
 *   become `train`, `tests` become `test`. Several files may share a label.
 * - A `.jsonl` file: one {"text", "label"} row per line. A single file has no split of its
 *   own, so every row is returned as `train` and also as `test`: a training command uses
 *   `train`, an evaluation uses `test` (never both from the same file).
 * Throws a UserError naming the file and line for bad YAML, unknown labels, empty sentences,
 * a test that is also an example (it would leak into training) or one sentence with two labels.
 *
 * @example
 * const { train, test } = await loadSentimentData('intents/sentiment');
 * train.length // 2885
 */
export async function loadSentimentData(pathOrDir: string): Promise<SentimentData> {
  const info = await stat(pathOrDir).catch(() => undefined);
  if (!info) throw new UserError(`${pathOrDir}: not found; pass a sentiment folder (e.g. intents/sentiment) or a .jsonl file`);
  if (info.isFile()) {
    if (!/\.jsonl$/i.test(pathOrDir)) throw new UserError(`${pathOrDir}: expected a folder of sentiment .yml files or a .jsonl file`);
    const rows = await readJsonl(pathOrDir);
    checkJsonlLabels(pathOrDir, rows);
    return { train: rows, test: rows };
  }
  return loadFolder(pathOrDir);
}

async function loadFolder(dir: string): Promise<SentimentData> {
  const names = (await readdir(dir)).filter((f) => /\.ya?ml$/i.test(f)).sort();
  if (names.length === 0) throw new IntentsError('no .yml files: add negative.yml, neutral.yml and positive.yml (label, examples, tests)', dir, 0);
  const train: LabelledText[] = [];
  const test: LabelledText[] = [];
  // Where each sentence was first seen, to catch leaks and contradictions across files.
  const seen = new Map<string, { label: string; where: string; part: 'examples' | 'tests' }>();
  for (const base of names) {
    const file = path.join(dir, base);
    const source = parseYamlSource(file, await readFile(file, 'utf8'));
    const data = validate(file, source);
    for (const part of ['examples', 'tests'] as const) {
      data[part].forEach((text, i) => {
        const key = text.replace(/\s+/g, ' ').trim();
        const line = source.lineOf([part, i]);
        const first = seen.get(key);
        if (first && first.label !== data.label) {
          throw new IntentsError(`"${text}" is also labelled ${first.label} in ${first.where}: keep it under one label`, file, line);
        }
        if (first && first.part !== part) {
          throw new IntentsError(`"${text}" is both an example and a test (see ${first.where}): held-out tests must never be trained on, remove one`, file, line);
        }
        if (!first) seen.set(key, { label: data.label, where: `${file} line ${line}`, part });
        (part === 'examples' ? train : test).push({ text, label: data.label });
      });
    }
  }
  return { train, test };
}

function validate(file: string, source: YamlSource): z.infer<typeof SentimentFile> {
  const parsed = SentimentFile.safeParse(source.value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.path.map(String).join('.') || '(file)';
  const hint = issue.code === 'invalid_value' ? `label must be one of ${SENTIMENT_LABELS.join(', ')}` : issue.message;
  throw new IntentsError(`${where}: ${hint}`, file, source.lineOf(issue.path as Array<string | number>));
}

function checkJsonlLabels(file: string, rows: LabelledText[]): void {
  const allowed = new Set<string>(SENTIMENT_LABELS);
  const bad = rows.findIndex((r) => !allowed.has(r.label));
  if (bad >= 0) {
    // readJsonl skips blank lines, so the row index is only the line number without them.
    throw new UserError(`${file}: row ${bad + 1}: label "${rows[bad].label}" is not a sentiment label; use one of ${SENTIMENT_LABELS.join(', ')}`);
  }
}
