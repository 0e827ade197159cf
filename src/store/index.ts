import { openRedisStore } from './redis.js';
import { openSqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export type StoreConfig =
  | { kind: 'sqlite'; file: string; synchronous?: 'normal' | 'full' }
  | { kind: 'redis'; url: string; prefix?: string };

export interface OpenStoreOptions {
  /** Background errors (Redis reconnects, throwing pub/sub handlers); default: a process warning. */
  onError?: (err: unknown) => void;
}

/**
 * Opens the configured store: SQLite (embedded, one server instance) or Redis (several
 * instances sharing state, pub/sub and the retraining lock). Throws StoreUnavailableError
 * when the backend cannot be opened or reached.
 *
 * @example
 * const store = await openStore({ kind: 'sqlite', file: 'data/parley.db' });
 * const shared = await openStore({ kind: 'redis', url: 'redis://127.0.0.1:6379', prefix: 'parley:' });
 */
export async function openStore(config: StoreConfig, { onError }: OpenStoreOptions = {}): Promise<Store> {
  switch (config.kind) {
    case 'sqlite':
      return openSqliteStore({ file: config.file, synchronous: config.synchronous, onError });
    case 'redis':
      return openRedisStore({ url: config.url, prefix: config.prefix, onError });
  }
}

export { openRedisStore, type RedisStoreOptions } from './redis.js';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite.js';
export { StoreNotFoundError, StoreUnavailableError } from './errors.js';
export type * from './types.js';
