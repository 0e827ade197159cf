import { existsSync } from 'node:fs';
import path from 'node:path';
import { readCurrent } from '../nlu/index.js';
import { trainModel } from '../training/train-model.js';
import type { Task } from '../nlu/types.js';

/**
 * Makes sure `modelsDir` has a current intent and sentiment model, training the missing
 * ones from `intentsDir` (intents, and intents/sentiment). A fresh clone can then start
 * with `npm start` and no separate training step. Returns the tasks it trained.
 */
export async function ensureModels(modelsDir: string, intentsDir: string, log: (msg: string) => void = () => {}): Promise<Task[]> {
  const current = await readCurrent(modelsDir);
  const trained: Task[] = [];
  for (const task of ['intent', 'sentiment'] as const) {
    const version = current[task];
    if (version && existsSync(path.join(modelsDir, version, 'manifest.json'))) continue;
    log(`no current ${task} model in ${modelsDir}: training one from ${task === 'intent' ? intentsDir : path.join(intentsDir, 'sentiment')}`);
    const { model } = await trainModel({ task, modelsDir, data: task === 'intent' ? intentsDir : path.join(intentsDir, 'sentiment') });
    log(`trained ${model.manifest.version}`);
    trained.push(task);
  }
  return trained;
}
