import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface CheckpointerOptions {
  /** How often to checkpoint (default 200 ms). */
  intervalMs?: number;
  /** A failed checkpoint, or the thread failing. */
  onError: (err: unknown) => void;
  /** The thread ended without `close` (it failed): the caller checkpoints again itself. */
  onStopped: () => void;
  /** The SQLite driver module the thread loads (default: this project's better-sqlite3). */
  driver?: string;
}

export interface Checkpointer {
  /** Runs a last checkpoint and stops the thread. */
  close(): Promise<void>;
}

/**
 * The worker's code, plain CommonJS so it runs the same from TypeScript sources and from the
 * build: its own connection to the database file, a PASSIVE checkpoint every `intervalMs`.
 * PASSIVE copies what it can without waiting for (or blocking) the server's writes.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); }
  catch (error) { parentPort.postMessage({ error: String(error && error.message || error) }); }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * Moves WAL checkpoints off the server's thread. SQLite otherwise checkpoints inside the
 * commit that crosses 1,000 WAL pages: that commit then copies the pages into the database
 * file and waits for two fsyncs, and every turn in flight waits with it (under load, tens of
 * milliseconds several times a second, measured). The caller turns automatic checkpoints
 * off on its own connection (`PRAGMA wal_autocheckpoint = 0`); this thread keeps the WAL
 * short instead. The WAL holds committed transactions either way, so durability is the same.
 *
 * @example
 * db.pragma('wal_autocheckpoint = 0');
 * const checkpointer = startCheckpointer('data/parley.db', {
 *   onError: console.warn,
 *   onStopped: () => db.pragma('wal_autocheckpoint = 1000'), // back to SQLite's own
 * });
 * // ...
 * await checkpointer.close();
 */
export function startCheckpointer(file: string, options: CheckpointerOptions): Checkpointer {
  const { intervalMs = 200, onError, onStopped, driver = createRequire(import.meta.url).resolve('better-sqlite3') } = options;
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
  let closing = false;
  worker.on('message', (message: { error?: string }) => {
    if (message.error) onError(new Error(`WAL checkpoint failed: ${message.error}`));
  });
  worker.on('error', (error) => onError(new Error(`the WAL checkpoint thread stopped: ${error.message}`, { cause: error })));
  // A thread that dies (it could not open the file, say) must not leave the WAL growing.
  worker.once('exit', () => { if (!closing) onStopped(); });
  // The thread never keeps the process alive on its own; `close` ends it properly. (After
  // the listeners: adding a 'message' listener refs the worker again.)
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async close() {
      closing = true;
      worker.ref(); // waited for now: an unref'd thread would let the process exit first
      worker.postMessage('close');
      await exited;
    },
  };
}
