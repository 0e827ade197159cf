import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Store } from '../store/types.js';

/**
 * The store the CLI's console verbs (agents) write to: the same one `parley serve` reads,
 * chosen by the same environment variables.
 */
const Env = z.object({
  PARLEY_STORE: z.enum(['sqlite', 'redis']).default('sqlite'),
  PARLEY_DATA_DIR: z.string().min(1).default('./data'),
  PARLEY_REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  PARLEY_REDIS_PREFIX: z.string().default('parley:'),
});

export async function withCliStore<T>(run: (store: Store) => Promise<T>): Promise<T> {
  const env = Env.parse(process.env);
  const { openStore } = await import('../store/index.js');
  let store: Store;
  if (env.PARLEY_STORE === 'redis') store = await openStore({ kind: 'redis', url: env.PARLEY_REDIS_URL, prefix: env.PARLEY_REDIS_PREFIX });
  else {
    mkdirSync(env.PARLEY_DATA_DIR, { recursive: true });
    store = await openStore({ kind: 'sqlite', file: path.resolve(env.PARLEY_DATA_DIR, 'parley.sqlite') });
  }
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}
