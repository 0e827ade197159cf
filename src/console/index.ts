import type http from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import { requireSession } from './auth/http.js';
import { consoleApi, type ConsoleDeps } from './api.js';
import { resolveConsoleOptions, type ConsoleOptions, type ConsoleSettings } from './options.js';
import { attachConsoleSocket, type ConsoleSocketHandle } from './socket.js';
import { consoleStatic } from './static.js';
import { WaitingRoom } from './waiting-room.js';

/** The agent console: page at `/console`, API at `/console/api`, socket at `/console/ws`. */
export interface ConsoleHandle {
  settings: ConsoleSettings;
  socket: ConsoleSocketHandle;
  waitingRoom: WaitingRoom;
  close(): Promise<void>;
}

export interface MountConsoleOptions extends ConsoleOptions {
  /** Extra API routers mounted under `/console/api` that check sessions themselves (e.g. the feedback review queue). */
  routers?: Router[];
  /** Extra API routers mounted under `/console/api` behind an admin session check. */
  adminRouters?: Router[];
  /** Tell customers the expected wait when they are escalated (default true). */
  announceQueue?: boolean;
  /** The waiting room's clock (tests move it forward instead of sleeping). */
  now?: () => number;
}

/**
 * Mounts the console on an express app and its HTTP server.
 *
 * @example
 * const consoleHandle = mountConsole(app, server, { store, engine, desk }, { cannedReplies });
 * // ... on shutdown
 * await consoleHandle.close();
 */
export function mountConsole(app: Express, server: http.Server, deps: ConsoleDeps, options: MountConsoleOptions = {}): ConsoleHandle {
  const { routers = [], adminRouters = [], announceQueue = true, now, ...rest } = options;
  const settings = resolveConsoleOptions(rest);
  const api = express.Router();
  api.use(consoleApi(deps, settings));
  for (const router of routers) api.use(router);
  for (const router of adminRouters) api.use(requireSession(deps.store, { role: 'admin' }), router);
  // Unknown API paths answer JSON, not the page: the front end and scripts see a clear 404.
  api.use((_req, res) => void res.status(404).json({ error: 'not_found', message: 'no such console API' }));
  // Errors answer JSON too: a malformed body is the caller's 400, anything else a 500 without details.
  api.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: unknown })?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) return void res.status(status).json({ error: 'bad_request', message: 'the request body is not valid JSON or too large' });
    deps.logger?.warn({ err: error }, 'console api error');
    res.status(500).json({ error: 'internal', message: 'something went wrong; try again' });
  });
  app.use('/console/api', api);
  app.use('/console', consoleStatic(settings));
  const socket = attachConsoleSocket(server, deps, settings);
  const waitingRoom = new WaitingRoom({ ...deps, settings, agentsOnline: () => socket.agentsOnline(), announce: announceQueue, ...(now ? { now } : {}) });
  waitingRoom.start();
  return {
    settings,
    socket,
    waitingRoom,
    async close() {
      waitingRoom.stop();
      await socket.close();
    },
  };
}

export { consoleApi, type ConsoleDeps } from './api.js';
export { ConsoleOptionsSchema, resolveConsoleOptions, CannedReply, type ConsoleOptions, type ConsoleSettings } from './options.js';
export { requireSession, session, sessionOf, SESSION_COOKIE, CSRF_HEADER } from './auth/http.js';
export { saveAgent, getAgent, listAgents, removeAgent, authenticate, AgentRole, type Agent } from './auth/accounts.js';
export { createSession, readSession, deleteSession, deleteSessionsOf, type Session } from './auth/sessions.js';
export { DeskError, type AgentDesk } from './desk.js';
export { buildQueue, type QueueItem } from './queue.js';
export { listTickets, extractContact, type Ticket } from './tickets.js';
export { CONSOLE_WS_PATH, type ConsoleServerFrame } from './socket.js';
