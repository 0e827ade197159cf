import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../../src/channels/webchat/rate-limit.js';

describe('TokenBucket', () => {
  it('lets a burst of `capacity` through, then refuses', () => {
    let t = 0;
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 1 }, () => t);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
  });

  it('refills at the given rate and never above capacity', () => {
    let t = 0;
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 2 }, () => t);
    bucket.take();
    bucket.take();
    t = 250; // half a token
    expect(bucket.take()).toBe(false);
    t = 500; // one token
    expect(bucket.take()).toBe(true);
    t = 60_000;
    expect(bucket.available()).toBe(2);
  });

  it('a refused take costs nothing', () => {
    let t = 0;
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 1 }, () => t);
    bucket.take();
    expect(bucket.take()).toBe(false);
    t = 1000;
    expect(bucket.take()).toBe(true);
  });

  it('ignores a clock that steps backwards', () => {
    let t = 10_000;
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 1 }, () => t);
    bucket.take();
    t = 0;
    expect(bucket.take()).toBe(false);
    t = 1000;
    expect(bucket.take()).toBe(true);
  });

  it('refuses nonsense settings', () => {
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 })).toThrow(/capacity >= 1/);
  });
});
