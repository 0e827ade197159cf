import { z } from 'zod';

/** Hyper-parameters of the softmax trainer. Defaults suit customer-service intent sets of any size. */
export const TrainerOptions = z.object({
  epochs: z.number().int().min(1).max(10_000).default(30),
  learningRate: z.number().positive().max(10).default(0.02),
  l2: z.number().min(0).max(10).default(1e-5),
  batchSize: z.number().int().min(1).max(100_000).default(32),
  seed: z.number().int().default(1),
  optimizer: z.enum(['adam', 'sgd']).default('adam'),
  /**
   * Epochs without improvement of the validation score before stopping. Default: by data
   * size (an epoch of a large set is many updates): 1 from 10,000 examples, 2 from 2,000, else 4.
   */
  patience: z.number().int().min(0).max(10_000).optional(),
}).strict();

export type TrainerOptions = z.infer<typeof TrainerOptions>;

/** The default patience for `examples` training examples (see `TrainerOptions.patience`). */
export function autoPatience(examples: number): number {
  return examples >= 10_000 ? 1 : examples >= 2_000 ? 2 : 4;
}
export type TrainerOptionsInput = z.input<typeof TrainerOptions>;

/** Raised for a bad option; the message names the option, the value given and the rule. */
export class OptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptionsError';
  }
}

/**
 * Validates options with a zod schema, throwing one `OptionsError` naming every bad value.
 *
 * @example parseOptions(TrainerOptions, { learningRate: -1 })
 * // OptionsError: invalid training option learningRate = -1: Too small: expected number to be >0
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const raw = (input ?? {}) as Record<string, unknown>;
  const details = result.error.issues.map((issue) => {
    const key = issue.path.join('.');
    if (issue.code === 'unrecognized_keys') return `unknown option(s) ${issue.keys.join(', ')}`;
    const value = issue.path.length ? raw[String(issue.path[0])] : raw;
    return `${key} = ${JSON.stringify(value)}: ${issue.message}`;
  });
  throw new OptionsError(`invalid training option ${details.join('; ')}`);
}
