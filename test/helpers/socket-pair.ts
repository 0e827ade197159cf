import net from 'node:net';
import { afterEach } from 'vitest';

/** A loopback TCP pair: what one end writes, the other reads in a poll phase of this loop. */
export async function socketPair(onData: () => void): Promise<{ write(): void; close(): void }> {
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

/**
 * `socketPair` for the tests of one file, each pair closed after its test. Call at the top
 * level of the file.
 *
 * @example const openPair = socketPairs(); ... const p = await openPair(() => log.push('read'));
 */
export function socketPairs(): typeof socketPair {
  const open: Array<{ close(): void }> = [];
  afterEach(() => open.splice(0).forEach((p) => p.close()));
  return async (onData) => {
    const pair = await socketPair(onData);
    open.push(pair);
    return pair;
  };
}

/** Keeps the thread busy for `ms`: lets timers fall due and bytes arrive within one loop phase. */
export const spin = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};
