import { describe, expect, it } from 'vitest';
import { TurnPump } from '../../src/bot/turn-pump.js';
import { socketPairs } from '../helpers/socket-pair.js';

const openPair = socketPairs();

describe('TurnPump', () => {
  it('starts turns in ticket order, a slice per loop phase, with socket reads between the slices', async () => {
    const log: string[] = [];
    const p = await openPair(() => log.push('read'));
    const pump = new TurnPump(10);
    const turns = Array.from({ length: 30 }, (_, i) =>
      pump.ticket().then(() => {
        log.push(`t${i}`);
        // The first turn makes a socket readable: its read must not wait for all 30 turns.
        if (i === 0) p.write();
      }));
    await Promise.all(turns);
    await new Promise((r) => setTimeout(r, 20));
    expect(log.filter((e) => e !== 'read')).toEqual(Array.from({ length: 30 }, (_, i) => `t${i}`));
    const readAt = log.indexOf('read');
    // Between two slices of 10: after the first, before the last.
    expect([10, 20]).toContain(readAt);
  });
});
