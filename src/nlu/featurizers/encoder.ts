/**
 * The `encoder` featurizer: sentence embeddings from a transformers.js feature-extraction
 * model (mean pooling, L2-normalised), a dense block of the model's hidden size.
 *
 * Embedding is asynchronous, the `Featurizer.transform` contract is synchronous: `prepare`
 * embeds texts in batches into a bounded per-text cache, and `transform` reads the cache.
 */
import type { Featurizer, FeaturizerFactory, SparseVector } from '../types.js';
import { EmbeddingCache } from './encoder-cache.js';
import { loadEmbedder, type Embedder } from './encoder-pipeline.js';
import { EncoderSettings } from './encoder-settings.js';
import { settingsError } from './errors.js';

export { EncoderModelError } from './encoder-pipeline.js';

/** `transform` was called on a text that `prepare` has not embedded. */
export class EncoderNotPreparedError extends Error {
  constructor(text: string) {
    const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
    super(`encoder featurizer: "${shown}" has not been embedded yet; call prepare([text]) first, or use predictAsync() instead of predict()`);
    this.name = 'EncoderNotPreparedError';
  }
}

/** Per-instance counters, for tests and metrics. */
export interface EncoderStats {
  hits: number;
  misses: number;
  embedded: number;
  cached: number;
}

export class EncoderFeaturizer implements Featurizer {
  readonly kind = 'encoder';
  readonly dense = true;
  private readonly cache: EmbeddingCache;
  private readonly allIndices: Int32Array;
  private readonly counters = { hits: 0, misses: 0, embedded: 0 };

  constructor(private readonly config: EncoderSettings, readonly dim: number, private readonly embedder: Embedder) {
    this.cache = new EmbeddingCache(config.cacheSize);
    this.allIndices = Int32Array.from({ length: dim }, (_, i) => i);
  }

  settings(): Record<string, unknown> {
    return { ...this.config, dim: this.dim };
  }

  /** Embeds the texts not cached yet, `batchSize` at a time; afterwards `transform` works on all of them. */
  async prepare(texts: readonly string[]): Promise<void> {
    const unique = [...new Set(texts)];
    const missing: string[] = [];
    // Touch the cached ones first, so the whole batch ends up the most recently used and
    // eviction (down to max(cacheSize, batch)) never drops a text of this batch.
    for (const t of unique) {
      const v = this.cache.get(t);
      if (v) this.cache.set(t, v, unique.length);
      else missing.push(t);
    }
    for (let i = 0; i < missing.length; i += this.config.batchSize) {
      const batch = missing.slice(i, i + this.config.batchSize);
      const vectors = await this.embedder.embed(batch);
      batch.forEach((t, k) => this.cache.set(t, vectors[k], unique.length));
      this.counters.embedded += batch.length;
    }
  }

  /** The cached embedding of `text` as a dense block; throws `EncoderNotPreparedError` when not prepared. */
  transform(text: string): SparseVector {
    const v = this.cache.get(text);
    if (!v) {
      this.counters.misses++;
      throw new EncoderNotPreparedError(text);
    }
    this.counters.hits++;
    return { indices: this.allIndices, values: v };
  }

  /** Embeds one text (through the cache) without the prepare/transform split. */
  async embed(text: string): Promise<Float32Array> {
    await this.prepare([text]);
    return this.transform(text).values;
  }

  stats(): EncoderStats {
    return { ...this.counters, cached: this.cache.size };
  }

  /** Frees the onnxruntime session. */
  async dispose(): Promise<void> {
    await this.embedder.dispose();
  }
}

/**
 * Creates the encoder featurizer: loads the model (offline by default), probes its
 * embedding size, and checks it against the size recorded in a saved model.
 *
 * @example
 * const f = await factory({ model: 'tiny-encoder', localPath: 'models/encoders' }, {});
 * await f.prepare!(['where is my order']);
 * f.transform('where is my order') // { indices: [0..31], values: Float32Array(32) }
 */
export const factory: FeaturizerFactory = async (settings) => {
  const parsed = EncoderSettings.safeParse(settings);
  if (!parsed.success) throw settingsError('encoder', parsed.error);
  const config = parsed.data;
  const embedder = await loadEmbedder(config);
  const [probe] = await embedder.embed(['hello']);
  const dim = probe.length;
  if (config.dim !== undefined && config.dim !== dim) {
    await embedder.dispose();
    throw new Error(`encoder featurizer: the model at ${embedder.source} gives ${dim}-d embeddings but this model was trained with ${config.dim}-d ones; use the same encoder model or retrain`);
  }
  return new EncoderFeaturizer(config, dim, embedder);
};
