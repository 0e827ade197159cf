import express, { type Router } from 'express';
import { conversationsApi } from './api-conversations.js';
import { feedbackApi } from './api-feedback.js';
import { sessionApi } from './api-session.js';
import type { ConsoleDeps } from './api-shared.js';
import type { ConsoleSettings } from './options.js';

export type { ConsoleDeps } from './api-shared.js';

/**
 * The console's JSON API (mounted at `/console/api`). Everything but `POST /login` needs
 * a session; every state-changing call also needs the CSRF header; every agent action is
 * audited (ownership moves by the engine's state machine, the rest here).
 */
export function consoleApi(deps: ConsoleDeps, settings: ConsoleSettings): Router {
  const router = express.Router();
  router.use(express.json({ limit: '32kb' }));
  router.use(sessionApi(deps, settings));
  router.use(conversationsApi(deps, settings));
  router.use(feedbackApi(deps));
  return router;
}
