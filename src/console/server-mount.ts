import type http from 'node:http';
import type { Express, Router } from 'express';
import type { ConversationEngine } from '../bot/engine.js';
import type { EscalationPolicy } from '../escalation/policy.js';
import type { Store } from '../store/types.js';
import { engineDesk } from './engine-desk.js';
import { mountConsole, type ConsoleHandle, type MountConsoleOptions } from './index.js';
import { reviewRouter } from './review-router.js';

/**
 * The console wired to the real engine, for the server's composition root: the desk on the
 * engine's ownership state machine, understanding pushed when a turn ends, the serving
 * models' labels for relabelling, and the feedback review queue (`/console/review`).
 *
 * @example
 * const consoleHandle = mountConsoleOnEngine(app, server, { store, engine, options: config.console, policy: config.policy, logger });
 */
export function mountConsoleOnEngine(
  app: Express,
  server: http.Server,
  { store, engine, options = {}, policy, logger, adminRouters }: { store: Store; engine: ConversationEngine; options?: MountConsoleOptions; policy?: EscalationPolicy; logger?: { warn(obj: object, msg?: string): void }; adminRouters?: Router[] },
): ConsoleHandle {
  const labels = () => {
    const { intent, sentiment } = engine.models.current();
    return { intents: intent.manifest.labels.filter((l) => l !== 'oos'), sentiments: sentiment.manifest.labels };
  };
  // The feedback review queue (admins only; it checks the session itself).
  const review = reviewRouter({ store, labelsOf: (task) => engine.models.current()[task].manifest.labels });
  const mountOptions: MountConsoleOptions = {
    ...options,
    routers: [...(options.routers ?? []), review],
    ...(adminRouters ? { adminRouters: [...(options.adminRouters ?? []), ...adminRouters] } : {}),
  };
  return mountConsole(app, server, { store, engine, desk: engineDesk(engine.ownership, engine, store), explain: (id) => engine.explain(id), labels, ...(policy ? { policy } : {}), ...(logger ? { logger } : {}) }, mountOptions);
}
