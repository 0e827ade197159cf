import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { defaultPolicy } from '../escalation/policy.js';
import type { OwnershipTransition, StoredMessage } from '../store/types.js';
import type { ConsoleDeps } from './api.js';
import { readCookie, SESSION_COOKIE } from './auth/http.js';
import { endedSessions, readSessionByKey, sessionKey, type Session } from './auth/sessions.js';
import type { ConsoleSettings } from './options.js';
import { buildQueue, type QueueItem } from './queue.js';
import { toConsoleMessage, type ConsoleMessage } from './view.js';

/** Console socket path. */
export const CONSOLE_WS_PATH = '/console/ws';
/** Store pub/sub channel: "the queue changed", between server instances. */
const QUEUE_CHANNEL = 'console:queue';

/** Server -> console frames. */
export type ConsoleServerFrame =
  | { type: 'hello'; agent: { name: string; role: string } }
  | { type: 'queue'; queue: QueueItem[] }
  | { type: 'message'; conversationId: string; message: ConsoleMessage }
  | { type: 'typing'; conversationId: string; role: string; on: boolean }
  | { type: 'transition'; transition: OwnershipTransition }
  | { type: 'error'; message: string };

/** Console -> server frames: which conversation the agent looks at, and the agent typing. */
const ClientFrame = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('watch'), conversationId: z.string().min(1).max(200).nullable() }),
  z.strictObject({ type: z.literal('typing'), conversationId: z.string().min(1).max(200), on: z.boolean() }),
  z.strictObject({ type: z.literal('ping') }),
]);

export interface ConsoleSocketHandle {
  /** Distinct agents with an open console. */
  agentsOnline(): number;
  /** Sends every instance's agents the current queue (after a change the engine did not announce). */
  refreshQueue(): void;
  close(): Promise<void>;
}

interface Client {
  ws: WebSocket;
  session: Session;
  /** The session's store key: sign-out anywhere ends this socket. */
  key: string;
  watching: string | null;
  alive: boolean;
}

/** Is this Origin the server itself (or an allowed one)? Browsers always send Origin on WebSocket upgrades. */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return false;
  if (allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * The console's live channel at `/console/ws`: pushes the queue to every signed-in agent on
 * every change, and the messages, typing and ownership changes of the conversation each
 * agent is looking at. Refuses upgrades without a session (401) or from another origin
 * (403): the session cookie alone must not let another site open it.
 */
export function attachConsoleSocket(server: http.Server, deps: ConsoleDeps, settings: ConsoleSettings): ConsoleSocketHandle {
  const { store, engine } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024, perMessageDeflate: false });
  const clients = new Set<Client>();
  // Who looks at which conversation: an engine event reaches its watchers without a walk
  // over every signed-in agent (most messages are in chats nobody watches).
  const watchers = new Map<string, Set<Client>>();
  const watch = (c: Client, conversationId: string | null) => {
    if (c.watching) {
      const set = watchers.get(c.watching);
      set?.delete(c);
      if (set?.size === 0) watchers.delete(c.watching);
    }
    c.watching = conversationId;
    if (conversationId) {
      const set = watchers.get(conversationId) ?? new Set<Client>();
      watchers.set(conversationId, set.add(c));
    }
  };
  /** A console gone (closed, signed out, not answering): it no longer watches, nor types. */
  const drop = (c: Client) => {
    if (!clients.delete(c)) return;
    const watching = c.watching;
    watch(c, null);
    if (watching) engine.typing(watching, 'agent', false);
  };

  /** A frame already serialised: one JSON.stringify for all the clients it goes to. */
  const sendText = (c: Client, text: string) => {
    if (c.ws.readyState === c.ws.OPEN && c.ws.bufferedAmount < 4 * 1024 * 1024) c.ws.send(text);
  };
  const send = (c: Client, frame: ConsoleServerFrame) => sendText(c, JSON.stringify(frame));
  let queueTimer: NodeJS.Timeout | undefined;
  let lastQueue = '';
  const pushQueue = async (force = false) => {
    // Nobody to tell: no read. The next agent to connect gets a fresh queue (force).
    if (clients.size === 0) return void (lastQueue = '');
    const queue = buildQueue(await store.listConversations({ owner: ['queued', 'agent'] }), Date.now(), deps.policy ?? defaultPolicy);
    const text = JSON.stringify({ type: 'queue', queue } satisfies ConsoleServerFrame);
    if (!force && text === lastQueue) return;
    lastQueue = text;
    for (const c of clients) sendText(c, text);
  };
  // Many events arrive in bursts (a transition, then messages): one queue read per burst.
  const scheduleQueue = () => {
    if (queueTimer || clients.size === 0) return;
    queueTimer = setTimeout(() => {
      queueTimer = undefined;
      pushQueue().catch((error) => deps.logger?.warn({ err: error }, 'console queue push failed'));
    }, 50);
  };
  // A change the engine does not announce (`refreshQueue`): a ping on the store's pub/sub
  // makes every instance re-read the queue.
  const queueChanged = () => {
    scheduleQueue();
    store.publish(QUEUE_CHANNEL, { at: Date.now() }).catch((error) => deps.logger?.warn({ err: error }, 'console queue ping failed'));
  };
  const remote = store.subscribe(QUEUE_CHANNEL, () => scheduleQueue()).catch((error) => {
    deps.logger?.warn({ err: error }, 'console queue subscription failed; the queue refreshes periodically');
    return undefined;
  });
  const watched = (conversationId: string) => watchers.has(conversationId);
  /** The frame is built only when someone watches the conversation. */
  const toWatchers = (conversationId: string, frame: () => ConsoleServerFrame) => {
    const set = watchers.get(conversationId);
    if (!set) return;
    const text = JSON.stringify(frame());
    for (const c of set) sendText(c, text);
  };

  const onMessage = (m: StoredMessage) => toWatchers(m.conversationId, () => ({ type: 'message', conversationId: m.conversationId, message: toConsoleMessage(m) }));
  // A finished turn (on this instance or, relayed, on another) attached the understanding:
  // watchers get the message again with it. It may also have changed the queue priority.
  const onTurn = (t: { conversationId: string; messageId: string }) => {
    scheduleQueue();
    if (!watched(t.conversationId)) return;
    // Someone watches: a message the bot handled alone is explained now.
    Promise.resolve(deps.explain?.(t.conversationId))
      .then(() => store.getMessage(t.conversationId, t.messageId))
      .then((full) => {
        if (full?.understanding) toWatchers(t.conversationId, () => ({ type: 'message', conversationId: t.conversationId, message: toConsoleMessage(full) }));
      })
      .catch((error) => deps.logger?.warn({ err: error }, 'console understanding push failed'));
  };
  // Engine events arrive from every instance (the engine relays them), so a transition or
  // a turn anywhere makes each instance re-read the queue itself; no extra ping needed.
  const unsubscribe = [
    engine.on('message', onMessage),
    engine.on('agentOnly', onMessage),
    engine.on('turn', onTurn),
    engine.on('typing', (e) => toWatchers(e.conversationId, () => ({ type: 'typing', conversationId: e.conversationId, role: e.role, on: e.on }))),
    engine.on('transition', (t) => {
      toWatchers(t.conversationId, () => ({ type: 'transition', transition: t }));
      scheduleQueue();
    }),
  ];

  const refuse = (socket: Duplex, status: string) => socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== CONSOLE_WS_PATH) return;
    if (!originAllowed(req.headers.origin, req.headers.host, settings.allowedOrigins)) {
      deps.logger?.warn({ origin: req.headers.origin }, 'console socket refused: origin');
      return refuse(socket, '403 Forbidden');
    }
    const id = readCookie(req.headers.cookie, SESSION_COOKIE);
    const key = id && id.length <= 100 ? sessionKey(id) : undefined;
    (key ? readSessionByKey(store, key) : Promise.resolve(undefined))
      .then((session) => {
        if (!session || !key) return refuse(socket, '401 Unauthorized');
        wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, session, key));
      })
      .catch((error) => {
        deps.logger?.warn({ err: error }, 'console socket session check failed');
        refuse(socket, '503 Service Unavailable');
      });
  };
  server.on('upgrade', onUpgrade);

  const onConnection = (ws: WebSocket, session: Session, key: string) => {
    const client: Client = { ws, session, key, watching: null, alive: true };
    clients.add(client);
    send(client, { type: 'hello', agent: session.agent });
    pushQueue(true).catch((error) => deps.logger?.warn({ err: error }, 'console queue push failed'));
    ws.on('pong', () => (client.alive = true));
    ws.on('close', () => drop(client));
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      if (isBinary) return send(client, { type: 'error', message: 'send JSON text' });
      let parsed;
      try {
        parsed = ClientFrame.safeParse(JSON.parse(String(data)));
      } catch {
        return send(client, { type: 'error', message: 'frame is not JSON' });
      }
      if (!parsed.success) return send(client, { type: 'error', message: parsed.error.issues[0]?.message ?? 'bad frame' });
      const frame = parsed.data;
      if (frame.type === 'watch') watch(client, frame.conversationId);
      else if (frame.type === 'typing') void relayTyping(client, frame.conversationId, frame.on);
    });
  };

  // Only the agent who owns the chat shows as typing to the customer.
  const relayTyping = async (client: Client, conversationId: string, on: boolean) => {
    const conversation = await store.getConversation(conversationId);
    if (conversation?.owner === 'agent' && conversation.agent === client.session.agent.name) engine.typing(conversationId, 'agent', on);
  };

  const endClient = (c: Client) => {
    drop(c);
    c.ws.close(4401, 'signed out');
  };
  const onEnded = (key: string) => {
    for (const c of clients) if (c.key === key) endClient(c);
  };
  endedSessions.on('ended', onEnded);

  // Waiting time raises priorities even when nothing happens; also re-checks sessions so a
  // session ended elsewhere (another instance, expiry) does not keep its socket.
  const refresh = setInterval(() => {
    void pushQueue(true).catch(() => undefined);
    for (const c of clients) {
      if (!c.alive) {
        c.ws.terminate();
        drop(c);
        continue;
      }
      c.alive = false;
      c.ws.ping();
      readSessionByKey(store, c.key).then((s) => !s && endClient(c), () => undefined);
    }
  }, settings.queueRefreshMs);
  refresh.unref();

  return {
    agentsOnline: () => new Set([...clients].map((c) => c.session.agent.name)).size,
    refreshQueue: () => queueChanged(),
    async close() {
      clearInterval(refresh);
      clearTimeout(queueTimer);
      endedSessions.off('ended', onEnded);
      await (await remote)?.().catch(() => undefined);
      server.off('upgrade', onUpgrade);
      unsubscribe.forEach((off) => off());
      for (const c of clients) c.ws.close(1001, 'server shutting down');
      clients.clear();
      watchers.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
