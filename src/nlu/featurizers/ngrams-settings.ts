import { z } from 'zod';

/** Settings of the `ngrams` featurizer, stored verbatim in the model manifest. */
export const NgramsSettings = z.object({
  /** Stable name of this block; names the saved IDF file (`<id>.idf.bin`). */
  id: z.string().regex(/^[\w-]+$/).default('ngrams'),
  /** Hashing space; only buckets seen in training get weights, so a large space costs little. */
  dim: z.number().int().min(16).max(1 << 24).default(1 << 18),
  wordNgrams: z.tuple([z.number().int().min(1), z.number().int().min(1)]).default([1, 2]),
  /** Character n-grams inside word boundaries (each word padded with spaces); [0, 0] disables. */
  charNgrams: z.tuple([z.number().int().min(0), z.number().int().min(0)]).default([2, 4]),
  lowercase: z.boolean().default(true),
  stripAccents: z.boolean().default(true),
  sublinearTf: z.boolean().default(true),
  /** Relative weight of the word part and the character part (each part is L2-normalised first). */
  wordWeight: z.number().min(0).default(1),
  charWeight: z.number().min(0).default(1),
}).strict();

export type NgramsSettings = z.infer<typeof NgramsSettings>;
