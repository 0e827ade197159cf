/**
 * Runs tasks one at a time per key and different keys concurrently: the turns of one
 * conversation happen strictly in order, other conversations are not held up.
 *
 * @example
 * const q = new TurnQueue();
 * q.run('conv-1', () => turn(a)); q.run('conv-1', () => turn(b)); // b starts after a ends
 * await q.idle();
 */
export class TurnQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Queues `task` behind the key's previous ones; resolves or rejects with the task's result. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    // The chain must survive a failing task, or one bad turn would block the conversation.
    const tail = result.then(() => undefined, () => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with queued or running work. */
  get size(): number {
    return this.tails.size;
  }

  /** Resolves once the tasks queued so far have finished (not those queued meanwhile). */
  async settled(): Promise<void> {
    await Promise.all(this.tails.values());
  }

  /** Resolves once every queued task (including ones queued while waiting) has finished. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
