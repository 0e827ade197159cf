import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Store } from '../store/types.js';
import { loadConfig } from '../server/config.js';
import { UserError } from '../cli/user-error.js';

/**
 * The store the CLI's console verbs (agents) write to: the same one `parley serve` opens,
 * chosen by the same variables (STORE, PARLEY_DATA_DIR, REDIS_URL, REDIS_PREFIX).
 * Used by the agents and privacy verbs.
 */
export async function withCliStore<T>(run: (store: Store) => Promise<T>, { mustExist = false } = {}): Promise<T> {
  // The session secret is the server's business: managing accounts must not need it.
  const config = loadConfig({ ...process.env, NODE_ENV: 'cli' });
  if (config.store.kind === 'sqlite') {
    // Verbs that only read or delete must not create an empty database to report that it holds nothing.
    if (mustExist && !existsSync(config.store.file)) {
      throw new UserError(`no data store at ${config.store.file} (set PARLEY_DATA_DIR to the folder the server uses)`);
    }
    mkdirSync(path.dirname(config.store.file), { recursive: true });
  }
  const { openStore } = await import('../store/index.js');
  const store = await openStore(config.store);
  try {
    return await run(store);
  } finally {
    await store.close();
  }
}
