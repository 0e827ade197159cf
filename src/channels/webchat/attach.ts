import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Engine } from '../../bot/engine-api.js';
import { resolveWebchatOptions, type WebchatOptions } from './options.js';
import { CloseCode, WebchatSession, type JoinInfo, type SessionRegistry } from './session.js';
import { WriteCoalescer } from './write-coalescer.js';

export interface WebchatHandle {
  /** Closes every widget socket (1001, the widgets reconnect elsewhere) and detaches. */
  close(): Promise<void>;
  /** Open widget sockets. */
  clients(): number;
}

export type AttachWebchatOptions = WebchatOptions & {
  /** Called when a socket joins a conversation, e.g. to store the page's customer attributes. */
  onJoin?: (info: JoinInfo) => void | Promise<void>;
};

/**
 * Serves the web chat protocol on `options.path` (default `/chat`) of an existing HTTP
 * server. Other upgrade paths are left to other handlers (the agent console has its own).
 *
 * @example
 * const webchat = attachWebchat(server, engine, { secret: config.webchatSecret });
 * // ... on shutdown
 * await webchat.close();
 */
export function attachWebchat(server: http.Server, engine: Engine, options: AttachWebchatOptions): WebchatHandle {
  const settings = { ...resolveWebchatOptions(options), onJoin: options.onJoin };
  const wss = new WebSocketServer({ noServer: true, maxPayload: settings.maxPayloadBytes, perMessageDeflate: false });
  const sessions = new Set<WebchatSession>();
  const coalescer = new WriteCoalescer();
  // Nearly every conversation is open in one tab: its one session is stored as is, and a Set
  // only once a second tab joins (a Set per idle socket is memory for nothing).
  const byConversation = new Map<string, WebchatSession | Set<WebchatSession>>();
  const each = (conversationId: string, fn: (session: WebchatSession) => void) => {
    const entry = byConversation.get(conversationId);
    if (entry instanceof Set) entry.forEach(fn);
    else if (entry) fn(entry);
  };

  const registry: SessionRegistry = {
    add(session) {
      const id = session.conversationId!;
      const entry = byConversation.get(id);
      if (!entry) byConversation.set(id, session);
      else if (entry instanceof Set) entry.add(session);
      else if (entry !== session) byConversation.set(id, new Set([entry, session]));
    },
    remove(session) {
      const id = session.conversationId!;
      const entry = byConversation.get(id);
      if (entry === session) byConversation.delete(id);
      else if (entry instanceof Set) {
        entry.delete(session);
        if (entry.size === 1) byConversation.set(id, entry.values().next().value!);
      }
    },
    closed(session) {
      sessions.delete(session);
    },
  };

  // One subscription per event for all sockets; a map lookup routes it.
  const unsubscribe = [
    engine.on('message', (m) => each(m.conversationId, (s) => s.onMessage(m))),
    engine.on('typing', (e) => each(e.conversationId, (s) => s.onTyping(e.role, e.on))),
    engine.on('transition', (t) => each(t.conversationId, (s) => s.onTransition(t))),
  ];

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (pathname !== settings.path) return; // someone else's WebSocket
    const origin = req.headers.origin;
    if (settings.allowedOrigins.length > 0 && (!origin || !settings.allowedOrigins.includes(origin))) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      settings.logger?.warn({ origin }, 'webchat upgrade refused: origin not allowed');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // The upgraded TCP socket is the one ws writes to: corking it batches our frames.
      sessions.add(new WebchatSession(ws, engine, settings, registry, { socket, coalescer }));
    });
  };
  server.on('upgrade', onUpgrade);

  // One sweep over the sockets for every deadline, instead of timers per socket (a timer is
  // about 180 bytes, and an idle server holds thousands of sockets): the hello and idle
  // deadlines each time, and every `keepaliveMs` the keepalive, which pings everyone and
  // drops whoever did not answer the previous ping (a phone that lost its network never
  // sends a close frame).
  const sweepMs = Math.min(expirySweepMs(settings), settings.keepaliveMs);
  let pingedAt = performance.now();
  const sweep = setInterval(() => {
    const now = performance.now();
    // Half a sweep of slack: with a keepalive a whole number of sweeps, the timer's drift
    // must not push each ping one sweep later.
    const pinging = now - pingedAt >= settings.keepaliveMs - sweepMs / 2;
    if (pinging) pingedAt = now;
    for (const session of sessions) {
      if (pinging) {
        if (!session.alive) {
          session.terminate();
          sessions.delete(session);
          continue;
        }
        session.alive = false;
        session.ping();
      }
      session.expire(now);
    }
  }, sweepMs);
  sweep.unref();

  return {
    clients: () => sessions.size,
    async close() {
      clearInterval(sweep);
      server.off('upgrade', onUpgrade);
      unsubscribe.forEach((off) => off());
      for (const session of sessions) session.close(CloseCode.shutdown, 'server shutting down');
      sessions.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/**
 * How often the hello and idle deadlines are checked: a quarter of the shorter one, so a
 * socket is closed at most a quarter late, and at least every 5 s (more often if the
 * keepalive is shorter still: the same sweep sends its pings).
 *
 * @example expirySweepMs({ helloTimeoutMs: 10_000, idleTimeoutMs: 300_000 }) // 2500
 */
export function expirySweepMs({ helloTimeoutMs, idleTimeoutMs }: { helloTimeoutMs: number; idleTimeoutMs: number }): number {
  return Math.max(10, Math.min(5000, Math.min(helloTimeoutMs, idleTimeoutMs) / 4));
}
