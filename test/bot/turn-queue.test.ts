import { describe, expect, it } from 'vitest';
import { TurnQueue } from '../../src/bot/turn-queue.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('TurnQueue', () => {
  it('runs tasks of one key in order, never two at once', async () => {
    const q = new TurnQueue();
    const log: string[] = [];
    let running = 0;
    const task = (name: string) => async () => {
      running++;
      expect(running).toBe(1);
      log.push(`start ${name}`);
      await tick();
      log.push(`end ${name}`);
      running--;
    };
    await Promise.all([q.run('a', task('1')), q.run('a', task('2')), q.run('a', task('3'))]);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('runs different keys concurrently', async () => {
    const q = new TurnQueue();
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const a = q.run('a', async () => { await blocked; order.push('a'); });
    await q.run('b', async () => { order.push('b'); });
    release();
    await a;
    expect(order).toEqual(['b', 'a']);
  });

  it('keeps going after a failing task and reports the failure to its caller', async () => {
    const q = new TurnQueue();
    await expect(q.run('a', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(q.run('a', async () => 42)).resolves.toBe(42);
    await q.idle();
    expect(q.size).toBe(0);
  });

  it('settled waits for the tasks queued so far, not for those queued meanwhile', async () => {
    const q = new TurnQueue();
    const log: string[] = [];
    let release!: () => void;
    const blocked = new Promise<void>((r) => (release = r));
    void q.run('a', async () => { await tick(); log.push('a'); });
    void q.run('b', async () => { await tick(); log.push('b'); });
    const settled = q.settled().then(() => log.push('settled'));
    void q.run('c', async () => { await blocked; log.push('c'); });
    await settled;
    expect(log).toEqual(['a', 'b', 'settled']);
    release();
    await q.idle();
    expect(log).toEqual(['a', 'b', 'settled', 'c']);
  });
});
