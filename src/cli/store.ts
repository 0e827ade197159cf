import type { Store } from '../store/types.js';

/**
 * Opens the store `parley serve` uses, runs `run`, closes it. The store module is imported on
 * use, so `parley --help` and the verbs without a store never load a database driver.
 */
export async function withCliStore<T>(run: (store: Store) => Promise<T>, options?: { mustExist?: boolean }): Promise<T> {
  const { withCliStore: open } = await import('../console/cli-store.js');
  return open(run, options);
}
