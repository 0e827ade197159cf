/**
 * A token bucket: `capacity` tokens, refilled continuously at `refillPerSecond`. A burst of
 * `capacity` frames passes, then one every 1/refillPerSecond seconds. Pure apart from the
 * clock, which is injected so tests control time.
 *
 * @example
 * const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 1 }, () => t);
 * bucket.take(); bucket.take(); bucket.take() // => true, true, false
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly settings: { capacity: number; refillPerSecond: number },
    private readonly now: () => number = Date.now,
  ) {
    if (!(settings.capacity >= 1) || !(settings.refillPerSecond >= 0)) {
      throw new Error(`token bucket needs capacity >= 1 and refillPerSecond >= 0 (got ${settings.capacity}, ${settings.refillPerSecond})`);
    }
    this.tokens = settings.capacity;
    this.last = now();
  }

  /** Takes `cost` tokens if available. Returns false (and takes nothing) otherwise. */
  take(cost = 1): boolean {
    this.refill();
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Tokens available right now (fractional). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const t = this.now();
    // A clock that goes backwards (NTP step) must not drain or overfill the bucket.
    const elapsed = Math.max(0, t - this.last) / 1000;
    this.last = t;
    this.tokens = Math.min(this.settings.capacity, this.tokens + elapsed * this.settings.refillPerSecond);
  }
}
