import type { ServerFrame } from './types.js';

/**
 * The live connection to `/console/ws`, reconnecting with a growing delay. The server
 * checks the session cookie and the Origin; a refused socket (signed out) stops retrying
 * after the page learns it is signed out.
 */
export class LiveSocket {
  private ws: WebSocket | undefined;
  private retry = 0;
  private stopped = false;
  private watching: string | null = null;

  constructor(private readonly onFrame: (frame: ServerFrame) => void, private readonly onState: (online: boolean) => void) {}

  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.ws?.close();
  }

  /** Which conversation to receive messages and typing for (one at a time). */
  watch(conversationId: string | null): void {
    this.watching = conversationId;
    this.send({ type: 'watch', conversationId });
  }

  typing(conversationId: string, on: boolean): void {
    this.send({ type: 'typing', conversationId, on });
  }

  private send(frame: unknown): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private open(): void {
    const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/console/ws`;
    const ws = new WebSocket(url);
    this.ws = ws;
    ws.onopen = () => {
      this.retry = 0;
      this.onState(true);
      if (this.watching) this.send({ type: 'watch', conversationId: this.watching });
    };
    ws.onmessage = (event) => {
      try {
        this.onFrame(JSON.parse(String(event.data)) as ServerFrame);
      } catch {
        // a frame we cannot read is skipped; the next queue push brings us up to date
      }
    };
    ws.onclose = () => {
      this.onState(false);
      if (this.stopped) return;
      const delay = Math.min(10_000, 500 * 2 ** this.retry++);
      setTimeout(() => !this.stopped && this.open(), delay);
    };
  }
}
