import type { Featurizer, FeaturizerFactory } from '../types.js';
import { factory as ngramsFactory } from './ngrams.js';

/** A featurizer as the manifest names it. */
export interface FeaturizerSpec {
  kind: string;
  settings?: Record<string, unknown>;
}

const factories = new Map<string, FeaturizerFactory>([['ngrams', ngramsFactory]]);

// Optional featurizers live in their own modules (heavy dependencies, large files) and are
// imported only when a model asks for them.
const lazyModules: Record<string, { load: () => Promise<{ factory?: FeaturizerFactory }>; enable: string }> = {
  wordvectors: {
    load: () => import('./wordvectors.js' as string),
    enable: 'it needs src/nlu/featurizers/wordvectors.ts and the word vectors package (see the README, "Word vectors")',
  },
  encoder: {
    load: () => import('./encoder.js' as string),
    enable: 'it needs src/nlu/featurizers/encoder.ts and @huggingface/transformers with a local model folder (see the README, "Encoder")',
  },
  lexicon: {
    load: () => import('./lexicon.js' as string),
    enable: 'it needs src/nlu/featurizers/lexicon.ts (see the README, "Lexicon")',
  },
};

/**
 * Makes a featurizer kind available to `createFeaturizer` (and so to training and loading).
 *
 * @example registerFeaturizer('mine', async (settings) => new MyFeaturizer(settings));
 */
export function registerFeaturizer(kind: string, factory: FeaturizerFactory): void {
  factories.set(kind, factory);
}

/** Kinds registered so far (the lazy ones appear once loaded). */
export function featurizerKinds(): string[] {
  return [...factories.keys()];
}

/**
 * Builds a featurizer from its spec; with `modelDir`, it reads its saved state from there.
 *
 * @example const f = await createFeaturizer({ kind: 'ngrams', settings: { dim: 65536 } }, {});
 */
export async function createFeaturizer(spec: FeaturizerSpec, context: { modelDir?: string } = {}): Promise<Featurizer> {
  const factory = factories.get(spec.kind) ?? (await loadLazy(spec.kind));
  return factory(spec.settings ?? {}, context);
}

async function loadLazy(kind: string): Promise<FeaturizerFactory> {
  const lazy = lazyModules[kind];
  if (!lazy) {
    throw new Error(`unknown featurizer kind '${kind}'; known kinds: ${[...factories.keys(), ...Object.keys(lazyModules)].join(', ')}`);
  }
  let mod: { factory?: FeaturizerFactory };
  try {
    mod = await lazy.load();
  } catch (cause) {
    throw new Error(`featurizer '${kind}' is not available: ${lazy.enable} (${(cause as Error).message})`, { cause });
  }
  if (typeof mod.factory !== 'function') throw new Error(`featurizer module for '${kind}' does not export 'factory'`);
  factories.set(kind, mod.factory);
  return mod.factory;
}
