import { WebSocket } from 'ws';
import type { ServerFrame } from '../../../src/channels/webchat/protocol.js';

/**
 * A tiny protocol client for server tests: records every frame, waits for the one a test
 * expects, and reports how the socket closed.
 */
export class TestClient {
  readonly frames: ServerFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as ServerFrame);
      this.waiters.forEach((w) => w());
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      this.waiters.forEach((w) => w());
    }));
  }

  static async connect(url: string): Promise<TestClient> {
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new TestClient(ws);
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Resolves with the first frame (from the start, or after `from`) that matches. */
  async next<T extends ServerFrame['type']>(type: T, match: (f: Extract<ServerFrame, { type: T }>) => boolean = () => true, from = 0, timeoutMs = 3000): Promise<Extract<ServerFrame, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find((f): f is Extract<ServerFrame, { type: T }> => f.type === type && match(f as Extract<ServerFrame, { type: T }>));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${type} frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`);
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed before a ${type} frame; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(t);
          this.waiters.delete(wake);
          resolve();
        };
        const t = setTimeout(wake, Math.max(0, deadline - Date.now()) + 1);
        this.waiters.add(wake);
      });
    }
  }

  messages(): Array<Extract<ServerFrame, { type: 'message' }>> {
    return this.frames.filter((f): f is Extract<ServerFrame, { type: 'message' }> => f.type === 'message');
  }

  close(): void {
    this.ws.close();
  }
}
