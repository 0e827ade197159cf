import { stat } from 'node:fs/promises';
import { UserError } from '../cli/user-error.js';
import type { LabelledText, Task } from '../nlu/types.js';
import { loadIntents, toTrainingData } from './intents.js';
import { readJsonl } from './jsonl.js';

/** Labelled data from one source: what to train on and what to evaluate on. */
export interface DataSplit {
  train: LabelledText[];
  /** Held-out rows (an intents folder's `tests`); for a JSONL file, every row. */
  test: LabelledText[];
  kind: 'intents' | 'jsonl' | 'sentiment';
}

type SentimentLoader = (pathOrDir: string) => Promise<{ train: LabelledText[]; test: LabelledText[] }>;

/**
 * Loads training/evaluation data from an intents folder, a `.jsonl` file, or (task
 * `sentiment`) whatever the sentiment loader accepts.
 *
 * @example
 * await loadData('intents', 'intent')              // { train: examples, test: tests, kind: 'intents' }
 * await loadData('data/extra.jsonl', 'intent')     // { train: rows, test: rows, kind: 'jsonl' }
 */
export async function loadData(pathOrDir: string, task: Task): Promise<DataSplit> {
  if (/\.jsonl$/i.test(pathOrDir)) {
    const rows = await readJsonl(pathOrDir);
    return { train: rows, test: rows, kind: 'jsonl' };
  }
  if (task === 'sentiment') {
    // Loaded lazily: only sentiment training needs the sentiment data module.
    const mod = (await import('./sentiment-data.js')) as { loadSentimentData: SentimentLoader };
    const { train, test } = await mod.loadSentimentData(pathOrDir);
    return { train, test, kind: 'sentiment' };
  }
  const info = await stat(pathOrDir).catch(() => undefined);
  if (!info) throw new UserError(`${pathOrDir}: not found; pass an intents folder or a .jsonl file`);
  if (!info.isDirectory()) throw new UserError(`${pathOrDir}: expected an intents folder or a .jsonl file`);
  return { ...toTrainingData(await loadIntents(pathOrDir)), kind: 'intents' };
}
