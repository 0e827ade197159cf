import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import { resolveWebchatOptions, type WebchatOptions } from './options.js';

/**
 * Static side of the web chat: `/widget.js` (built by `npm run build:web` into web/dist)
 * and the demo shop page at `/`. The script is fetched by other sites, so it is served
 * with CORS open and a short cache (a deploy must reach customers within minutes).
 *
 * @example app.use(webchatRouter({ secret })); // GET /widget.js, GET /
 */
export function webchatRouter(options: WebchatOptions): Router {
  const settings = resolveWebchatOptions(options);
  const router = express.Router();
  const widget = path.join(settings.distDir, 'widget.js');

  router.get('/widget.js', (_req, res) => {
    if (!existsSync(widget)) {
      res.status(503).type('text/plain').send('widget.js is not built: run `npm run build:web`');
      return;
    }
    res.set({
      'Access-Control-Allow-Origin': '*',
      'X-Content-Type-Options': 'nosniff',
    });
    res.type('application/javascript').sendFile(widget, { maxAge: 300_000 });
  });

  if (settings.serveDemo) {
    router.get('/', (_req, res) => {
      res.sendFile(path.join(settings.demoDir, 'index.html'), { maxAge: 0 });
    });
  }
  return router;
}
