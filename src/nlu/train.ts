import { createHash } from 'node:crypto';
import type { LabelledText, ModelManifest, SparseVector, Task } from './types.js';
import { createFeaturizer } from './featurizers/registry.js';
import { CompositeFeaturizer } from './featurizers/composite.js';
import { SoftmaxTrainer, type EpochReport } from './classifier/trainer.js';
import { parseOptions } from './classifier/options.js';
import { softmax } from './classifier/math.js';
import { chooseThreshold, expectedCalibrationError, fitTemperature, type HeldOutPoint } from './calibration.js';
import { ParleyClassifier, OOS_LABEL } from './predictor.js';
import { stratifiedSplit } from './split.js';
import { TrainOptionsSchema } from './train-options.js';
import { versionName } from './model/current.js';
import { FORMAT_VERSION } from './model/errors.js';

export interface TrainOptions {
  task: Task;
  featurizers?: Array<{ kind: string; settings?: Record<string, unknown> }>;
  epochs?: number;
  learningRate?: number;
  l2?: number;
  batchSize?: number;
  seed?: number;
  validationSplit?: number;
  validation?: LabelledText[];
  patience?: number;
  optimizer?: 'adam' | 'sgd';
  calibration?: LabelledText[];
  ambiguityMargin?: number;
  fallbackPercentile?: number;
  oosWeight?: number;
  refit?: boolean;
  parent?: string;
  feedbackIncluded?: number;
  onEpochEnd?: (report: EpochReport) => void | Promise<void>;
  signal?: AbortSignal;
}

/** A freshly trained model; `save(dir)` writes its folder. */
export type TrainedClassifier = ParleyClassifier;

/**
 * Trains a text classifier: featurize, softmax regression with early stopping on held-out
 * data, temperature scaling, fallback threshold. Deterministic for a given seed.
 *
 * @example
 * const model = await trainClassifier(examples, { task: 'intent', onEpochEnd: (r) => console.log(r) });
 * model.predict('i want my money back').label // 'return_refund'
 * await model.save('models/' + model.manifest.version);
 */
export async function trainClassifier(examples: LabelledText[], options: TrainOptions): Promise<TrainedClassifier> {
  const started = performance.now();
  const { onEpochEnd, signal, ...rest } = options;
  const opts = parseOptions(TrainOptionsSchema, rest);
  if (examples.length === 0) throw new Error('no training examples');
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (labels.length < 2) throw new Error(`need at least two labels to train a classifier, got ${labels.length} (${labels.join(', ')})`);
  const labelIndex = new Map(labels.map((l, i) => [l, i]));
  const seed = opts.seed ?? 1;

  const split = opts.validation
    ? { train: examples, validation: opts.validation }
    : opts.validationSplit > 0 ? stratifiedSplit(examples, opts.validationSplit, seed) : { train: examples, validation: [] };
  const heldOutExtra = opts.calibration ?? [];
  for (const e of [...split.validation, ...heldOutExtra]) {
    if (!labelIndex.has(e.label)) throw new Error(`held-out example label '${e.label}' does not occur in the training examples ("${e.text.slice(0, 60)}")`);
  }

  const blocks = [];
  const kindsSeen = new Map<string, number>();
  for (const spec of opts.featurizers) {
    const n = kindsSeen.get(spec.kind) ?? 0;
    kindsSeen.set(spec.kind, n + 1);
    // Distinct ids so several blocks of one kind save distinct state files.
    const settings = { ...(n > 0 && spec.settings?.id === undefined ? { id: `${spec.kind}-${n}` } : {}), ...spec.settings };
    blocks.push(await createFeaturizer({ kind: spec.kind, settings }));
  }
  const features = new CompositeFeaturizer(blocks);
  await features.fit(split.train.map((e) => e.text));
  await features.prepare([...examples, ...split.validation, ...heldOutExtra].map((e) => e.text));
  const encode = (list: LabelledText[]) => ({
    x: list.map((e) => features.transform(e.text)) as SparseVector[],
    y: Int32Array.from(list, (e) => labelIndex.get(e.label)!),
  });

  const trainerOptions = {
    epochs: opts.epochs, learningRate: opts.learningRate, l2: opts.l2, batchSize: opts.batchSize,
    seed, optimizer: opts.optimizer, patience: opts.patience,
  };
  const train = encode(split.train);
  const validation = encode(split.validation);
  const first = await new SoftmaxTrainer().fit(
    { dim: features.dim, labels: labels.length, ...train, validation },
    { ...trainerOptions, onEpochEnd, signal },
  );

  // Calibrate and pick the threshold on data the model did not train on.
  const heldOut = [...split.validation, ...heldOutExtra];
  const heldX = [...validation.x, ...encode(heldOutExtra).x];
  const heldY = Int32Array.from(heldOut, (e) => labelIndex.get(e.label)!);
  const heldLogits = heldX.map((x) => first.model.scores(x));
  const temperature = fitTemperature(heldLogits, heldY);
  const calib = calibrate(heldLogits, heldY, labels, temperature, opts.fallbackPercentile, opts.oosWeight);

  let { model, bestEpoch } = { model: first.model, bestEpoch: first.bestEpoch };
  const refit = opts.refit ?? (!opts.validation && split.validation.length > 0);
  if (refit && split.validation.length > 0) {
    const all = encode([...split.train, ...split.validation]);
    const second = await new SoftmaxTrainer().fit(
      { dim: features.dim, labels: labels.length, ...all },
      { ...trainerOptions, epochs: Math.max(1, first.bestEpoch), signal },
    );
    model = second.model;
  }

  const dataHash = hashData(examples);
  const createdAt = new Date();
  const manifest: ModelManifest = {
    formatVersion: FORMAT_VERSION,
    version: versionName(opts.task, createdAt, dataHash),
    task: opts.task,
    labels,
    featurizers: blocks.map((b) => ({ kind: b.kind, settings: b.settings() })),
    classifier: {
      type: 'softmax-regression', ...first.options, bestEpoch, refit,
      thresholdMethod: calib.method, rows: model.rows,
    },
    temperature,
    fallbackThreshold: calib.threshold,
    ambiguityMargin: opts.ambiguityMargin,
    dataHash,
    trainingExamples: examples.length,
    metrics: { ...calib.metrics, heldOutExamples: heldOut.length, trainingSeconds: (performance.now() - started) / 1000 },
    curve: first.curve,
    createdAt: createdAt.toISOString(),
    ...(opts.parent ? { parent: opts.parent } : {}),
    ...(opts.feedbackIncluded !== undefined ? { feedbackIncluded: opts.feedbackIncluded } : {}),
  };
  return new ParleyClassifier(manifest, features, model);
}

/** Temperature-scaled held-out metrics and the fallback threshold. */
function calibrate(logits: Float64Array[], y: Int32Array, labels: string[], temperature: number, percentile: number, oosWeight: number) {
  if (logits.length === 0) return { threshold: 0, method: 'none' as const, metrics: {} as Record<string, number> };
  const before: number[] = [];
  const after: number[] = [];
  const correct: boolean[] = [];
  const points: HeldOutPoint[] = [];
  for (let i = 0; i < logits.length; i++) {
    const raw = softmax(Float64Array.from(logits[i]));
    const cal = softmax(Float64Array.from(logits[i]), temperature);
    let top = 0;
    for (let l = 1; l < cal.length; l++) if (cal[l] > cal[top]) top = l;
    before.push(raw[top]);
    after.push(cal[top]);
    correct.push(top === y[i]);
    points.push({ top: labels[top], confidence: cal[top], truth: labels[y[i]] });
  }
  const { threshold, method } = chooseThreshold(points, { oosLabel: OOS_LABEL, percentile, oosWeight });
  const metrics: Record<string, number> = {
    heldOutAccuracy: correct.filter(Boolean).length / correct.length,
    eceBefore: expectedCalibrationError(before, correct).ece,
    eceAfter: expectedCalibrationError(after, correct).ece,
  };
  const inScope = points.filter((p) => p.truth !== OOS_LABEL);
  const oos = points.filter((p) => p.truth === OOS_LABEL);
  if (oos.length > 0) {
    metrics.heldOutInScopeAccuracy = inScope.filter((p) => p.top === p.truth && p.confidence >= threshold).length / Math.max(1, inScope.length);
    metrics.heldOutOosRecall = oos.filter((p) => p.top === OOS_LABEL || p.confidence < threshold).length / oos.length;
  }
  return { threshold, method, metrics };
}

/** SHA-256 over the sorted label<TAB>text lines: the same data in any order gives the same hash. */
export function hashData(examples: LabelledText[]): string {
  const lines = examples.map((e) => `${e.label}\t${e.text}`).sort();
  const h = createHash('sha256');
  for (const line of lines) h.update(`${line}\n`);
  return h.digest('hex');
}
