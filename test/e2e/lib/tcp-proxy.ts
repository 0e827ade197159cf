import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1:0 in front of a server, to simulate a network that fails:
 * `cut()` drops every open connection (the browser sees its sockets die, as when a phone
 * loses signal), `offline()` also refuses new ones until `online()`. Works for any
 * protocol (HTTP, WebSocket) and any server, real or fake.
 *
 * @example
 * const proxy = await startTcpProxy(serverPort);
 * await page.goto(`http://127.0.0.1:${proxy.port}/`);
 * proxy.offline(); ... proxy.online();
 */
export interface TcpProxy {
  port: number;
  /** Connections currently open through the proxy. */
  connections(): number;
  cut(): void;
  offline(): void;
  online(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, targetHost);
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cut = () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => open.size / 2,
    cut,
    offline() {
      refusing = true;
      cut();
    },
    online() {
      refusing = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        cut();
        server.close(() => resolve());
      }),
  };
}
