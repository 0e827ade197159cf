import { z } from 'zod';

/** Settings of the `encoder` featurizer, stored verbatim in the model manifest. */
export const EncoderSettings = z.object({
  /**
   * A model id such as "Xenova/all-MiniLM-L6-v2" (looked up as `<localPath>/<model>/`, and on
   * the Hugging Face hub when `allowRemote`), or an absolute path to a model folder.
   */
  model: z.string().min(1).default('Xenova/all-MiniLM-L6-v2'),
  /** Folder holding model folders; relative paths are resolved from the working directory. */
  localPath: z.string().min(1).default('models/encoders'),
  /** Download from the hub when the model is not in `localPath` (off by default: no network at run time). */
  allowRemote: z.boolean().default(false),
  /** Where downloaded models are cached (only used with `allowRemote`). */
  cacheDir: z.string().min(1).default('models/.cache/transformers'),
  /** ONNX weights variant: fp32 loads `onnx/model.onnx`, q8 `onnx/model_quantized.onnx`, fp16 `onnx/model_fp16.onnx`. */
  dtype: z.enum(['fp32', 'fp16', 'q8']).default('fp32'),
  /** Texts per forward pass in `prepare`. */
  batchSize: z.number().int().min(1).max(1024).default(32),
  /** Embeddings kept in memory (least recently used evicted); the last `prepare` batch is always kept whole. */
  cacheSize: z.number().int().min(1).default(10_000),
  /** onnxruntime intra-op threads; unset lets onnxruntime decide. */
  threads: z.number().int().min(1).max(64).optional(),
  /** Embedding size, recorded at training time and checked when the model is loaded again. */
  dim: z.number().int().min(1).optional(),
}).strict();

export type EncoderSettings = z.infer<typeof EncoderSettings>;
