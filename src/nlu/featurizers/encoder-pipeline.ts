/**
 * Loads a transformers.js feature-extraction pipeline and wraps it as an `Embedder`:
 * mean-pooled, L2-normalised sentence embeddings, one forward pass per batch.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { EncoderSettings } from './encoder-settings.js';

/** Turns texts into unit-length embeddings. */
export interface Embedder {
  /** Where the model was loaded from (a folder, or a hub id). */
  readonly source: string;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/** The model could not be found or loaded; the message says how to fix it. */
export class EncoderModelError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EncoderModelError';
  }
}

// transformers.js keeps its settings in one global `env`; loads are serialised so that two
// featurizers with different folders never see each other's settings while loading.
let loadQueue: Promise<unknown> = Promise.resolve();

// Models in use, shared by every featurizer that names the same one (e.g. the intent and
// the sentiment model): one onnxruntime session, released when the last user disposes it.
const shared = new Map<string, { embedder: Promise<Embedder>; users: number }>();

/**
 * Loads the model named by the settings, or shares the one already loaded. Offline unless
 * `allowRemote`: then only `<localPath>/<model>/` (or the absolute `model` path) is read.
 * Each call's `dispose()` releases one use.
 *
 * @example
 * const e = await loadEmbedder(EncoderSettings.parse({ model: 'tiny-encoder', localPath: '/tmp/models' }));
 * await e.embed(['where is my order']) // [Float32Array(32)], unit length
 */
export async function loadEmbedder(settings: EncoderSettings, cwd = process.cwd()): Promise<Embedder> {
  const key = JSON.stringify([settings.model, path.resolve(cwd, settings.localPath), settings.allowRemote, settings.dtype, settings.threads ?? null]);
  let entry = shared.get(key);
  if (!entry) {
    const run = loadQueue.then(() => load(settings, cwd));
    loadQueue = run.catch(() => undefined);
    entry = { embedder: run, users: 0 };
    shared.set(key, entry);
    run.catch(() => shared.delete(key));
  }
  entry.users++;
  const embedder = await entry.embedder;
  let released = false;
  return {
    source: embedder.source,
    embed: (texts) => embedder.embed(texts),
    async dispose() {
      if (released) return;
      released = true;
      const current = shared.get(key);
      if (current && --current.users === 0) {
        shared.delete(key);
        await embedder.dispose();
      }
    },
  };
}

async function load(settings: EncoderSettings, cwd: string): Promise<Embedder> {
  const localPath = path.resolve(cwd, settings.localPath);
  const isPath = path.isAbsolute(settings.model);
  const folder = isPath ? settings.model : path.join(localPath, settings.model);
  const haveLocal = existsSync(path.join(folder, 'config.json'));
  if (!haveLocal && !settings.allowRemote) {
    throw new EncoderModelError(
      `encoder model '${settings.model}' not found: expected a model folder at ${folder} (config.json, tokenizer.json, ` +
      `tokenizer_config.json, onnx/model.onnx). Copy the model there, point 'localPath' at the folder that holds it, ` +
      `or set 'allowRemote: true' to download it from the Hugging Face hub.`,
    );
  }
  let transformers: typeof import('@huggingface/transformers');
  try {
    transformers = await import('@huggingface/transformers');
  } catch (cause) {
    throw new EncoderModelError(`the encoder featurizer needs @huggingface/transformers: run 'npm install' (${(cause as Error).message})`, { cause });
  }
  const { env, pipeline } = transformers;
  env.allowLocalModels = true;
  env.localModelPath = localPath;
  env.allowRemoteModels = settings.allowRemote;
  env.cacheDir = path.resolve(cwd, settings.cacheDir);
  const modelRef = haveLocal && isPath ? folder : settings.model;
  let extractor: Awaited<ReturnType<typeof pipeline<'feature-extraction'>>>;
  try {
    extractor = await pipeline('feature-extraction', modelRef, {
      dtype: settings.dtype,
      local_files_only: !settings.allowRemote,
      session_options: settings.threads ? { intraOpNumThreads: settings.threads, interOpNumThreads: 1 } : undefined,
    });
  } catch (cause) {
    throw new EncoderModelError(`encoder model '${settings.model}' could not be loaded from ${haveLocal ? folder : 'the hub'}: ${(cause as Error).message}`, { cause });
  }
  // One forward pass at a time: onnxruntime sessions are not meant to be run concurrently here,
  // and queuing keeps batches whole.
  let runQueue: Promise<unknown> = Promise.resolve();
  return {
    source: haveLocal ? folder : settings.model,
    embed(texts) {
      const run = runQueue.then(async () => {
        if (texts.length === 0) return [];
        const out = await extractor([...texts], { pooling: 'mean', normalize: true });
        const [rows, dim] = out.dims as number[];
        const data = out.data as Float32Array;
        const vectors: Float32Array[] = [];
        for (let r = 0; r < rows; r++) vectors.push(data.slice(r * dim, (r + 1) * dim));
        return vectors;
      });
      runQueue = run.catch(() => undefined);
      return run;
    },
    dispose: () => extractor.dispose(),
  };
}
