import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import type { KeyValueStore } from '../../store/types.js';
import { AgentRole, type Agent } from './accounts.js';

/**
 * Console sessions: a random id in an httpOnly cookie, and a CSRF token the page reads from
 * `/console/api/me` and sends back in a header on every state-changing request. The store
 * keys sessions by the SHA-256 of the id, so a copy of the store holds no usable cookie.
 */
export const SESSIONS_NAMESPACE = 'console-sessions';

const StoredSession = z.object({ agent: z.string(), role: AgentRole, csrf: z.string(), createdAt: z.number(), expiresAt: z.number() });

export interface Session {
  agent: Agent;
  csrfToken: string;
  expiresAt: number;
}

/** The store key of a session id (its SHA-256); also how open sockets recognise their session. */
export const sessionKey = (id: string): string => createHash('sha256').update(id).digest('base64url');
const keyOf = sessionKey;

/**
 * Sessions ended in this process (sign-out, account removed): the console socket closes
 * their sockets at once. Other instances notice at their next periodic session check.
 */
export const endedSessions = new EventEmitter<{ ended: [key: string] }>();
endedSessions.setMaxListeners(0);

/** Starts a session; returns the cookie value (`id`) and the session. */
export async function createSession(store: KeyValueStore, agent: Agent, ttlMs: number): Promise<{ id: string; session: Session }> {
  const id = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  const now = Date.now();
  await store.set(SESSIONS_NAMESPACE, keyOf(id), { agent: agent.name, role: agent.role, csrf, createdAt: now, expiresAt: now + ttlMs }, ttlMs);
  return { id, session: { agent, csrfToken: csrf, expiresAt: now + ttlMs } };
}

/** The live session for a cookie value, or undefined (unknown, expired, malformed). */
export async function readSession(store: KeyValueStore, id: string | undefined): Promise<Session | undefined> {
  if (!id || id.length > 100) return undefined;
  return readSessionByKey(store, keyOf(id));
}

/** The live session stored under `key` (see `sessionKey`). */
export async function readSessionByKey(store: KeyValueStore, key: string): Promise<Session | undefined> {
  const parsed = StoredSession.safeParse(await store.get(SESSIONS_NAMESPACE, key));
  if (!parsed.success || parsed.data.expiresAt <= Date.now()) return undefined;
  return { agent: { name: parsed.data.agent, role: parsed.data.role }, csrfToken: parsed.data.csrf, expiresAt: parsed.data.expiresAt };
}

export async function deleteSession(store: KeyValueStore, id: string): Promise<void> {
  await store.delete(SESSIONS_NAMESPACE, keyOf(id));
  endedSessions.emit('ended', keyOf(id));
}

/** Ends every session of an agent (account removed or password reset). Returns how many. */
export async function deleteSessionsOf(store: KeyValueStore, agentName: string): Promise<number> {
  const rows = await store.list<{ agent?: string }>(SESSIONS_NAMESPACE);
  const mine = rows.filter((r) => r.value?.agent?.toLowerCase() === agentName.toLowerCase());
  await Promise.all(mine.map((r) => store.delete(SESSIONS_NAMESPACE, r.key)));
  for (const r of mine) endedSessions.emit('ended', r.key);
  return mine.length;
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(session: Session, header: string | undefined): boolean {
  if (!header) return false;
  const a = Buffer.from(header);
  const b = Buffer.from(session.csrfToken);
  return a.length === b.length && timingSafeEqual(a, b);
}
