import { z } from 'zod';
import type { Featurizer, FeaturizerFactory, SparseVector } from '../types.js';
import { settingsError } from './errors.js';
import { loadLexicon, type LexiconTable } from './lexicon-table.js';
import { scoreText, type LexiconStats, type ScoreRules } from './lexicon-score.js';

/** Lexicon featurizer settings (stored in the manifest). Defaults follow VADER's constants. */
export const LexiconSettings = z.strictObject({
  negationScalar: z.number().min(0).max(2).default(0.74),
  negationWindow: z.number().int().min(1).max(6).default(3),
  contrastWeight: z.number().min(1).max(3).default(1.5),
  boost: z.number().min(0).max(2).default(0.293),
  capsBoost: z.number().min(0).max(2).default(0.733),
  /** Multiplies the whole block, to balance it against the L2-normalised n-grams. */
  scale: z.number().positive().max(10).default(1),
  /** Hash of the lexicon file the model was trained with; set on first creation. */
  lexiconHash: z.string().optional(),
});
export type LexiconSettings = z.infer<typeof LexiconSettings>;

/** Names of the features, in block order (also used to explain dense features). */
export const LEXICON_FEATURES = [
  'compound', 'abs_compound', 'pos_sum', 'neg_sum', 'pos_count', 'neg_count', 'negated_pos', 'negated_neg',
  'last_clause', 'first_clause', 'contrast', 'mixed', 'sarcasm_cue', 'max_pos', 'min_neg', 'shouting',
  'shouting_signed', 'exclamations', 'questions', 'repeated_punct', 'emoji', 'intensifiers', 'politeness',
  'question_form', 'length', 'density', 'negations', 'elongated',
] as const;

const cap = (x: number, max: number): number => Math.min(x, max) / max;

/** Maps the lexicon pass to the feature block, every value roughly in [-1, 1]. */
export function statsToFeatures(s: LexiconStats, out: Float32Array): void {
  const words = Math.max(s.words, 1);
  const sign = Math.sign(s.compound);
  const values = [
    s.compound, Math.abs(s.compound), Math.tanh(s.posSum / 3), Math.tanh(s.negSum / 3), cap(s.posCount, 5), cap(s.negCount, 5),
    cap(s.negatedPos, 3), cap(s.negatedNeg, 3), s.lastClause, s.firstClause, s.contrast ? 1 : 0,
    s.posSum > 0 && s.negSum < 0 ? 1 : 0, s.sarcasmCue ? 1 : 0, s.maxPos / 4, s.minNeg / 4, s.shouted / words,
    (s.shouted / words) * sign, cap(s.exclamations, 4), cap(s.questions, 3), s.repeatedPunct ? 1 : 0, Math.tanh(s.emojiSum / 3),
    cap(s.intensifiers, 3), cap(s.politeness, 2), s.questionForm ? 1 : 0, cap(s.words, 40),
    Math.min((s.posCount + s.negCount) / words, 1), cap(s.negations, 3), s.elongated ? 1 : 0,
  ];
  for (let i = 0; i < values.length; i++) out[i] = values[i];
}

/**
 * A small dense block of sentiment cues from VADER's valence lexicon: compound score,
 * positive/negative sums, negation, intensifiers, a contrastive "but", shouting, emphasis
 * punctuation, emoji, politeness. Deterministic; nothing to fit or save.
 *
 * @example
 * const f = new LexiconFeaturizer();
 * f.transform('not happy at all!!') // { indices: Int32Array [0, 1, 3, 5, ...], values: Float32Array [-0.55, 0.55, -0.58, 0.2, ...] }
 */
export class LexiconFeaturizer implements Featurizer {
  readonly kind = 'lexicon';
  readonly dense = true;
  readonly dim = LEXICON_FEATURES.length;
  readonly config: LexiconSettings;
  private readonly table: LexiconTable;
  private readonly rules: ScoreRules;
  private readonly scratch = new Float32Array(LEXICON_FEATURES.length);
  private readonly sparse = { indices: new Int32Array(LEXICON_FEATURES.length), values: new Float32Array(LEXICON_FEATURES.length) };

  constructor(settings: Record<string, unknown> = {}) {
    const parsed = LexiconSettings.safeParse(settings);
    if (!parsed.success) throw settingsError('lexicon', parsed.error);
    this.table = loadLexicon();
    if (parsed.data.lexiconHash !== undefined && parsed.data.lexiconHash !== this.table.hash) {
      throw new Error(`lexicon featurizer: the model was trained with lexicon ${parsed.data.lexiconHash}, the installed vader-sentiment has ${this.table.hash}; retrain the model or install the version it was trained with`);
    }
    this.config = { ...parsed.data, lexiconHash: this.table.hash };
    this.rules = this.config;
  }

  settings(): Record<string, unknown> {
    return { ...this.config };
  }

  /** The raw lexicon pass, for callers that want the numbers rather than a vector. */
  stats(text: string): LexiconStats {
    return scoreText(text, this.table, this.rules);
  }

  transform(text: string): SparseVector {
    const v = this.transformScratch(text);
    return { indices: v.indices.slice(), values: v.values.slice() };
  }

  /** `transform` into arrays this featurizer reuses: valid until its next call. */
  transformScratch(text: string): SparseVector {
    const out = this.scratch;
    statsToFeatures(scoreText(text, this.table, this.rules), out);
    const { indices, values } = this.sparse;
    let n = 0;
    for (let i = 0; i < out.length; i++) {
      if (out[i] !== 0) { indices[n] = i; values[n] = out[i] * this.config.scale; n++; }
    }
    return { indices: indices.subarray(0, n), values: values.subarray(0, n) };
  }
}

/** Registry entry point: `{ kind: 'lexicon', settings }` in a manifest. */
export const factory: FeaturizerFactory = async (settings) => new LexiconFeaturizer(settings);
