import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { TokenBucket } from '../channels/webchat/rate-limit.js';
import { auditor, body, wrap, type ConsoleDeps } from './api-shared.js';
import { authenticate } from './auth/accounts.js';
import { cookieHeader, readCookie, requireSession, session, SESSION_COOKIE } from './auth/http.js';
import { createSession, deleteSession } from './auth/sessions.js';
import type { ConsoleSettings } from './options.js';

const Login = z.object({ name: z.string().min(1).max(100), password: z.string().min(1).max(200) });

/** `POST /login`, `POST /logout`, `GET /me`: sign-in with a rate limit per client address. */
export function sessionApi(deps: ConsoleDeps, settings: ConsoleSettings): Router {
  const { store } = deps;
  const router = express.Router();
  const auth = requireSession(store);
  const audit = auditor(store);
  const loginBuckets = new Map<string, TokenBucket>();
  // Behind a TLS-terminating proxy the request arrives over http with X-Forwarded-Proto:
  // trusting that header here is safe, since it can only make the cookie stricter.
  const overHttps = (req: Request) => req.secure || String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]?.trim().toLowerCase() === 'https';
  const secure = (req: Request) => settings.secureCookies === 'always' || (settings.secureCookies === 'auto' && overHttps(req));

  router.post('/login', wrap(deps, async (req, res) => {
    const ip = req.ip ?? 'unknown';
    let bucket = loginBuckets.get(ip);
    if (!bucket) {
      if (loginBuckets.size > 10_000) loginBuckets.clear(); // bounded memory under a flood
      loginBuckets.set(ip, (bucket = new TokenBucket(settings.loginRate)));
    }
    if (!bucket.take()) return void res.status(429).json({ error: 'rate_limited', message: 'too many sign-in attempts; wait a minute' });
    const input = body(Login, req, res);
    if (!input) return;
    const agent = await authenticate(store, input.name, input.password);
    if (!agent) {
      await audit(input.name.slice(0, 40), 'login-failed', 'console', { ip });
      return void res.status(401).json({ error: 'unauthenticated', message: 'wrong name or password' });
    }
    const { id, session: s } = await createSession(store, agent, settings.sessionTtlMs);
    await audit(agent.name, 'login', 'console', { ip });
    res.setHeader('Set-Cookie', cookieHeader(id, { secure: secure(req), maxAgeMs: settings.sessionTtlMs }));
    res.json({ agent, csrfToken: s.csrfToken });
  }));

  router.post('/logout', auth, wrap(deps, async (req, res) => {
    const id = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (id) await deleteSession(store, id);
    await audit(session(res).agent.name, 'logout', 'console');
    res.setHeader('Set-Cookie', cookieHeader('', { secure: secure(req), maxAgeMs: 0 }));
    res.json({ ok: true });
  }));

  router.get('/me', auth, (_req, res) => {
    const s = session(res);
    res.json({ agent: s.agent, csrfToken: s.csrfToken });
  });

  return router;
}
