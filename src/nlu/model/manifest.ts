import { z } from 'zod';

/** zod schema of manifest.json (see ModelManifest in ../types.ts); checked on every load. */
export const ManifestSchema = z.object({
  formatVersion: z.number().int(),
  version: z.string().min(1),
  task: z.enum(['intent', 'sentiment']),
  labels: z.array(z.string()).min(1),
  featurizers: z.array(z.object({ kind: z.string(), settings: z.record(z.string(), z.unknown()) })).min(1),
  classifier: z.record(z.string(), z.unknown()),
  temperature: z.number().positive(),
  fallbackThreshold: z.number().min(0).max(1),
  ambiguityMargin: z.number().min(0).max(1),
  dataHash: z.string(),
  trainingExamples: z.number().int().min(0),
  metrics: z.record(z.string(), z.number()),
  curve: z.array(z.object({ epoch: z.number(), loss: z.number(), validationAccuracy: z.number().nullable() })),
  createdAt: z.string(),
  parent: z.string().optional(),
  feedbackIncluded: z.number().optional(),
}).loose();

/** How weights.bin is laid out, stored under `classifier.weights` in the manifest. */
export interface WeightsLayout {
  file: 'weights.bin';
  rowsFile: 'rows.bin';
  /** Human-readable description, so the file can be read without this code. */
  layout: string;
  labels: number;
  rows: number;
  dim: number;
}

export function weightsLayout(labels: number, rows: number, dim: number): WeightsLayout {
  return {
    file: 'weights.bin',
    rowsFile: 'rows.bin',
    layout: 'float32 little-endian: bias[labels], then rows x labels row-major; row r holds the weights of feature index rows.bin[r] (int32 little-endian, increasing); features not listed have zero weights',
    labels,
    rows,
    dim,
  };
}
