import { WebSocketServer } from 'ws';

/**
 * The physical limit for bench/server.ts: a bare `ws` server that answers every frame
 * with the same frame. Plain JavaScript, run by plain `node` (no TypeScript loader, which
 * would add its own thread and memory). Prints its port on stdout, then runs until killed.
 */
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
wss.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
wss.on('listening', () => {
  const address = wss.address();
  process.stdout.write(`${typeof address === 'string' || !address ? address : address.port}\n`);
});
