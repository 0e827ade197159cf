import { z } from 'zod';

/** Kinds of personal data the redactor knows. `number` (long digit runs) is opt-in. */
export const PiiType = z.enum(['email', 'phone', 'card', 'iban', 'address', 'ip', 'number']);
export type PiiType = z.infer<typeof PiiType>;

/** Types redacted when the caller does not say otherwise: everything but `number`. */
export const DEFAULT_TYPES: readonly PiiType[] = ['email', 'phone', 'card', 'iban', 'address', 'ip'];

/**
 * Redaction options, validated because they come from configuration.
 *
 * `longDigits` is off by default on purpose: the demo bot asks customers for their order
 * number ("order 48213") and agents need to see it; an order number alone identifies a
 * purchase, not a person, and conversations holding it expire with retention. Turn it on
 * (e.g. `{ minLength: 6 }`) for deployments where account or customer numbers are typed
 * into the chat; any run of at least `minLength` digits (separators allowed) that no other
 * detector claimed then becomes `<number>`.
 *
 * @example RedactOptions.parse({ types: ['email', 'phone'] })
 * @example RedactOptions.parse({ longDigits: { minLength: 6 } })
 */
export const RedactOptions = z
  .object({
    /** Which detectors run. Default: email, phone, card, iban, address, ip. */
    types: z.array(PiiType).min(1).optional(),
    /** Redact any other digit run of at least `minLength` digits as `<number>`; `false` (default) keeps them. */
    longDigits: z
      .union([z.literal(false), z.object({ minLength: z.number().int().min(4).max(64) }).strict()])
      .default(false),
  })
  .strict();
export type RedactOptions = z.input<typeof RedactOptions>;
export type ResolvedRedactOptions = z.output<typeof RedactOptions>;

/** One piece of personal data found: its type and where it was in the original text. */
export interface PiiSpan {
  type: PiiType;
  start: number; // index in the original text, inclusive
  end: number;   // exclusive
}

export interface RedactResult {
  /** The text with each span replaced by `<type>`. */
  text: string;
  /** Spans in the original text, in order of position. */
  found: PiiSpan[];
}
