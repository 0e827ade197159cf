import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { KeyValueStore } from '../../store/types.js';
import type { AgentRole } from './accounts.js';
import { csrfMatches, readSession, type Session } from './sessions.js';

/** The session cookie. `__Host-` would be nicer but needs Secure, which plain-http dev servers lack. */
export const SESSION_COOKIE = 'parley_console';
/** The header carrying the CSRF token on every state-changing request. */
export const CSRF_HEADER = 'x-parley-csrf';

/** Reads one cookie from a raw Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The session of a request (HTTP or WebSocket upgrade), if its cookie names a live one. */
export function sessionOf(store: KeyValueStore, req: IncomingMessage): Promise<Session | undefined> {
  return readSession(store, readCookie(req.headers.cookie, SESSION_COOKIE));
}

/** The session attached by `requireSession`. */
export function session(res: Response): Session {
  return res.locals.session as Session;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses requests without a live session (401), with a missing or wrong CSRF header on a
 * state-changing method (403), or below the required role (403). On success the session is
 * in `res.locals.session` (read it with `session(res)`).
 *
 * @example router.post('/review/:id', requireSession(store, { role: 'admin' }), handler)
 */
export function requireSession(store: KeyValueStore, { role }: { role?: AgentRole } = {}): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    sessionOf(store, req)
      .then((s) => {
        if (!s) return void res.status(401).json({ error: 'unauthenticated', message: 'sign in first' });
        if (!SAFE_METHODS.has(req.method) && !csrfMatches(s, req.get(CSRF_HEADER))) {
          return void res.status(403).json({ error: 'csrf', message: `missing or wrong ${CSRF_HEADER} header` });
        }
        if (role === 'admin' && s.agent.role !== 'admin') return void res.status(403).json({ error: 'forbidden', message: 'admins only' });
        res.locals.session = s;
        next();
      })
      .catch(next);
  };
}

/** Cookie attributes: httpOnly, SameSite=Strict, scoped to the console, Secure over https. */
export function cookieHeader(value: string, { secure, maxAgeMs }: { secure: boolean; maxAgeMs: number }): string {
  const parts = [`${SESSION_COOKIE}=${encodeURIComponent(value)}`, 'Path=/console', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}
