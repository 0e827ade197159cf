import type { Contribution } from './types.js';
import type { CompositeFeaturizer } from './featurizers/composite.js';
import type { LinearModel } from './classifier/linear.js';
import { normalize, tokenize } from './featurizers/normalize.js';

/**
 * Why the model chose `winner` over `runnerUp`, in logit units (positive = pushed towards
 * the winner), strongest first.
 * - Sparse blocks with `terms()`: exact, since the model is linear: value x (w[winner] - w[runnerUp])
 *   per term, summed over repeated terms.
 * - Dense blocks: occlusion: the drop of the winner-vs-runner-up logit margin when one word is
 *   removed from the text, reported as "[kind] word".
 *
 * @example explain(features, model, 'where is my refund', 3, 7, 5)
 * // [{ feature: 'w:refund', weight: 1.92 }, { feature: 'c:fun', weight: 0.41 }, ...]
 */
export function explain(
  features: CompositeFeaturizer, model: LinearModel, text: string,
  winner: number, runnerUp: number, topN = 10,
): Contribution[] {
  const byTerm = new Map<string, number>();
  const denseKinds: string[] = [];
  features.blocks.forEach((block, k) => {
    if (block.dense || !block.terms) { denseKinds.push(block.kind); return; }
    const offset = features.offsets[k];
    for (const t of block.terms(text)) {
      const f = t.index + offset;
      const w = t.value * (model.weight(f, winner) - model.weight(f, runnerUp));
      byTerm.set(t.term, (byTerm.get(t.term) ?? 0) + w);
    }
  });
  if (denseKinds.length > 0) {
    for (const [word, drop] of occlusion(features, model, text, winner, runnerUp)) {
      byTerm.set(`[${denseKinds.join('+')}] ${word}`, drop);
    }
  }
  return [...byTerm]
    .map(([feature, weight]) => ({ feature, weight }))
    .filter((c) => c.weight !== 0)
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, topN);
}

/** Logit margin winner - runnerUp of a text under the whole (sparse + dense) model. */
export function logitMargin(features: CompositeFeaturizer, model: LinearModel, text: string, winner: number, runnerUp: number): number {
  const z = model.scores(features.transform(text));
  return z[winner] - z[runnerUp];
}

/**
 * Occlusion of each distinct word. Measures the whole model, so for a mixed model the
 * sparse part of a word is counted again here; kept separate by its "[kind]" prefix.
 */
function occlusion(features: CompositeFeaturizer, model: LinearModel, text: string, winner: number, runnerUp: number): Map<string, number> {
  const full = logitMargin(features, model, text, winner, runnerUp);
  const result = new Map<string, number>();
  for (const [word, rest] of occlusions(text)) result.set(word, full - logitMargin(features, model, rest, winner, runnerUp));
  return result;
}

/** Each distinct word of `text` with the text without it. */
function occlusions(text: string): Array<[string, string]> {
  const words = tokenize(normalize(text));
  return [...new Set(words)].map((word) => [word, words.filter((w) => w !== word).join(' ')]);
}

/** Every text an occlusion explanation of `text` featurizes (to prepare asynchronous featurizers). */
export function occlusionTexts(text: string): string[] {
  return [text, ...occlusions(text).map(([, rest]) => rest)];
}
