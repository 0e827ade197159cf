import { describe, expect, it } from 'vitest';
import { endOfPhase } from '../../src/loop/end-of-phase.js';
import { socketPairs, spin } from '../helpers/socket-pair.js';

const openPair = socketPairs();

describe('endOfPhase', () => {
  it('runs once, and when asked during the check phase, before the next poll phase reads sockets', async () => {
    const log: string[] = [];
    const p = await openPair(() => log.push('read'));
    let runs = 0;
    await new Promise<void>((done) => {
      setImmediate(() => {
        // In the check phase now. setImmediate alone would run after the read below.
        endOfPhase(() => {
          runs++;
          log.push('ran');
        });
        p.write();
        spin(3); // the timer is due and the byte has arrived before this phase ends
        setTimeout(done, 20);
      });
    });
    expect(log).toEqual(['ran', 'read']);
    expect(runs).toBe(1);
  });
});
