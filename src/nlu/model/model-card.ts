import type { ModelManifest } from '../types.js';

const pct = (x: number | undefined): string => (typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');

const THRESHOLD_METHODS: Record<string, string> = {
  'oos-balanced': 'fitted on the held-out out-of-scope examples: in-scope accuracy + 0.5 x out-of-scope recall',
  percentile: 'a low percentile of the calibrated confidence of correct held-out answers; no or too few held-out out-of-scope examples to fit on',
  none: 'no held-out data',
};

/** MODEL_CARD.md for a model folder: data, procedure, metrics, calibration, intended use, limits. */
export function modelCard(m: ModelManifest): string {
  const c = m.classifier as Record<string, unknown>;
  const metric = (k: string) => m.metrics[k];
  const kinds = m.featurizers.map((f) => f.kind);
  const rows = Object.entries(m.metrics).map(([k, v]) => `| ${k} | ${Number.isInteger(v) ? v : v.toFixed(4)} |`).join('\n');
  return `# Model card: ${m.version}

## Model
- Task: **${m.task}** classification, ${m.labels.length} labels: ${m.labels.join(', ')}.
- Created: ${m.createdAt}${m.parent ? `; retrained from ${m.parent}` : ''}${m.feedbackIncluded ? `; includes ${m.feedbackIncluded} feedback examples` : ''}.
- Features: ${m.featurizers.map((f) => `\`${f.kind}\` ${JSON.stringify(f.settings)}`).join('; ')}.
- Classifier: multinomial logistic regression (softmax), ${c.optimizer ?? 'adam'}, learning rate ${c.learningRate}, L2 ${c.l2}, batch ${c.batchSize}, seed ${c.seed}; best epoch ${c.bestEpoch} of at most ${c.epochs} (early stopping, patience ${c.patience})${c.refit ? `, then refit on all examples for ${c.bestEpoch} epochs` : ''}.

## Data
- ${m.trainingExamples} training examples; data hash \`${m.dataHash}\` (SHA-256 of the sorted label/text pairs).
- Held-out examples used for early stopping, calibration and the threshold: ${metric('heldOutExamples') ?? 0}.

## Metrics (held-out data, not the training data)
| metric | value |
|---|---|
${rows}

## Calibration and decisions
- Temperature scaling: T = ${m.temperature.toFixed(3)}; expected calibration error (15 bins) ${pct(metric('eceBefore'))} before, ${pct(metric('eceAfter'))} after.
- Fallback threshold: ${m.fallbackThreshold.toFixed(3)} (${THRESHOLD_METHODS[String(c.thresholdMethod)] ?? String(c.thresholdMethod ?? 'n/a')}). Below it, or when the top label is \`oos\`, the result label is \`fallback\`; \`confidence\` always stays the real calibrated probability.
- Ambiguous when the top-2 probability margin is below ${m.ambiguityMargin}.

## Intended use
Routing customer messages of the bot this model was trained for (${m.task === 'intent' ? 'which intent' : 'how the customer feels'}), with a human agent as the fallback. Confidence and explanations are meant to be shown to agents.

## Limits
- Bag of word and character n-grams${kinds.includes('wordvectors') ? ' plus an averaged pretrained word vector (GloVe, English only)' : ''}${kinds.includes('lexicon') ? ' and a valence lexicon' : ''}: word order beyond bigrams, negation scope and sarcasm are weakly modelled.
- Only as good as the training examples: phrasings, languages and topics absent from them fall back or are misread.
- Calibration and the threshold were fitted on ${metric('heldOutExamples') ?? 0} held-out examples; with few of them they are rough.
- Not for decisions with legal or financial effect without a human in the loop.
`;
}
