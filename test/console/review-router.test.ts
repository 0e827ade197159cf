import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/console/auth/http.js';
import { createSession } from '../../src/console/auth/sessions.js';
import { reviewRouter } from '../../src/console/review-router.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';
import { recordFeedback } from '../../src/training/feedback-log.js';

let root: string;
let store: Store;
let server: http.Server;
let base: string;
const sessions: Record<'admin' | 'agent', { cookie: string; csrf: string }> = {} as never;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'parley-review-'));
  store = await openSqliteStore({ file: path.join(root, 'parley.db') });
  for (const role of ['admin', 'agent'] as const) {
    const { id, session } = await createSession(store, { name: `${role}-1`, role }, 60_000);
    sessions[role] = { cookie: `${SESSION_COOKIE}=${encodeURIComponent(id)}`, csrf: session.csrfToken };
  }
  const app = express();
  app.use('/console/api', reviewRouter({ store, labelsOf: (task) => (task === 'intent' ? ['order_status', 'return_refund', 'oos'] : ['negative', 'neutral', 'positive']) }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/console/api`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

const get = (as: 'admin' | 'agent' | undefined, url: string) => fetch(`${base}${url}`, { headers: as ? { cookie: sessions[as].cookie } : {} });
const post = (as: 'admin' | 'agent' | undefined, url: string, body: unknown, { csrf = true } = {}) => fetch(`${base}${url}`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(as ? { cookie: sessions[as].cookie } : {}), ...(as && csrf ? { [CSRF_HEADER]: sessions[as].csrf } : {}) },
  body: JSON.stringify(body),
});

describe('review API', () => {
  it('is for admins only: 401 without a session, 403 for agents and without the CSRF header', async () => {
    await recordFeedback(store, { id: 'auth-1', kind: 'fallback', conversationId: 'c', text: 'hm', by: 'bot' });
    expect((await get(undefined, '/review')).status).toBe(401);
    expect((await get('agent', '/review')).status).toBe(403);
    expect((await post('agent', '/review/auth-1', { action: 'discard' })).status).toBe(403);
    expect((await post('admin', '/review/auth-1', { action: 'discard' }, { csrf: false })).status).toBe(403);
    expect((await store.listFeedback({ review: 'pending' })).map((f) => f.id)).toContain('auth-1');
    expect((await post('admin', '/review/auth-1', { action: 'discard' })).status).toBe(200);
  });

  it('lists pending items best first with labels and the CSRF token, and applies accept / correct / discard', async () => {
    await recordFeedback(store, { id: 'up', kind: 'thumbs', value: 'up', conversationId: 'c', text: 'where is my order', predicted: { intent: 'order_status', confidence: 0.97 }, by: 'customer', ts: 1 });
    await recordFeedback(store, { id: 'relabel', kind: 'relabel-intent', value: 'return_refund', conversationId: 'c', text: 'send it back, call 020 7946 0958', predicted: { intent: 'order_status', confidence: 0.8 }, by: 'agent-1', ts: 2 });
    await recordFeedback(store, { id: 'fb', kind: 'fallback', conversationId: 'c', text: 'blorp', predicted: { intent: 'fallback', confidence: 0.2 }, by: 'bot', ts: 3 });

    const res = await get('admin', '/review?limit=10');
    expect(res.status).toBe(200);
    const body = await res.json() as { items: Array<{ id: string; text: string; proposed?: string; reasons: string[] }>; total: number; labels: { intent: string[] }; csrfToken: string };
    expect(body.items.map((i) => i.id)).toEqual(['fb', 'relabel', 'up']);
    expect(body.total).toBe(3);
    expect(body.items[1]).toMatchObject({ proposed: 'return_refund', text: 'send it back, call <phone>' });
    expect(body.labels.intent).toEqual(['order_status', 'return_refund', 'oos']);
    expect(body.csrfToken).toBe(sessions.admin.csrf);
    expect((await (await get('admin', '/review?limit=1')).json() as { items: unknown[] }).items).toHaveLength(1);
    expect((await get('admin', '/review?limit=0')).status).toBe(400);

    expect((await post('admin', '/review/fb', { action: 'accept' })).status).toBe(400); // nothing proposed
    expect((await post('admin', '/review/fb', { action: 'correct', label: 'not_a_label' })).status).toBe(400);
    expect((await post('admin', '/review/fb', { action: 'explode' })).status).toBe(400);
    const corrected = await post('admin', '/review/fb', { action: 'correct', label: 'oos' });
    expect(corrected.status).toBe(200);
    expect((await corrected.json() as { item: { review: string; reviewLabel: string } }).item).toMatchObject({ review: 'corrected', reviewLabel: 'oos' });
    expect((await post('admin', '/review/relabel', { action: 'accept' })).status).toBe(200);
    expect((await post('admin', '/review/up', { action: 'discard' })).status).toBe(200);
    expect((await post('admin', '/review/up', { action: 'discard' })).status).toBe(404);

    const reviewed = Object.fromEntries((await store.listFeedback({ review: ['accepted', 'corrected', 'discarded'] })).map((f) => [f.id, [f.review, f.reviewLabel, f.reviewedBy]]));
    expect(reviewed).toMatchObject({ fb: ['corrected', 'oos', 'admin-1'], relabel: ['accepted', 'return_refund', 'admin-1'], up: ['discarded', undefined, 'admin-1'] });
    expect((await (await get('admin', '/review')).json() as { total: number }).total).toBe(0);
    expect((await store.listAudit({ action: 'feedback-review' })).map((a) => a.subject)).toEqual(expect.arrayContaining(['fb', 'relabel', 'up']));
  });
});
