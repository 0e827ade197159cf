import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import type { ConsoleSettings } from './options.js';

/**
 * Content-Security-Policy of the console pages: scripts and styles only from the server
 * itself, no inline code. Customer text is rendered as text anyway; this is the second lock.
 */
export const CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/**
 * The console's static files: the page at `/console`, its stylesheet, and the script built
 * by `npm run build:web` (web/dist/console.js). The page itself holds no data: everything
 * comes from the API after sign-in.
 */
export function consoleStatic(settings: ConsoleSettings): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.set({ 'Content-Security-Policy': CONSOLE_CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY', 'Cache-Control': 'no-cache' });
    next();
  });
  const page = (file: string) => path.join(settings.staticDir, file);
  router.get(['/', '/index.html'], (req, res) => {
    // `/console` without the slash: relative asset URLs need it.
    if (req.originalUrl.split('?')[0] === '/console') return void res.redirect(301, '/console/');
    res.type('html').sendFile(page('index.html'));
  });
  router.get('/console.css', (_req, res) => void res.type('css').sendFile(page('console.css')));
  const script = (name: string) => (_req: express.Request, res: express.Response) => {
    const file = path.join(settings.distDir, name);
    if (!existsSync(file)) return void res.status(503).type('text/plain').send(`${name} is not built: run \`npm run build:web\``);
    res.type('application/javascript').sendFile(file);
  };
  router.get('/console.js', script('console.js'));
  // The feedback review page (built from web/console/review.ts when present).
  router.get('/review', (_req, res) => void (existsSync(page('review.html')) ? res.type('html').sendFile(page('review.html')) : res.status(404).end()));
  router.get('/review.js', script('review.js'));
  return router;
}
