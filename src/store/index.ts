import type { Store } from './types.js';

export type StoreConfig =
  | { kind: 'sqlite'; file: string; synchronous?: 'normal' | 'full'; cacheMb?: number }
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
  // Each backend's driver is imported only when it is the one configured (the Redis client
  // alone is ~20 MB of a single-machine server's memory).
  switch (config.kind) {
    case 'sqlite': {
      const { openSqliteStore } = await import('./sqlite.js');
      return openSqliteStore({ file: config.file, synchronous: config.synchronous, cacheMb: config.cacheMb, onError });
    }
    case 'redis': {
      const { openRedisStore } = await import('./redis.js');
      return openRedisStore({ url: config.url, prefix: config.prefix, onError });
    }
  }
}

export type { RedisStoreOptions } from './redis.js';
export type { SqliteStoreOptions } from './sqlite.js';
export { StoreNotFoundError, StoreUnavailableError } from './errors.js';
export type * from './types.js';
