import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConversationEngine } from '../../src/bot/engine.js';
import { ModelsHolder } from '../../src/bot/models.js';
import { responseCatalog, type ResponseCatalog } from '../../src/bot/responder.js';
import { ensureModels } from '../../src/server/ensure-models.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { loadIntents } from '../../src/training/intents.js';
import type { Activity } from '../../src/bot/activity.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const modelsDir = path.join(repoRoot, 'models');
export const intentsDir = path.join(repoRoot, 'intents');

let shared: Promise<{ models: ModelsHolder; catalog: ResponseCatalog }> | undefined;

/** The committed demo models (trained once if a fresh clone has none) and the demo responses, loaded once per test file. */
export function demoBot(): Promise<{ models: ModelsHolder; catalog: ResponseCatalog }> {
  shared ??= (async () => {
    await ensureModels(modelsDir, intentsDir);
    const [models, intents] = await Promise.all([ModelsHolder.open(modelsDir), loadIntents(intentsDir)]);
    return { models, catalog: responseCatalog(intents) };
  })();
  return shared;
}

/** A real SQLite store in a fresh temp folder. */
export async function tempStore(): Promise<{ store: Store; dir: string; file: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-bot-'));
  const file = path.join(dir, 'store.db');
  const store = await openStore({ kind: 'sqlite', file });
  return {
    store, dir, file,
    cleanup: async () => {
      await store.close().catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function newEngine(store: Store): Promise<ConversationEngine> {
  const { models, catalog } = await demoBot();
  return new ConversationEngine({ store, models, catalog });
}

let n = 0;
/** A customer message activity with a fresh id. */
export function customer(conversationId: string, text: string, id = `m${++n}-${Date.now()}`): Activity {
  return { id, conversationId, channel: 'test', role: 'customer', from: `${conversationId}-customer`, text, ts: Date.now() };
}

/** Accepts a customer message and waits for its turn. */
export async function say(engine: ConversationEngine, conversationId: string, text: string) {
  const activity = customer(conversationId, text);
  const done = engine.turnOf(activity.id);
  await engine.accept(activity);
  return done;
}
