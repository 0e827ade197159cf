import path from 'node:path';
import { evaluateAsync, trainClassifier, writeCurrent, type Evaluation, type TrainedClassifier, type TrainOptions } from '../nlu/index.js';
import { sentimentRecipe } from '../sentiment/recipe.js';
import type { ModelManifest, Task } from '../nlu/types.js';
import { loadData, type DataSplit } from './data-source.js';

/** Featurizers per task; sentiment's come from its one recipe (lexicon and word vectors too). */
export const FEATURIZERS: Record<Task, Array<{ kind: string; settings?: Record<string, unknown> }>> = {
  intent: [{ kind: 'ngrams' }],
  sentiment: sentimentRecipe().featurizers ?? [],
};

/**
 * Share of the training examples held out for early stopping, calibration and the fallback
 * threshold (the model is then refit on all of them). With ~30 examples per intent, 10% left
 * 3 per intent and a fallback threshold that swung between 0 and 0.8 with the seed; 30% gives
 * a stable threshold and better calibration on the demo intents.
 */
export const VALIDATION_SPLIT: Partial<Record<Task, number>> = { intent: 0.3 };

/**
 * How every path that trains a task (CLI, retraining job) trains it, so a retrained model is
 * built the way the shipped one was. `like`: a model whose transformers.js encoder (if it has
 * one) the new model keeps, so retraining an encoder model does not silently drop it.
 * Callers may still override the seed and the like.
 */
export function recipeFor(task: Task, like?: Pick<ModelManifest, 'featurizers'>): TrainOptions {
  const validationSplit = VALIDATION_SPLIT[task];
  const base: TrainOptions = task === 'sentiment' ? sentimentRecipe() : { task, featurizers: FEATURIZERS[task], ...(validationSplit !== undefined ? { validationSplit } : {}) };
  const encoder = like?.featurizers.find((f) => f.kind === 'encoder');
  return encoder ? withEncoder(base, encoder.settings) : base;
}

/** Which pretrained encoder to add to a recipe (see docs/featurizers.md, "encoder"). */
export interface EncoderChoice {
  /** A model id under `localPath` (e.g. 'Xenova/all-MiniLM-L6-v2') or an absolute folder. */
  model: string;
  localPath?: string;
  /** Download from the Hugging Face hub when the folder is missing (needs network). */
  allowRemote?: boolean;
  [setting: string]: unknown;
}

/** The recipe with a transformers.js sentence encoder next to its other featurizers (one at most). */
export function withEncoder(recipe: TrainOptions, encoder: EncoderChoice | Record<string, unknown>): TrainOptions {
  const featurizers = (recipe.featurizers ?? []).filter((f) => f.kind !== 'encoder');
  return { ...recipe, featurizers: [...featurizers, { kind: 'encoder', settings: { ...encoder } }] };
}

export interface TrainModelOptions {
  /** Intents folder, .jsonl file, or sentiment data; default 'intents' (task intent). */
  data?: string;
  /** Model folder to write; default `<modelsDir>/<version>`, which also becomes current. */
  out?: string;
  task?: Task;
  seed?: number;
  modelsDir?: string;
  /** Add a pretrained transformers.js sentence encoder to the task's featurizers. */
  encoder?: EncoderChoice;
  onEpochEnd?: (report: { epoch: number; epochs: number; loss: number; validationAccuracy: number }) => void;
}

export interface TrainModelResult {
  model: TrainedClassifier;
  dir: string;
  data: DataSplit;
  /** Held-out metrics (only when the data has tests separate from the training rows). */
  heldOut?: Evaluation;
  madeCurrent: boolean;
}

/**
 * `parley train` without the terminal: loads data, trains, evaluates on the held-out tests,
 * records those metrics in the manifest (as test*), saves, and points current.json at the
 * new version unless an explicit `out` folder was given.
 *
 * @example
 * const { dir, heldOut } = await trainModel({ data: 'intents' });
 * // dir: 'models/intent-20261128-121500-ab12cd', heldOut.accuracy: 0.9
 */
export async function trainModel(options: TrainModelOptions = {}): Promise<TrainModelResult> {
  const task = options.task ?? 'intent';
  const modelsDir = options.modelsDir ?? 'models';
  const data = await loadData(options.data ?? (task === 'intent' ? 'intents' : path.join('intents', 'sentiment')), task);
  const recipe = options.encoder ? withEncoder(recipeFor(task), options.encoder) : recipeFor(task);
  const model = await trainClassifier(data.train, {
    ...recipe,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    onEpochEnd: options.onEpochEnd,
  });
  // JSONL rows are both train and test: scoring the model on them would not be held out.
  const heldOut = data.kind !== 'jsonl' && data.test.length > 0 ? await evaluateAsync(model, data.test) : undefined;
  if (heldOut) Object.assign(model.manifest.metrics, testMetrics(heldOut));
  const dir = options.out ?? path.join(modelsDir, model.manifest.version);
  await model.save(dir);
  const madeCurrent = options.out === undefined;
  if (madeCurrent) await writeCurrent(modelsDir, task, model.manifest.version);
  return { model, dir, data, heldOut, madeCurrent };
}

/** The held-out numbers worth keeping in the manifest, prefixed `test`. */
export function testMetrics(e: { n: number; accuracy: number; macroF1: number; ece: number; inScopeAccuracy?: number; oosRecall?: number }): Record<string, number> {
  const m: Record<string, number> = { testExamples: e.n, testAccuracy: e.accuracy, testMacroF1: e.macroF1, testEce: e.ece };
  if (e.inScopeAccuracy !== undefined) m.testInScopeAccuracy = e.inScopeAccuracy;
  if (e.oosRecall !== undefined) m.testOosRecall = e.oosRecall;
  return m;
}
