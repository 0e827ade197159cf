import { z } from 'zod';
import { FrustrationOptions } from '../sentiment/frustration.js';

const probability = z.number().min(0).max(1);
const turns = z.number().int().min(1).max(100);

/**
 * Every escalation setting in one schema; each trigger can be switched off. Parse a partial
 * object to get the defaults for the rest: `EscalationPolicy.parse({ fallbacks: { inARow: 2 } })`.
 */
export const EscalationPolicy = z.object({
  /** Negative sentiment: calibrated p(negative) of this turn AND the running frustration, never one word. */
  sentiment: z
    .object({
      enabled: z.boolean().default(true),
      /** This turn's p(negative) must be at least this... */
      minNegativeProbability: probability.default(0.75),
      /** ...and the frustration level at least this... */
      minFrustration: probability.default(0.55),
      /** ...after at least this many customer turns, with frustration not falling. */
      minTurns: turns.default(2),
      /**
       * One extremely angry message is enough (first turn included) when p(negative) is this
       * high and its wording shouts (caps, "!!!", strong words: `textCues` score at least `minCues`).
       */
      extreme: z
        .object({
          enabled: z.boolean().default(true),
          minNegativeProbability: probability.default(0.95),
          minCues: probability.default(0.5),
        })
        .prefault({}),
    })
    .prefault({}),
  /** N fallbacks (not understood) in a row. */
  fallbacks: z.object({ enabled: z.boolean().default(true), inARow: turns.default(3) }).prefault({}),
  /** N turns in a row whose intent confidence is below `threshold`. */
  lowConfidence: z
    .object({ enabled: z.boolean().default(true), threshold: probability.default(0.45), inARow: turns.default(3) })
    .prefault({}),
  /** The customer asks for a person. */
  humanRequest: z
    .object({ enabled: z.boolean().default(true), intent: z.string().min(1).default('talk_to_human'), minConfidence: probability.default(0.6) })
    .prefault({}),
  rules: z
    .object({
      /**
       * Customer attributes from the channel. `when`: 'always' escalates on the first turn,
       * 'negative' on the first negative turn, 'never' only raises the queue priority.
       */
      attributes: z
        .array(
          z.object({
            name: z.string().min(1),
            equals: z.string(),
            when: z.enum(['always', 'negative', 'never']).default('negative'),
            priorityBoost: z.number().min(0).max(100).default(30),
            label: z.string().optional(), // "vip customer"
          }),
        )
        .default([{ name: 'vip', equals: 'true', when: 'negative', priorityBoost: 30, label: 'vip customer' }]),
      /** p(negative) that makes a turn "negative" for attribute rules with when = 'negative'. */
      negativeProbability: probability.default(0.5),
      /** Words or phrases (whole words, any case) that go to a person at once. */
      keywords: z
        .object({
          enabled: z.boolean().default(true),
          words: z.array(z.string().min(1)).default(['lawyer', 'attorney', 'solicitor', 'chargeback', 'legal action', 'sue you', 'ombudsman', 'fraud', 'data protection']),
          priorityBoost: z.number().min(0).max(100).default(20),
        })
        .prefault({}),
      /** Intents a person always handles (above `minConfidence`). */
      intents: z
        .object({
          enabled: z.boolean().default(true),
          always: z.array(z.string().min(1)).default(['delete_account']),
          minConfidence: probability.default(0.6),
          priorityBoost: z.number().min(0).max(100).default(10),
        })
        .prefault({}),
    })
    .prefault({}),
  /** How the running frustration level moves: the settings of `updateFrustration` (src/sentiment/frustration.ts). */
  frustration: FrustrationOptions.prefault({}),
  /** Queue priority: frustration * frustrationWeight + boosts + waiting minutes * perWaitingMinute (capped). */
  priority: z
    .object({
      frustrationWeight: z.number().min(0).max(100).default(60),
      humanRequestBoost: z.number().min(0).max(100).default(15),
      /** A single furious message (the `sentiment.extreme` trigger) jumps ahead of calmer escalations. */
      extremeBoost: z.number().min(0).max(100).default(20),
      perWaitingMinute: z.number().min(0).max(100).default(1),
      maxWaitingBoost: z.number().min(0).max(1000).default(30),
    })
    .prefault({}),
});
export type EscalationPolicy = z.output<typeof EscalationPolicy>;
export type EscalationPolicyInput = z.input<typeof EscalationPolicy>;

/**
 * The documented defaults: sentiment (p(neg) >= 0.75, frustration >= 0.55, not falling, from
 * turn 2; or p(neg) >= 0.95 in a shouting message at once), 3 fallbacks in a row, 3 turns
 * below 0.45 confidence, talk_to_human >= 0.6, vip customers on their first negative turn,
 * legal/chargeback keywords, delete_account always to a person.
 */
export const defaultPolicy: EscalationPolicy = EscalationPolicy.parse({});
