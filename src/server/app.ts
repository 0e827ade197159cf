import express, { type Express } from 'express';
import { webchatRouter, type WebchatOptions } from '../channels/webchat/index.js';
import type { Store } from '../store/types.js';
import type { ModelsHolder } from '../bot/models.js';
import type { ServerMetrics } from './metrics.js';

export interface AppDeps {
  store: Store;
  models: ModelsHolder;
  metrics: ServerMetrics;
  webchat: WebchatOptions;
  /** False once shutdown started: /readyz then says so and load balancers stop sending. */
  accepting: () => boolean;
}

/**
 * The HTTP side: the web chat's static files (widget script, demo page) and the
 * operational endpoints.
 * - GET /healthz: the process is alive (no dependency checks: a slow store must not get it killed).
 * - GET /readyz: models loaded and the store answers; 503 otherwise or while shutting down.
 * - GET /metrics: Prometheus text format.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const { versions } = deps.models.current();
    let store = false;
    try {
      store = await deps.store.ping();
    } catch {
      store = false;
    }
    const ready = store && deps.accepting();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', store, models: versions, accepting: deps.accepting() });
  });

  app.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  app.use(webchatRouter(deps.webchat));
  return app;
}
