import net from 'node:net';

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

/** Keeps the thread busy for `ms`: lets timers fall due and bytes arrive within one loop phase. */
export const spin = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};
