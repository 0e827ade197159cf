import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, getAgent, listAgents, removeAgent, saveAgent } from '../../src/console/auth/accounts.js';
import { cookieHeader, readCookie } from '../../src/console/auth/http.js';
import { hashPassword, verifyPassword } from '../../src/console/auth/password.js';
import { createSession, csrfMatches, deleteSession, deleteSessionsOf, readSession } from '../../src/console/auth/sessions.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';

// Cheap scrypt parameters keep the unit tests fast; the defaults are exercised by the API tests.
const CHEAP = { N: 1024, r: 8, p: 1 };

describe('password hashing', () => {
  it('verifies the right password and rejects others, with a fresh salt per hash', async () => {
    const a = await hashPassword('correct horse battery', CHEAP);
    const b = await hashPassword('correct horse battery', CHEAP);
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('treats malformed stored hashes as a mismatch, never an exception', async () => {
    for (const bad of ['', 'plain', 'scrypt$x$8$1$c2FsdA==$aGFzaA==', 'bcrypt$1$2$3$4$5', 'scrypt$1024$8$1$c2FsdA==$']) {
      expect(await verifyPassword('anything', bad)).toBe(false);
    }
  });
});

describe('accounts and sessions in a real store', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'parley-auth-'));
    store = await openSqliteStore({ file: path.join(dir, 'parley.sqlite') });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, authenticates (case-insensitive name), lists and removes agents', async () => {
    await saveAgent(store, { name: 'Ana', role: 'admin', password: 'secret-pass-1' });
    expect(await getAgent(store, 'ana')).toEqual({ name: 'Ana', role: 'admin' });
    expect(await authenticate(store, 'ana', 'secret-pass-1')).toEqual({ name: 'Ana', role: 'admin' });
    expect(await authenticate(store, 'ana', 'secret-pass-2')).toBeUndefined();
    expect(await authenticate(store, 'nobody', 'secret-pass-1')).toBeUndefined();
    expect((await listAgents(store)).map((a) => a.name)).toEqual(['Ana']);
    expect(await removeAgent(store, 'ANA')).toBe(true);
    expect(await removeAgent(store, 'ana')).toBe(false);
    expect(await authenticate(store, 'ana', 'secret-pass-1')).toBeUndefined();
  });

  it('refuses bad names and short passwords', async () => {
    await expect(saveAgent(store, { name: '<script>', role: 'agent', password: 'long-enough' })).rejects.toThrow(/agent name/);
    await expect(saveAgent(store, { name: 'ben', role: 'agent', password: 'short' })).rejects.toThrow(/at least 8/);
    await expect(saveAgent(store, { name: 'ben', role: 'root' as 'agent', password: 'long-enough' })).rejects.toThrow();
  });

  it('keeps sessions by hash, expires them, and ends them on sign-out or removal', async () => {
    const { id, session } = await createSession(store, { name: 'ben', role: 'agent' }, 60_000);
    expect(JSON.stringify(await store.list('console-sessions'))).not.toContain(id);
    expect(await readSession(store, id)).toMatchObject({ agent: { name: 'ben', role: 'agent' }, csrfToken: session.csrfToken });
    expect(await readSession(store, `${id}x`)).toBeUndefined();
    expect(await readSession(store, undefined)).toBeUndefined();
    expect(csrfMatches(session, session.csrfToken)).toBe(true);
    const wrong = session.csrfToken.slice(0, -1) + (session.csrfToken.endsWith('A') ? 'B' : 'A');
    expect(csrfMatches(session, wrong)).toBe(false);
    expect(csrfMatches(session, session.csrfToken.slice(1))).toBe(false);
    expect(csrfMatches(session, undefined)).toBe(false);
    await deleteSession(store, id);
    expect(await readSession(store, id)).toBeUndefined();

    const short = await createSession(store, { name: 'ben', role: 'agent' }, 1);
    await new Promise((r) => setTimeout(r, 10));
    expect(await readSession(store, short.id)).toBeUndefined();

    const s1 = await createSession(store, { name: 'ben', role: 'agent' }, 60_000);
    const s2 = await createSession(store, { name: 'cleo', role: 'agent' }, 60_000);
    expect(await deleteSessionsOf(store, 'BEN')).toBe(1);
    expect(await readSession(store, s1.id)).toBeUndefined();
    expect(await readSession(store, s2.id)).toBeDefined();
  });
});

describe('cookies', () => {
  it('reads one cookie among several and builds strict attributes', () => {
    expect(readCookie('a=1; parley_console=abc%2Fd; b=2', 'parley_console')).toBe('abc/d');
    expect(readCookie('a=1', 'parley_console')).toBeUndefined();
    expect(readCookie(undefined, 'parley_console')).toBeUndefined();
    expect(cookieHeader('v', { secure: true, maxAgeMs: 3_600_000 })).toBe('parley_console=v; Path=/console; HttpOnly; SameSite=Strict; Max-Age=3600; Secure');
    expect(cookieHeader('', { secure: false, maxAgeMs: 0 })).toBe('parley_console=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0');
  });
});
