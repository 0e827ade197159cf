import { evaluateAsync, type Evaluation, type ParleyClassifier } from '../nlu/index.js';
import { loadData } from './data-source.js';
import { openModel } from './open-model.js';

/** The machine-readable result of `parley test --json`. */
export interface TestSummary {
  model: string;
  task: string;
  n: number;
  accuracy: number;
  macroF1: number;
  ece: number;
  inScopeAccuracy?: number;
  oosRecall?: number;
  /** Sentiment models: F1 of the `negative` label (what escalation relies on). */
  negativeF1?: number;
  perLabel: Evaluation['perLabel'];
  mostConfused: Evaluation['mostConfused'];
}

/**
 * Loads a model and scores it on the held-out part of `data` (an intents folder's tests,
 * a sentiment set's test split, or every row of a JSONL file).
 *
 * @example
 * const { summary } = await evaluateTestSet('intent', 'intents');
 * summary.accuracy // 0.87
 */
export async function evaluateTestSet(modelName: string, data: string, modelsDir = 'models'): Promise<{ model: ParleyClassifier; evaluation: Evaluation; summary: TestSummary }> {
  const model = await openModel(modelName, modelsDir);
  const { test } = await loadData(data, model.manifest.task);
  const labels = new Set(test.map((t) => t.label));
  // Binary sentiment data (negative/positive only) against a 3-way model: 'neutral' must pick a side.
  const binaryFromNeutral = model.manifest.task === 'sentiment' && !labels.has('neutral') && model.manifest.labels.includes('neutral');
  const evaluation = await evaluateAsync(model, test, { binaryFromNeutral });
  const summary: TestSummary = {
    model: model.manifest.version,
    task: model.manifest.task,
    n: evaluation.n,
    accuracy: evaluation.accuracy,
    macroF1: evaluation.macroF1,
    ece: evaluation.ece,
    ...(evaluation.inScopeAccuracy !== undefined ? { inScopeAccuracy: evaluation.inScopeAccuracy, oosRecall: evaluation.oosRecall } : {}),
    ...(model.manifest.task === 'sentiment' && evaluation.perLabel.negative ? { negativeF1: evaluation.perLabel.negative.f1 } : {}),
    perLabel: evaluation.perLabel,
    mostConfused: evaluation.mostConfused,
  };
  return { model, evaluation, summary };
}
