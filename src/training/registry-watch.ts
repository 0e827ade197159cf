import { watch, type FSWatcher } from 'node:fs';
import { readCurrent, type CurrentModels } from '../nlu/index.js';

export interface WatchCurrentOptions {
  /** Polling interval in ms: the fallback where fs.watch misses events (network disks, containers). Default 2000. */
  pollMs?: number;
  /** Background errors (an unreadable current.json); default: ignored until the next change. */
  onError?: (error: unknown) => void;
}

/**
 * Calls `onChange` whenever models/current.json names different versions than before
 * (a promotion, a rollback, a `parley train`), so a running server can swap models
 * without a restart. Watches the folder (writeCurrent replaces the file by a rename, which
 * a watch on the file itself would lose) and polls as a fallback; both only compare the
 * parsed content, so a change is reported once. Returns a function that stops watching.
 *
 * @example
 * const stop = await watchCurrent('models', (current) => models.reload());
 * // later: stop();
 */
export async function watchCurrent(modelsDir: string, onChange: (current: CurrentModels) => void | Promise<void>, { pollMs = 2000, onError = () => {} }: WatchCurrentOptions = {}): Promise<() => void> {
  let last = JSON.stringify(await readCurrent(modelsDir).catch(() => ({})));
  let checking: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const check = (): void => {
    if (stopped) return;
    // Coalesce bursts (a rename fires several events): one check at a time, one more after it.
    if (checking) { again = true; return; }
    checking = (async () => {
      try {
        const current = await readCurrent(modelsDir);
        const text = JSON.stringify(current);
        if (text !== last && !stopped) {
          await onChange(current);
          // Only once handled: a failed swap (half-copied folder) is retried at the next poll.
          last = text;
        }
      } catch (error) {
        onError(error);
      } finally {
        checking = undefined;
        if (again) { again = false; check(); }
      }
    })();
  };

  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(modelsDir, { persistent: false }, (_event, file) => {
      if (!file || String(file).startsWith('current.json')) check();
    });
    watcher.on('error', (error) => onError(error));
  } catch (error) {
    onError(error); // no watch support here: polling alone still works
  }
  const timer = setInterval(check, pollMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
    watcher?.close();
  };
}
