import { z } from 'zod';
import { TrainerOptions } from './classifier/options.js';

const Labelled = z.object({ text: z.string(), label: z.string().min(1) });

/** Options of `trainClassifier` other than the callbacks (validated up front with zod). */
export const TrainOptionsSchema = TrainerOptions.partial().extend({
  task: z.enum(['intent', 'sentiment']),
  featurizers: z.array(z.object({ kind: z.string().min(1), settings: z.record(z.string(), z.unknown()).optional() }).strict()).min(1).default([{ kind: 'ngrams' }]),
  /** Share of each label held out for early stopping, calibration and the threshold (when `validation` is not given). */
  validationSplit: z.number().min(0).max(0.5).default(0.1),
  /** Explicit held-out examples for early stopping, calibration and the threshold (replaces the split). */
  validation: z.array(Labelled).optional(),
  /** Extra held-out examples used only for calibration and the threshold. */
  calibration: z.array(Labelled).optional(),
  ambiguityMargin: z.number().min(0).max(1).default(0.1),
  /** Without out-of-scope examples: the share of correct held-out answers allowed to fall back. */
  fallbackPercentile: z.number().min(0).max(0.5).default(0.01),
  /** With out-of-scope examples: weight of out-of-scope recall against in-scope accuracy when picking the threshold. */
  oosWeight: z.number().min(0).max(10).default(0.5),
  /** Retrain on all examples for the best epoch count after a split (default: yes when split). */
  refit: z.boolean().optional(),
  parent: z.string().optional(),
  feedbackIncluded: z.number().int().min(0).optional(),
}).strict();

export type TrainOptionsParsed = z.infer<typeof TrainOptionsSchema>;
