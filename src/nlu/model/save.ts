import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ParleyClassifier } from '../predictor.js';
import { writeBinaryLE } from './binary.js';
import { weightsLayout } from './manifest.js';
import { modelCard } from './model-card.js';

/**
 * Writes a model folder: manifest.json, weights.bin + rows.bin (layout in the manifest),
 * each featurizer's state, and MODEL_CARD.md.
 */
export async function saveModel(dir: string, classifier: ParleyClassifier): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { model, features } = classifier;
  // Rows in increasing feature order, so the file does not depend on training order.
  const featureOfRow = new Int32Array(model.rows);
  for (let f = 0; f < model.rowOf.length; f++) if (model.rowOf[f] >= 0) featureOfRow[model.rowOf[f]] = f;
  const order = Int32Array.from({ length: model.rows }, (_, r) => r).sort((a, b) => featureOfRow[a] - featureOfRow[b]);
  const L = model.labels;
  const out = new Float32Array(L + model.rows * L);
  out.set(model.bias, 0);
  const rowsFile = new Int32Array(model.rows);
  order.forEach((r, k) => {
    rowsFile[k] = featureOfRow[r];
    out.set(model.weights.subarray(r * L, (r + 1) * L), L + k * L);
  });
  await writeBinaryLE(join(dir, 'weights.bin'), out);
  await writeBinaryLE(join(dir, 'rows.bin'), rowsFile);
  for (const block of features.blocks) await block.save?.(dir);
  const manifest = {
    ...classifier.manifest,
    classifier: { ...classifier.manifest.classifier, weights: weightsLayout(L, model.rows, model.dim) },
  };
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(dir, 'MODEL_CARD.md'), modelCard(manifest));
}
