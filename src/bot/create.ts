import type { EscalationPolicy } from '../escalation/index.js';
import type { Store } from '../store/types.js';
import { loadIntents } from '../training/intents.js';
import { ConversationEngine, type EngineLogger, type EngineObserver } from './engine.js';
import { ModelsHolder } from './models.js';
import { responseCatalog } from './responder.js';

export interface CreateEngineOptions {
  store: Store;
  modelsDir: string;
  intentsDir: string;
  policy?: EscalationPolicy;
  logger?: EngineLogger;
  observer?: EngineObserver;
  /** When messages are explained (default on-demand; see EngineOptions). */
  explanations?: 'on-demand' | 'every-turn';
  /** Already loaded models (e.g. shared by several engines in a test run). */
  models?: ModelsHolder;
}

/**
 * Wires an engine from folders: the current models from `modelsDir`, the responses from
 * `intentsDir`. Used by the server, `parley chat` and the conversation tests alike, so all
 * three run the very same bot.
 *
 * @example const engine = await createEngine({ store, modelsDir: 'models', intentsDir: 'intents' });
 */
export async function createEngine(options: CreateEngineOptions): Promise<ConversationEngine> {
  const [models, intents] = await Promise.all([options.models ?? ModelsHolder.open(options.modelsDir), loadIntents(options.intentsDir)]);
  return new ConversationEngine({
    store: options.store,
    models,
    catalog: responseCatalog(intents),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.observer ? { observer: options.observer } : {}),
    ...(options.explanations ? { explanations: options.explanations } : {}),
  });
}
