import { backoffDelay } from './backoff.js';
import type { ConnectionState, ServerFrame } from './types.js';

export interface ConnectionEvents {
  /** The socket is open: say hello. */
  open(): void;
  frame(frame: ServerFrame): void;
  state(state: ConnectionState, retryInMs?: number): void;
}

/** The server closes idle sockets with this code: come back only when the customer does something. */
const CLOSE_IDLE = 4000;
const PING_EVERY_MS = 25_000;
const PONG_WITHIN_MS = 10_000;

/**
 * A WebSocket that comes back: exponential backoff with jitter, an application ping so a
 * dead network is noticed (a phone switching cells never gets a close frame), and a
 * reconnect as soon as the browser says it is online again.
 */
export class Connection {
  private ws: WebSocket | undefined;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pongTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  state: ConnectionState = 'offline';
  /** Send application pings (see ChatSession.setActive). */
  keepalive = false;

  constructor(private readonly url: string, private readonly on: ConnectionEvents) {
    window.addEventListener('online', this.wake);
  }

  /** Connects (or reconnects now, skipping the backoff wait). */
  start(): void {
    this.stopped = false;
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) return;
    clearTimeout(this.retryTimer);
    this.setState('connecting');
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      return this.scheduleRetry();
    }
    this.ws = ws;
    ws.onopen = () => {
      this.setState('online');
      this.pingTimer = setInterval(() => this.ping(), PING_EVERY_MS);
      this.on.open();
    };
    ws.onmessage = (event) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'pong') clearTimeout(this.pongTimer);
      if (frame.type === 'welcome') this.attempt = 0; // only a real welcome proves the server is back
      this.on.frame(frame);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      clearInterval(this.pingTimer);
      clearTimeout(this.pongTimer);
      if (this.stopped || event.code === CLOSE_IDLE) return this.setState('offline');
      this.scheduleRetry();
    };
  }

  send(frame: object): boolean {
    if (this.state !== 'online' || !this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /** Drops the socket and reconnects at once (after a refused resume token, for instance). */
  restart(): void {
    this.drop();
    this.attempt = 0;
    this.start();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.drop();
    this.setState('offline');
  }

  destroy(): void {
    this.stop();
    window.removeEventListener('online', this.wake);
  }

  private readonly wake = (): void => {
    if (!this.stopped && this.state !== 'online') {
      this.attempt = 0;
      this.start();
    }
  };

  private ping(): void {
    if (!this.keepalive || !this.send({ type: 'ping' })) return;
    clearTimeout(this.pongTimer);
    this.pongTimer = setTimeout(() => {
      // No pong: the network is gone even though the socket looks open.
      this.ws?.close();
    }, PONG_WITHIN_MS);
  }

  private drop(): void {
    const ws = this.ws;
    this.ws = undefined;
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    if (ws) {
      ws.onclose = null;
      ws.close();
    }
  }

  private scheduleRetry(): void {
    const delay = backoffDelay(this.attempt++);
    this.setState('offline', delay);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.start(), delay);
  }

  private setState(state: ConnectionState, retryInMs?: number): void {
    this.state = state;
    this.on.state(state, retryInMs);
  }
}
