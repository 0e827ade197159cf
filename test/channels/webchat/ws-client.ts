import { WebSocket } from 'ws';
import type { ServerFrame } from '../../../src/channels/webchat/protocol.js';
import { FrameLog } from '../../helpers/frame-log.js';

/**
 * A tiny protocol client for server tests: records every frame, waits for the one a test
 * expects, and reports how the socket closed.
 */
export class TestClient {
  private readonly log = new FrameLog<ServerFrame>();
  readonly frames: ServerFrame[] = this.log.frames;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => this.log.push(JSON.parse(data.toString()) as ServerFrame));
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      this.log.wake();
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
    const found = await this.log.waitFor((f) => f.type === type && match(f as Extract<ServerFrame, { type: T }>), {
      from, timeoutMs, what: `${type} frame`, closed: () => this.ws.readyState === WebSocket.CLOSED,
    });
    return found as Extract<ServerFrame, { type: T }>;
  }

  messages(): Array<Extract<ServerFrame, { type: 'message' }>> {
    return this.frames.filter((f): f is Extract<ServerFrame, { type: 'message' }> => f.type === 'message');
  }

  close(): void {
    this.ws.close();
  }
}
