import type { TurnUnderstanding } from '../escalation/index.js';
import type { Prediction } from '../nlu/types.js';
import type { StoredUnderstanding } from '../store/types.js';
import type { ModelPair } from './models.js';

/** Labels the intent model may return that mean "not something the bot answers". */
const NOT_UNDERSTOOD = new Set(['fallback', 'oos']);
const SENTIMENTS = new Set(['negative', 'neutral', 'positive']);
const EXPLAIN_TOP = 8;

/** Everything the rest of a turn needs to know about one customer message. */
export interface Understanding {
  intent: Prediction;
  sentiment: Prediction;
  /** What the escalation policy reads. */
  turn: TurnUnderstanding;
  /** What is kept with the message (frustration is filled in once the state is advanced). */
  stored: StoredUnderstanding;
}

/**
 * Runs both classifiers on a customer message, with explanations unless `explain` is false
 * (then `stored.explanationPending` is set; `explainUnderstanding` fills it in later). Pure
 * given the models: the same text and model versions always give the same understanding.
 *
 * @example
 * const u = understand(models.current(), 'where is my order??');
 * u.stored.intent // 'order_status'; u.turn.negativeProbability // 0.31
 */
export function understand(models: ModelPair, text: string, { explain = true }: { explain?: boolean } = {}): Understanding {
  return assemble(models, text, explain, models.intent.predict(text, { explain, topK: INTENT_TOP }), models.sentiment.predict(text, { explain, topK: SENTIMENT_TOP }));
}

/**
 * `understand` for every kind of model: models with an asynchronous featurizer (a
 * transformers.js encoder) are run with `predictAsync`; the built-in ones stay synchronous.
 */
export async function understandAsync(models: ModelPair, text: string, { explain = true }: { explain?: boolean } = {}): Promise<Understanding> {
  if (!models.intent.async && !models.sentiment.async) return understand(models, text, { explain });
  const [intent, sentiment] = await Promise.all([
    models.intent.predictAsync(text, { explain, topK: INTENT_TOP }),
    models.sentiment.predictAsync(text, { explain, topK: SENTIMENT_TOP }),
  ]);
  return assemble(models, text, explain, intent, sentiment);
}

const INTENT_TOP = 5;
const SENTIMENT_TOP = 3;

function assemble(models: ModelPair, text: string, explain: boolean, intent: Prediction, sentiment: Prediction): Understanding {
  const p = (label: string) => sentiment.ranking.find((r) => r.label === label)?.confidence ?? 0;
  const negativeProbability = p('negative');
  const sentimentScore = p('positive') - negativeProbability;
  const fallback = intent.fallback || NOT_UNDERSTOOD.has(intent.label) || NOT_UNDERSTOOD.has(intent.top);
  const label = fallback ? 'fallback' : intent.label;
  const sentimentLabel = (SENTIMENTS.has(sentiment.top) ? sentiment.top : 'neutral') as TurnUnderstanding['sentiment'];
  const turn: TurnUnderstanding = {
    text,
    intent: label,
    intentConfidence: intent.confidence,
    fallback,
    sentiment: sentimentLabel,
    negativeProbability,
    sentimentScore,
  };
  const stored: StoredUnderstanding = {
    intent: label,
    intentConfidence: round(intent.confidence),
    fallback,
    // Ambiguity only matters between two real intents; a fallback is already "not sure".
    ambiguous: !fallback && intent.ambiguous,
    alternatives: intent.ranking.map((r) => ({ label: r.label, confidence: round(r.confidence) })),
    sentiment: sentimentLabel,
    sentimentScore: round(sentimentScore),
    sentimentConfidence: round(sentiment.confidence),
    explanation: {
      intent: (intent.explanation ?? []).slice(0, EXPLAIN_TOP).map(({ feature, weight }) => ({ feature, weight: round(weight) })),
      sentiment: (sentiment.explanation ?? []).slice(0, EXPLAIN_TOP).map(({ feature, weight }) => ({ feature, weight: round(weight) })),
    },
    modelVersions: { ...models.versions },
    ...(explain ? {} : { explanationPending: true as const }),
  };
  return { intent, sentiment, turn, stored };
}

/**
 * Fills in a pending explanation. Only the models that made the prediction can explain it:
 * when the serving versions differ from the stored ones (a model was promoted since), it
 * returns undefined and the understanding stays without an explanation.
 *
 * @example
 * const full = await explainUnderstanding(models.current(), message.text, message.understanding);
 */
export async function explainUnderstanding(models: ModelPair, text: string, stored: StoredUnderstanding): Promise<StoredUnderstanding | undefined> {
  if (!stored.explanationPending) return undefined;
  if (stored.modelVersions.intent !== models.versions.intent || stored.modelVersions.sentiment !== models.versions.sentiment) return undefined;
  const { explanationPending: _, ...rest } = stored;
  return { ...rest, explanation: (await understandAsync(models, text)).stored.explanation };
}

const round = (x: number): number => Math.round(x * 1e4) / 1e4;
