import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface CheckpointerOptions {
  /** How often to checkpoint while the thread runs, and to look for new writes (default 200 ms). */
  intervalMs?: number;
  /** The thread ends after this long without a write (default 2 s). */
  idleStopMs?: number;
  /**
   * The thread starts once the server's connection has changed this many rows within a second
   * (default 60, about ten customer turns). Sparser writes are left to SQLite's own checkpoint
   * (every 1,000 WAL pages, inside a commit: under light traffic once every few hundred
   * messages), which costs less than starting a thread for each quiet spell.
   */
  startRowsPerSecond?: number;
  /**
   * Rows the server's connection changed so far (SQLite's `total_changes()`): read on this
   * thread every `intervalMs` to see whether anything was written since the last look.
   */
  changes: () => number;
  /** A failed checkpoint, or the thread failing. */
  onError: (err: unknown) => void;
  /**
   * The thread started (true) or ended (false: idle, or failed). While it runs the caller
   * keeps SQLite's automatic checkpoints down to the WAL's bound; otherwise SQLite's own do the work.
   */
  onRunning: (running: boolean) => void;
  /** The SQLite driver module the thread loads (default: this project's better-sqlite3). */
  driver?: string;
}

export interface Checkpointer {
  /** Whether the thread is running now (it runs only while there are writes to copy). */
  readonly running: boolean;
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
 * down on its own connection (`PRAGMA wal_autocheckpoint = 25000`, a bound for writes that
 * never pause, see `walResetPages` in sqlite.ts); this thread keeps the WAL short instead.
 * The WAL holds committed transactions either way, so durability is the same.
 *
 * The thread is a second JavaScript runtime, about 10 MB of memory (measured: 136 against
 * 126 MB for a fresh server with it and without). It therefore runs only while there is
 * much to copy: it starts when the server's connection writes `startRowsPerSecond` or more
 * and ends after `idleStopMs` without a write, its last checkpoint having emptied the WAL.
 * That is 2 s by default (30 s until 2026-12): a server that has gone quiet gives the memory
 * back soon. With 10,000 idle connections opened after a load, 157-164 against 161-171 MB
 * (four runs each; 148-152 against 161-171 with MALLOC_ARENA_MAX=2 too, the bins' setting).
 * A thread started again costs about 100 ms of CPU (93-130 ms measured for a start, open,
 * checkpoint and end, both threads together). Until 2026-12 it started with any write: under
 * light traffic, a message every few seconds, nearly every message paid for a start (a
 * customer writing every 3 s for a minute: 3.9-4.1 s of server CPU then, 0.8 s now, with
 * the idle collector's growth check, src/server/idle-collector.ts).
 *
 * @example
 * const total = db.prepare('SELECT total_changes()').pluck();
 * const checkpointer = startCheckpointer('data/parley.db', {
 *   changes: () => total.get() as number,
 *   onError: console.warn,
 *   // While it runs, SQLite's own checkpoints only as a bound; otherwise every 1,000 pages.
 *   onRunning: (running) => db.pragma(`wal_autocheckpoint = ${running ? 25000 : 1000}`),
 * });
 * // ...
 * await checkpointer.close();
 */
export function startCheckpointer(file: string, options: CheckpointerOptions): Checkpointer {
  const { intervalMs = 200, idleStopMs = 2_000, startRowsPerSecond = 60, changes, onError, onRunning, driver = createRequire(import.meta.url).resolve('better-sqlite3') } = options;
  let worker: Worker | undefined;
  /** The thread asked to stop (idle, or `close`) and not yet ended. */
  let stopping: Promise<void> | undefined;
  let closed = false;
  let seen = changes();
  let lastWrite = Date.now();
  /** `changes()` at the looks of the last second, with their time: the rate the thread starts at. */
  const recent: Array<{ at: number; changes: number }> = [{ at: performance.now(), changes: seen }];

  const start = (): void => {
    const thread = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
    worker = thread;
    onRunning(true);
    thread.on('message', (message: { error?: string }) => {
      if (message.error) onError(new Error(`WAL checkpoint failed: ${message.error}`));
    });
    thread.on('error', (error) => onError(new Error(`the WAL checkpoint thread stopped: ${error.message}`, { cause: error })));
    thread.once('exit', () => {
      if (worker !== thread) return; // asked to stop: `stop` already let it go
      // A thread that dies (it could not open the file, say) must not leave the WAL growing.
      worker = undefined;
      clearInterval(timer);
      if (!closed) onRunning(false);
    });
    // The thread never keeps the process alive on its own; `close` ends it properly. (After
    // the listeners: adding a 'message' listener refs the worker again.)
    thread.unref();
  };

  const stop = (): Promise<void> => {
    const thread = worker;
    if (!thread) return stopping ?? Promise.resolve();
    worker = undefined;
    if (!closed) onRunning(false);
    const ended = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
    thread.ref(); // waited for now: an unref'd thread would let the process exit first
    thread.postMessage('close');
    const done: Promise<void> = ended.then(() => { if (stopping === done) stopping = undefined; });
    stopping = done;
    return done;
  };

  const look = (): void => {
    const now = changes();
    const at = performance.now();
    recent.push({ at, changes: now });
    // By time, not by count: looks that come late (a busy loop) still span one second.
    while (recent.length > 1 && recent[0].at < at - 1000) recent.shift();
    if (now !== seen) {
      seen = now;
      lastWrite = Date.now();
      // One thread at a time: a new one waits for the one still finishing its last checkpoint.
      if (!worker && now - recent[0].changes >= startRowsPerSecond) void (stopping ?? Promise.resolve()).then(() => { if (!worker && !closed) start(); });
    } else if (worker && Date.now() - lastWrite >= idleStopMs) {
      void stop();
    }
  };
  const timer = setInterval(look, intervalMs);
  timer.unref();

  return {
    get running() { return worker !== undefined; },
    async close() {
      closed = true;
      clearInterval(timer);
      await stop();
    },
  };
}
