import path from 'node:path';
import { loadModel, readCurrent, resolveModel } from '../nlu/index.js';
import type { TextClassifier } from '../nlu/types.js';

/** The intent and sentiment models a turn runs on, taken together so one turn never mixes versions. */
export interface ModelPair {
  intent: TextClassifier;
  sentiment: TextClassifier;
  versions: { intent: string; sentiment: string };
}

/**
 * Holds the serving models and swaps them atomically. A turn calls `current()` once at its
 * start and keeps that pair: a reload in the middle of a turn changes nothing for it, and
 * the next turn gets the new pair.
 *
 * @example
 * const models = await ModelsHolder.open('models');
 * const { intent } = models.current();
 * await models.reload(); // after `parley models promote`
 */
export class ModelsHolder {
  private pair: ModelPair;
  /** The folder names current.json gave when `pair` was loaded (what reload compares against). */
  private pointer: { intent?: string; sentiment?: string } = {};
  private reloading: Promise<boolean> | undefined;
  /** The last earlier pair loaded to explain old predictions (see `pairOf`). */
  private earlier: { key: string; pair: Promise<ModelPair | undefined> } | undefined;

  private constructor(private readonly modelsDir: string, pair: ModelPair) {
    this.pair = pair;
  }

  /** Loads the versions named by `<modelsDir>/current.json`. Throws when one is missing. */
  static async open(modelsDir: string): Promise<ModelsHolder> {
    const pointer = await readCurrent(modelsDir);
    const holder = new ModelsHolder(modelsDir, await loadPair(modelsDir));
    holder.pointer = { intent: pointer.intent, sentiment: pointer.sentiment };
    return holder;
  }

  /** Wraps models already in memory (tests, a freshly trained candidate). */
  static of(pair: ModelPair, modelsDir = 'models'): ModelsHolder {
    return new ModelsHolder(modelsDir, pair);
  }

  current(): ModelPair {
    return this.pair;
  }

  /**
   * The pair that made an earlier prediction, so it can be explained exactly: the serving pair
   * when the versions match, else those versions read from the models folder (every version
   * stays on disk; the last such pair is kept). Undefined when a version is gone.
   */
  pairOf(versions: { intent: string; sentiment: string }): Promise<ModelPair | undefined> {
    const now = this.pair;
    if (now.versions.intent === versions.intent && now.versions.sentiment === versions.sentiment) return Promise.resolve(now);
    const key = `${versions.intent}\0${versions.sentiment}`;
    if (this.earlier?.key !== key) {
      const load = (version: string, serving: TextClassifier, servingVersion: string) =>
        version === servingVersion ? Promise.resolve(serving) : loadModel(path.join(this.modelsDir, version));
      const pair = Promise.all([load(versions.intent, now.intent, now.versions.intent), load(versions.sentiment, now.sentiment, now.versions.sentiment)])
        .then(([intent, sentiment]): ModelPair => ({ intent, sentiment, versions: { ...versions } }))
        .catch(() => undefined);
      this.earlier = { key, pair };
    }
    return this.earlier.pair;
  }

  /**
   * Re-reads current.json and swaps in the versions it names when they differ from the
   * serving ones. Returns whether anything changed. Concurrent calls share one reload;
   * on failure the old models keep serving and the error is thrown.
   */
  reload(): Promise<boolean> {
    this.reloading ??= (async () => {
      try {
        const current = await readCurrent(this.modelsDir);
        if (current.intent === this.pointer.intent && current.sentiment === this.pointer.sentiment) return false;
        // Load completely before swapping: turns keep the old pair until the new one is ready.
        this.pair = await loadPair(this.modelsDir);
        this.pointer = { intent: current.intent, sentiment: current.sentiment };
        return true;
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }
}

async function loadPair(modelsDir: string): Promise<ModelPair> {
  const load = async (task: 'intent' | 'sentiment') => loadModel(await resolveModel(modelsDir, task));
  const [intent, sentiment] = await Promise.all([load('intent'), load('sentiment')]);
  if (intent.manifest.task !== 'intent') throw new Error(`${intent.manifest.version} is a ${intent.manifest.task} model; current.json "intent" must name an intent model`);
  if (sentiment.manifest.task !== 'sentiment') throw new Error(`${sentiment.manifest.version} is a ${sentiment.manifest.task} model; current.json "sentiment" must name a sentiment model`);
  return { intent, sentiment, versions: { intent: intent.manifest.version, sentiment: sentiment.manifest.version } };
}
