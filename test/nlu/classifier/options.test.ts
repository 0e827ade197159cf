import { describe, expect, it } from 'vitest';
import { autoPatience, autoStopOnDecline, declined } from '../../../src/nlu/classifier/options.js';

describe('early-stopping defaults', () => {
  it('waits fewer epochs on larger sets', () => {
    expect([500, 5_000, 15_000].map(autoPatience)).toEqual([4, 2, 1]);
  });

  it('stops on a clear decline only from 10,000 examples', () => {
    expect(autoStopOnDecline(9_999)).toBe(false);
    expect(autoStopOnDecline(15_000)).toBe(true);
  });

  it('calls a fall of more than one standard error of the best accuracy a decline', () => {
    // CLINC150's validation set: 3,100 examples, a standard error of about 0.5 points at 91%.
    expect(declined(0.9042, 0.9116, 3_100)).toBe(true);
    expect(declined(0.9090, 0.9116, 3_100)).toBe(false);
    // SNIPS's: 700 examples, one example (0.14 points) is noise.
    expect(declined(0.9843, 0.9857, 700)).toBe(false);
    expect(declined(0.9116, 0.9116, 3_100)).toBe(false);
  });
});
