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
   * size (an epoch of a large set is many updates): 1 from 10,000 examples, 2 from 2,000, else 4;
   * with the default, a large set also stops at once on a clear decline (see `autoStopOnDecline`).
   */
  patience: z.number().int().min(0).max(10_000).optional(),
}).strict();

export type TrainerOptions = z.infer<typeof TrainerOptions>;

/** The default patience for `examples` training examples (see `TrainerOptions.patience`). */
export function autoPatience(examples: number): number {
  return examples >= 10_000 ? 1 : examples >= 2_000 ? 2 : 4;
}

/**
 * Whether, with the default patience, an epoch whose validation accuracy falls clearly below
 * the best one (see `declined`) stops training without waiting out the patience: from 10,000
 * examples, where an epoch is 300+ updates and such a fall is a trend, not noise. On CLINC150
 * this saves the last of five epochs; the kept (best) epoch is the same.
 */
export function autoStopOnDecline(examples: number): boolean {
  return examples >= 10_000;
}

/**
 * True when `accuracy` is more than one standard error, sqrt(p (1 - p) / n), below the best
 * accuracy `best` on `n` validation examples. Conservative for two epochs scored on the same
 * examples: their difference varies less than one accuracy does. CLINC150 (3,100 examples):
 * 91.2% -> 90.4% declined (the error is 0.5 points); SNIPS (700): 98.6% -> 98.4% did not.
 */
export function declined(accuracy: number, best: number, n: number): boolean {
  return best - accuracy > Math.sqrt(best * (1 - best) / n);
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
