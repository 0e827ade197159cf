import type { LabelledText, Prediction, TextClassifier } from './types.js';
import { expectedCalibrationError, type ReliabilityBin } from './calibration.js';
import { FALLBACK_LABEL, OOS_LABEL } from './predictor.js';

export interface LabelScores { precision: number; recall: number; f1: number; support: number }

export interface Evaluation {
  n: number;
  accuracy: number;
  macroF1: number;
  perLabel: Record<string, LabelScores>;
  /** Non-zero cells of the confusion matrix (true label, predicted label, count). */
  confusion: Array<{ label: string; predicted: string; count: number }>;
  /** The off-diagonal cells, largest first (at most 10). */
  mostConfused: Array<{ label: string; predicted: string; count: number }>;
  ece: number;
  reliability: ReliabilityBin[];
  misclassified: Array<{ text: string; label: string; predicted: string; confidence: number }>;
  /** Share of examples whose top label (ignoring the threshold) is the true label. */
  topAccuracy: number;
  /** Only when the data has 'oos' examples: top-label accuracy on the others, ignoring the threshold. */
  inScopeTopAccuracy?: number;
  /** Only when the data has 'oos' examples: accuracy on the others (a fallback is wrong). */
  inScopeAccuracy?: number;
  /** Only when the data has 'oos' examples: share of them predicted as fallback. */
  oosRecall?: number;
}

export interface EvaluateOptions {
  /**
   * For sentiment data labelled only negative/positive: a 'neutral' prediction counts as
   * whichever of negative/positive the model finds more probable.
   */
  binaryFromNeutral?: boolean;
}

/**
 * Scores a model on labelled data. A prediction is its `label` (so 'fallback' when below the
 * threshold); an 'oos' example is right when it falls back. Calibration (ECE) is measured on
 * the top label's confidence against "top is the true label".
 *
 * @example evaluate(model, testSet).accuracy // 0.93
 */
export function evaluate(model: TextClassifier, data: LabelledText[], options: EvaluateOptions = {}): Evaluation {
  return evaluatePredictions(data, data.map((e) => model.predict(e.text, { topK: model.manifest.labels.length })), options);
}

/** Same as `evaluate` for a model whose featurizers are asynchronous (encoder). */
export async function evaluateAsync(model: TextClassifier, data: LabelledText[], options: EvaluateOptions = {}): Promise<Evaluation> {
  const predictions: Prediction[] = [];
  for (const e of data) predictions.push(await model.predictAsync(e.text, { topK: model.manifest.labels.length }));
  return evaluatePredictions(data, predictions, options);
}

/** The pure part of `evaluate`: metrics of given predictions. */
export function evaluatePredictions(data: LabelledText[], predictions: Prediction[], { binaryFromNeutral = false }: EvaluateOptions = {}): Evaluation {
  const cells = new Map<string, number>();
  const labelSet = new Set<string>();
  const misclassified: Evaluation['misclassified'] = [];
  const confidences: number[] = [];
  const topRight: boolean[] = [];
  let correct = 0;
  let inScope = 0, inScopeRight = 0, inScopeTop = 0, oos = 0, oosCaught = 0;
  data.forEach((e, i) => {
    const p = predictions[i];
    let predicted = p.label === FALLBACK_LABEL && e.label === OOS_LABEL ? OOS_LABEL : p.label;
    let top = p.top;
    if (binaryFromNeutral && top === 'neutral') {
      const conf = (l: string) => p.ranking.find((r) => r.label === l)?.confidence ?? 0;
      top = conf('positive') >= conf('negative') ? 'positive' : 'negative';
      if (predicted === 'neutral') predicted = top;
    }
    labelSet.add(e.label);
    labelSet.add(predicted);
    const key = `${e.label}\u0000${predicted}`;
    cells.set(key, (cells.get(key) ?? 0) + 1);
    const right = predicted === e.label;
    if (right) correct++;
    else misclassified.push({ text: e.text, label: e.label, predicted, confidence: p.confidence });
    confidences.push(p.confidence);
    topRight.push(top === e.label);
    if (e.label === OOS_LABEL) { oos++; if (p.fallback) oosCaught++; } else { inScope++; if (right) inScopeRight++; if (top === e.label) inScopeTop++; }
  });
  const confusion = [...cells].map(([k, count]) => {
    const [label, predicted] = k.split('\u0000');
    return { label, predicted, count };
  }).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  const perLabel: Record<string, LabelScores> = {};
  const goldLabels = [...new Set(data.map((e) => e.label))].sort();
  for (const label of goldLabels) {
    let tp = 0, fp = 0, fn = 0;
    for (const c of confusion) {
      if (c.label === label && c.predicted === label) tp += c.count;
      else if (c.predicted === label) fp += c.count;
      else if (c.label === label) fn += c.count;
    }
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const recall = tp + fn ? tp / (tp + fn) : 0;
    perLabel[label] = { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support: tp + fn };
  }
  const f1s = goldLabels.map((l) => perLabel[l].f1);
  const calibration = expectedCalibrationError(confidences, topRight);
  const result: Evaluation = {
    n: data.length,
    accuracy: data.length ? correct / data.length : 0,
    macroF1: f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : 0,
    perLabel,
    confusion,
    mostConfused: confusion.filter((c) => c.label !== c.predicted).slice(0, 10),
    topAccuracy: data.length ? topRight.filter(Boolean).length / data.length : 0,
    ece: calibration.ece,
    reliability: calibration.bins,
    misclassified,
  };
  if (oos > 0) {
    result.inScopeAccuracy = inScope ? inScopeRight / inScope : 0;
    result.inScopeTopAccuracy = inScope ? inScopeTop / inScope : 0;
    result.oosRecall = oosCaught / oos;
  }
  return result;
}

/**
 * Sentiment score of a prediction: p(positive) - p(negative), in [-1, 1] (labels absent from
 * the ranking count as 0, so ask for every label with `topK`).
 *
 * @example sentimentScore(model.predict('thanks, great help', { topK: 3 })) // 0.87
 */
export function sentimentScore(prediction: Prediction): number {
  const conf = (l: string) => prediction.ranking.find((r) => r.label === l)?.confidence ?? 0;
  return conf('positive') - conf('negative');
}
