import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ModelManifest, TextClassifier } from '../types.js';
import { createFeaturizer } from '../featurizers/registry.js';
import { CompositeFeaturizer } from '../featurizers/composite.js';
import { featureRows, LinearModel } from '../classifier/linear.js';
import { ParleyClassifier } from '../predictor.js';
import { wasmKernelSpace, type WasmLogits } from '../classifier/wasm-logits.js';
import { readFloat32LE, readFloat32LEInto, readInt32LE } from './binary.js';
import { FORMAT_VERSION, ModelFormatError } from './errors.js';
import { ManifestSchema, type WeightsLayout } from './manifest.js';

/**
 * Loads a model folder written by `save` (checks the format version first).
 *
 * @example const intent = await loadModel('models/intent-20261128-121500-ab12cd');
 * intent.predict('where is my order').label // 'order_status'
 */
export async function loadModel(dir: string): Promise<ParleyClassifier & TextClassifier> {
  const path = resolve(dir);
  const manifest = await readManifest(path);
  const layout = manifest.classifier.weights as WeightsLayout | undefined;
  if (!layout || typeof layout.rows !== 'number') throw new ModelFormatError(path, 'manifest.json has no classifier.weights layout; retrain the model with `parley train`');
  // Featurizers and weights load concurrently: the word vectors' file read (threads) then
  // overlaps the lexicon parse and the weights read.
  const blocksLoading = Promise.all(manifest.featurizers.map((spec) => createFeaturizer(spec, { modelDir: path }).catch((cause) => {
    throw new ModelFormatError(path, `cannot load featurizer '${spec.kind}': ${(cause as Error).message}`, { cause });
  })));
  const L = manifest.labels.length;
  const corrupt = () => new ModelFormatError(path, 'weights.bin / rows.bin sizes do not match manifest.json; the folder is corrupt, retrain or restore it');
  const unreadable = (file: string) => (cause: unknown) => {
    throw new ModelFormatError(path, `cannot read ${file} (${(cause as Error).message}); the folder is incomplete, retrain or restore it`, { cause });
  };
  if (layout.labels !== L) throw corrupt();
  const [weights, rows, blocks] = await Promise.all([
    readWeights(join(path, layout.file), L, layout.rows).catch(unreadable(layout.file)),
    readInt32LE(join(path, layout.rowsFile)).catch(unreadable(layout.rowsFile)),
    blocksLoading,
  ]);
  const features = new CompositeFeaturizer(blocks);
  if (!weights || rows.length !== layout.rows || layout.dim !== features.dim) throw corrupt();
  const rowOf = featureRows(features.dim, rows.length);
  for (let r = 0; r < rows.length; r++) rowOf[rows[r]] = r;
  const model = new LinearModel(L, features.dim, rowOf, weights.weights, weights.bias, weights.kernel);
  return new ParleyClassifier(manifest, features, model);
}

/**
 * weights.bin (the bias, then the rows) read straight into the logits kernel's memory when
 * there is one, else into arrays of their own; undefined when the file's size is not the
 * manifest's.
 */
async function readWeights(file: string, labels: number, rows: number): Promise<{ weights: Float32Array; bias: Float32Array; kernel?: WasmLogits } | undefined> {
  const space = wasmKernelSpace(labels, rows * labels);
  if (space) return (await readFloat32LEInto(file, [space.bias, space.weights])) ? space : undefined;
  const raw = await readFloat32LE(file);
  return raw.length === labels + rows * labels ? { weights: raw.subarray(labels), bias: raw.slice(0, labels) } : undefined;
}

/** Reads and validates manifest.json, failing with a ModelFormatError that says what to do. */
export async function readManifest(dir: string): Promise<ModelManifest> {
  const path = resolve(dir);
  let text: string;
  try {
    text = await readFile(join(path, 'manifest.json'), 'utf8');
  } catch (cause) {
    throw new ModelFormatError(path, 'no manifest.json here: not a Parley model folder (train one with `parley train`, or pass the folder of a version under models/)', { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ModelFormatError(path, 'manifest.json is not valid JSON; restore the folder or retrain', { cause });
  }
  const version = (json as { formatVersion?: unknown })?.formatVersion;
  if (version !== FORMAT_VERSION) {
    throw new ModelFormatError(path, `model formatVersion ${JSON.stringify(version)} is not supported (this Parley reads formatVersion ${FORMAT_VERSION}); retrain the model with \`parley train\` or use the Parley version that wrote it`);
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new ModelFormatError(path, `manifest.json is invalid (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}); retrain the model`);
  }
  return parsed.data as ModelManifest;
}
