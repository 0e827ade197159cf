import { stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadModel, readCurrent, trainClassifier, type TrainOptions } from '../nlu/index.js';
import type { LabelledText, Task, TextClassifier } from '../nlu/types.js';
import type { AuditStore, FeedbackStore, LockStore } from '../store/types.js';
import { buildDataset, type Dataset } from './dataset-builder.js';
import { evaluateGate, type ConversationRunner, type GateReport } from './gate-evaluate.js';
import { DEFAULT_GATE_MARGIN } from './gate.js';
import { listVersions, promote } from './registry.js';
import { readFeedbackFile, writeFeedbackRecord } from './retrain-card.js';
import { recipeFor, testMetrics } from './train-model.js';

/** The lock name: one retrain at a time across every instance sharing the store. */
export const RETRAIN_LOCK = 'retrain';

export interface RetrainOptions {
  store: FeedbackStore & AuditStore & LockStore;
  task?: Task;
  /** Intents folder (or sentiment folder / .jsonl); default intents/ or intents/sentiment. */
  data?: string;
  modelsDir?: string;
  /** Retrain even with fewer than `minNewLabels` new accepted labels. */
  force?: boolean;
  /** New accepted labels (since the newest version of the task) needed to retrain; default 1. */
  minNewLabels?: number;
  /** Largest macro-F1 drop the gate tolerates; default 0.005. */
  margin?: number;
  /** Runs conversations/ with a model of this task; without it the gate checks held-out data only. */
  runConversations?: ConversationRunner;
  /** Who started it (audit log); default 'retrain'. */
  by?: string;
  heldOutShare?: number;
  /** More frozen held-out data for the gate (e.g. a curated test file), added to the intents' tests. */
  tests?: LabelledText[];
  seed?: number;
  /** Extra trainer options (epochs, validation...), e.g. for benchmarks. */
  train?: Partial<Omit<TrainOptions, 'task' | 'parent' | 'feedbackIncluded'>>;
  /** How long the lock is held at most if this process dies mid-run; default 30 minutes. */
  lockTtlMs?: number;
  onProgress?: (message: string) => void;
}

export type RetrainStatus = 'promoted' | 'rejected' | 'skipped' | 'busy';

export interface RetrainResult {
  status: RetrainStatus;
  /** One line: why this status. */
  reason: string;
  task: Task;
  serving?: string;
  candidate?: { version: string; dir: string };
  report?: GateReport;
  counts?: Dataset['counts'];
  newLabels?: number;
}

/**
 * One retraining run: take the lock, build intents/ + accepted feedback, train a candidate,
 * compare it with the serving model on the same frozen held-out data (and conversation
 * scripts), promote it only if the gate passes. Every candidate stays on disk with its
 * gate-report.json; a rejection is audited with its report.
 *
 * @example
 * const r = await retrain({ store, task: 'intent', runConversations });
 * r.status // 'promoted' | 'rejected' | 'skipped' (too few new labels) | 'busy' (another retrain runs)
 */
export async function retrain(options: RetrainOptions): Promise<RetrainResult> {
  const { store, task = 'intent', lockTtlMs = 30 * 60_000 } = options;
  const release = await store.tryLock(RETRAIN_LOCK, lockTtlMs);
  if (!release) return { status: 'busy', reason: 'another retrain is running (lock held)', task };
  try {
    return await run(options, task);
  } finally {
    await release();
  }
}

async function run(options: RetrainOptions, task: Task): Promise<RetrainResult> {
  const { store, modelsDir = 'models', force = false, minNewLabels = 1, margin = DEFAULT_GATE_MARGIN, by = 'retrain', onProgress = () => {} } = options;
  const dataset = await buildDataset(store, { task, data: options.data, heldOutShare: options.heldOutShare });
  const currentVersion = (await readCurrent(modelsDir))[task];
  const serving: TextClassifier | undefined = currentVersion ? await loadModel(path.join(modelsDir, currentVersion)) : undefined;

  // "New" is counted against the newest version of the task, promoted or not: a rejected
  // candidate's labels are not new again at the next scheduled run.
  const versions = await listVersions(modelsDir, task);
  const newest = versions[versions.length - 1];
  const seen = newest ? await readFeedbackFile(path.join(modelsDir, newest.version)) : { train: [], heldOut: [] };
  const seenIds = new Set([...seen.train, ...seen.heldOut].map((f) => f.id));
  const newLabels = [...dataset.feedbackTrain, ...dataset.feedbackHeldOut].filter((f) => !seenIds.has(f.id)).length;
  const base = { task, counts: dataset.counts, newLabels, ...(currentVersion ? { serving: currentVersion } : {}) };
  if (!force && newLabels < minNewLabels) {
    return { ...base, status: 'skipped', reason: `${newLabels} new accepted label(s), fewer than the ${minNewLabels} required (use --force to retrain anyway)` };
  }

  onProgress(`training a ${task} candidate on ${dataset.train.length} examples (${dataset.counts.feedback} from feedback)`);
  const model = await trainClassifier(dataset.train, {
    ...recipeFor(task, dataset.train, serving ? { like: serving.manifest } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...options.train,
    ...(currentVersion ? { parent: currentVersion } : {}),
    feedbackIncluded: dataset.counts.feedback,
  });
  const version = await freeVersionName(modelsDir, model.manifest.version);
  model.manifest.version = version;

  onProgress(`gating ${version} against ${currentVersion ?? 'no serving model'} on ${dataset.test.length} held-out examples`);
  const dir = path.join(modelsDir, version);
  // Saved before the gate: conversation scripts run the engine on model folders.
  await model.save(dir);
  const tests = [...dataset.test.slice(0, dataset.counts.baseTests), ...(options.tests ?? [])];
  const report = await evaluateGate({
    candidate: model, candidateDir: dir, tests, feedbackHeldOut: dataset.feedbackHeldOut, runConversations: options.runConversations, margin,
    ...(serving && currentVersion ? { serving, servingDir: path.join(modelsDir, currentVersion) } : {}),
  });
  // The held-out scores become the manifest's test metrics (rewritten with them).
  Object.assign(model.manifest.metrics, testMetrics(report.candidate));
  await model.save(dir);
  await writeFeedbackRecord(dir, dataset.counts, dataset.feedbackTrain, dataset.feedbackHeldOut);
  await writeFile(path.join(dir, 'gate-report.json'), `${JSON.stringify(report, null, 2)}\n`);
  const result = { ...base, candidate: { version, dir }, report };

  if (report.decision.promote) {
    await promote(modelsDir, version, { by, reason: `gate passed: ${report.decision.reasons.join('; ')}`, audit: store });
    return { ...result, status: 'promoted', reason: report.decision.reasons.join('; ') };
  }
  await store.audit({
    ts: Date.now(), actor: by, action: 'retrain-rejected', subject: version,
    details: { task, serving: currentVersion, reasons: report.decision.reasons, macroF1Delta: report.decision.macroF1Delta, newlyFailing: report.decision.newlyFailing, report: path.join(dir, 'gate-report.json') },
  });
  return { ...result, status: 'rejected', reason: report.decision.reasons.join('; ') };
}

/** `version`, or `version-2`, `-3`... when a folder of that name exists (same data within one second). */
async function freeVersionName(modelsDir: string, version: string): Promise<string> {
  const exists = (name: string) => stat(path.join(modelsDir, name)).then(() => true, () => false);
  if (!(await exists(version))) return version;
  for (let i = 2; ; i++) if (!(await exists(`${version}-${i}`))) return `${version}-${i}`;
}
