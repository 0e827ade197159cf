import path from 'node:path';
import { fnv1a32 } from '../nlu/featurizers/hash.js';
import type { LabelledText, Task } from '../nlu/types.js';
import { redact } from '../privacy/index.js';
import type { AuditStore, FeedbackEvent, FeedbackStore } from '../store/types.js';
import { loadData } from './data-source.js';
import { taskOf } from './feedback-queue.js';
import { reviewTimes } from './feedback-review.js';
import { OOS_LABEL, sentenceKey } from './intents.js';
import { SENTIMENT_LABELS } from './sentiment-data.js';

/** An accepted feedback example as it enters a data set. */
export interface FeedbackExample extends LabelledText {
  id: string;
  /** When its label was decided (review time from the audit log, else the event time). */
  decidedAt: number;
}

export interface DatasetCounts {
  /** Training examples from intents/ (or the sentiment folder). */
  base: number;
  /** Held-out tests from intents/. */
  baseTests: number;
  /** Accepted feedback examples trained on. */
  feedback: number;
  /** Accepted feedback examples in the frozen held-out slice (never trained on). */
  feedbackHeldOut: number;
  /** Accepted events dropped because another accepted event (or intents/) has the same text and label. */
  duplicates: number;
  /** Texts accepted with different labels; the latest review won. */
  conflicts: number;
  /** intents/ examples whose label a review changed. */
  relabelledBase: number;
  /** Accepted events whose label the task does not have (e.g. an intent with no file). */
  unknownLabel: number;
  /** Accepted events whose text is an intents/ test: kept out of training. */
  overlapsTests: number;
}

export interface Dataset {
  task: Task;
  train: LabelledText[];
  /** The frozen held-out data the gate compares models on: intents/ tests + held-out feedback. */
  test: LabelledText[];
  feedbackTrain: FeedbackExample[];
  feedbackHeldOut: FeedbackExample[];
  counts: DatasetCounts;
}

/** Share of accepted feedback held out for the gate by default. */
export const HELD_OUT_SHARE = 0.2;

/**
 * Whether a text belongs to the frozen held-out slice: decided by a hash of its normalised
 * text, so the same sentence is held out in every build, whatever else changed.
 *
 * @example isHeldOut('where is my parcel', 0.2) // false (always, for this text)
 */
export function isHeldOut(text: string, share = HELD_OUT_SHARE): boolean {
  return fnv1a32(`held-out\u0000${sentenceKey(text)}`) % 10_000 < Math.round(share * 10_000);
}

/** Accepted (or corrected) feedback of a task that can become a labelled example. */
export function acceptedExamples(events: readonly FeedbackEvent[], task: Task, times: ReadonlyMap<string, number> = new Map()): FeedbackExample[] {
  const out: FeedbackExample[] = [];
  for (const e of events) {
    if ((e.review !== 'accepted' && e.review !== 'corrected') || !e.reviewLabel || !e.text || taskOf(e) !== task) continue;
    // Stored feedback is redacted already; redacting again costs little and guards old rows.
    out.push({ id: e.id, text: redact(e.text).text, label: e.reviewLabel, decidedAt: times.get(e.id) ?? e.ts });
  }
  return out;
}

export interface MergeOptions {
  task: Task;
  heldOutShare?: number;
  /** Labels feedback may use; default: the labels of the base data. */
  labels?: readonly string[];
}

/**
 * The pure core of the data set builder: base data (intents/ examples and tests) plus
 * accepted feedback, deduplicated by normalised text. When several reviews label one text
 * differently the latest decision wins, also over an intents/ example. Texts that are
 * intents/ tests are never trained on; the others are split by `isHeldOut`.
 *
 * @example
 * const ds = mergeFeedback({ train, test }, accepted, { task: 'intent' });
 * ds.counts // { base: 1072, baseTests: 260, feedback: 41, feedbackHeldOut: 9, duplicates: 3, ... }
 */
export function mergeFeedback(base: { train: LabelledText[]; test: LabelledText[] }, feedback: readonly FeedbackExample[], { task, heldOutShare = HELD_OUT_SHARE, labels }: MergeOptions): Dataset {
  const allowed = new Set(labels ?? base.train.map((e) => e.label));
  const counts: DatasetCounts = { base: base.train.length, baseTests: base.test.length, feedback: 0, feedbackHeldOut: 0, duplicates: 0, conflicts: 0, relabelledBase: 0, unknownLabel: 0, overlapsTests: 0 };

  // Latest decision per normalised text.
  const byKey = new Map<string, FeedbackExample[]>();
  for (const f of feedback) {
    const key = sentenceKey(f.text);
    const group = byKey.get(key);
    if (group) group.push(f); else byKey.set(key, [f]);
  }
  const winners: Array<{ key: string; example: FeedbackExample }> = [];
  for (const [key, group] of byKey) {
    group.sort((a, b) => b.decidedAt - a.decidedAt || b.id.localeCompare(a.id));
    if (new Set(group.map((g) => g.label)).size > 1) counts.conflicts++;
    counts.duplicates += group.length - 1;
    winners.push({ key, example: group[0] });
  }
  // Arrival order (ids, clocks) must not change the model: same accepted set, same data order.
  winners.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  const testKeys = new Set(base.test.map((e) => sentenceKey(e.text)));
  const trainIndex = new Map<string, number>();
  base.train.forEach((e, i) => trainIndex.set(sentenceKey(e.text), i));
  const train = base.train.slice();
  const feedbackTrain: FeedbackExample[] = [];
  const feedbackHeldOut: FeedbackExample[] = [];
  for (const { key, example } of winners) {
    if (!allowed.has(example.label)) { counts.unknownLabel++; continue; }
    if (testKeys.has(key)) { counts.overlapsTests++; continue; }
    const at = trainIndex.get(key);
    if (at !== undefined) {
      // Already an intents/ example: a training text, never held out (that would leak).
      if (train[at].label === example.label) counts.duplicates++;
      else {
        train[at] = { text: train[at].text, label: example.label };
        counts.relabelledBase++;
        feedbackTrain.push(example);
      }
      continue;
    }
    (isHeldOut(example.text, heldOutShare) ? feedbackHeldOut : feedbackTrain).push(example);
  }
  const added = feedbackTrain.filter((f) => !trainIndex.has(sentenceKey(f.text)));
  counts.feedback = feedbackTrain.length;
  counts.feedbackHeldOut = feedbackHeldOut.length;
  return {
    task,
    train: [...train, ...added.map(({ text, label }) => ({ text, label }))],
    test: [...base.test, ...feedbackHeldOut.map(({ text, label }) => ({ text, label }))],
    feedbackTrain,
    feedbackHeldOut,
    counts,
  };
}

export interface BuildDatasetOptions {
  task?: Task;
  /** The intents folder (task intent) or sentiment data folder; default intents/ or intents/sentiment. */
  data?: string;
  heldOutShare?: number;
}

/**
 * Builds the training set of a retrain: intents/ (or the sentiment folder) plus the store's
 * accepted feedback, with the frozen held-out slice and counts per source.
 *
 * @example
 * const ds = await buildDataset(store, { task: 'intent', data: 'intents' });
 * await trainClassifier(ds.train, { task: 'intent' });
 */
export async function buildDataset(store: FeedbackStore & AuditStore, { task = 'intent', data, heldOutShare }: BuildDatasetOptions = {}): Promise<Dataset> {
  const base = await loadData(data ?? (task === 'intent' ? 'intents' : path.join('intents', 'sentiment')), task);
  const events = await store.listFeedback({ review: ['accepted', 'corrected'] });
  const accepted = acceptedExamples(events, task, await reviewTimes(store));
  const labels = task === 'sentiment' ? [...SENTIMENT_LABELS] : [...new Set([...base.train.map((e) => e.label), OOS_LABEL])];
  // A JSONL file's rows are its own "tests" too (see loadData): they are not held out here.
  const test = base.kind === 'jsonl' ? [] : base.test;
  return mergeFeedback({ train: base.train, test }, accepted, { task, heldOutShare, labels });
}
