/**
 * The frames a test socket received, and a wait for the one a test expects: shared by the
 * web chat client and the console client. Wakes up on every new frame (and on close), so a
 * test waits exactly as long as the server takes, up to a deadline.
 *
 * @example
 * const log = new FrameLog<Frame>();
 * ws.on('message', (d) => log.push(JSON.parse(String(d))));
 * const ack = await log.waitFor((f) => f.type === 'ack', { what: 'ack frame' });
 */
export class FrameLog<T> {
  readonly frames: T[] = [];
  private readonly waiters = new Set<() => void>();

  push(frame: T): void {
    this.frames.push(frame);
    this.wake();
  }

  /** Re-checks every waiter (e.g. when the socket closed). */
  wake(): void {
    this.waiters.forEach((w) => w());
  }

  /**
   * Resolves with the first frame from index `from` on that matches; rejects after
   * `timeoutMs`, or as soon as `closed()` says no frame can come any more.
   */
  async waitFor(match: (f: T) => boolean, { from = 0, timeoutMs = 3000, what = 'matching frame', closed = () => false }: { from?: number; timeoutMs?: number; what?: string; closed?: () => boolean } = {}): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find(match);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; got ${JSON.stringify(this.frames).slice(0, 2000)}`);
      if (closed()) throw new Error(`socket closed before a ${what}; got ${JSON.stringify(this.frames).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, Math.max(0, deadline - Date.now()) + 1);
        this.waiters.add(wake);
      });
    }
  }
}
