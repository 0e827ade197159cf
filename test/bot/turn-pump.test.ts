import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TurnPump } from '../../src/bot/turn-pump.js';
import { endOfPhase } from '../../src/store/end-of-phase.js';

/** A loopback TCP pair: what one end writes, the other reads in a poll phase of this loop. */
async function socketPair(onData: () => void): Promise<{ write(): void; close(): void }> {
  let accepted!: net.Socket;
  const server = net.createServer((s) => {
    accepted = s;
    s.on('data', onData);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  await new Promise<void>((r) => client.once('connect', () => r()));
  while (!accepted) await new Promise((r) => setImmediate(r));
  return {
    write: () => void client.write('x'),
    close: () => {
      client.destroy();
      accepted.destroy();
      server.close();
    },
  };
}

const spin = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

let pair: { close(): void } | undefined;
afterEach(() => pair?.close());

describe('endOfPhase', () => {
  it('runs once, and when asked during the check phase, before the next poll phase reads sockets', async () => {
    const log: string[] = [];
    const p = await socketPair(() => log.push('read'));
    pair = p;
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

describe('TurnPump', () => {
  it('starts turns in ticket order, a slice per loop phase, with socket reads between the slices', async () => {
    const log: string[] = [];
    const p = await socketPair(() => log.push('read'));
    pair = p;
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
