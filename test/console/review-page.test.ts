import { mkdtempSync, rmSync } from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import express from 'express';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/console/auth/http.js';
import { createSession } from '../../src/console/auth/sessions.js';
import { reviewRouter } from '../../src/console/review-router.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';
import { recordFeedback } from '../../src/training/feedback-log.js';
import { keyCommand, palette } from '../../web/console/review.js';
import { launchBrowser, newPage } from '../e2e/lib/browser.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('review page keys and label palette', () => {
  it('maps the keyboard', () => {
    expect(keyCommand('j')).toEqual({ kind: 'move', by: 1 });
    expect(keyCommand('k')).toEqual({ kind: 'move', by: -1 });
    expect(keyCommand('a')).toEqual({ kind: 'accept' });
    expect(keyCommand('d')).toEqual({ kind: 'discard' });
    expect(keyCommand('/')).toEqual({ kind: 'search' });
    expect(keyCommand('1')).toEqual({ kind: 'pick', index: 0 });
    expect(keyCommand('9')).toEqual({ kind: 'pick', index: 8 });
    expect(keyCommand('0')).toBeUndefined();
    expect(keyCommand('x')).toBeUndefined();
  });

  it('offers the proposed and predicted labels first, at most nine, and searches by substring (prefix first)', () => {
    const labels = Array.from({ length: 12 }, (_, i) => `label_${i}`).concat(['return_refund', 'refund_status']);
    const item = { task: 'intent' as const, proposed: 'return_refund', predicted: { intent: 'label_5' } };
    const p = palette(item, labels);
    expect(p.slice(0, 2)).toEqual(['return_refund', 'label_5']);
    expect(p).toHaveLength(9);
    expect(palette(item, labels, 'ref')).toEqual(['refund_status', 'return_refund']);
    expect(palette({ task: 'intent', proposed: 'made_up' }, ['a', 'b'])).toEqual(['a', 'b']);
    expect(palette({ task: 'sentiment', predicted: { intent: 'a', sentiment: 'negative' } }, ['negative', 'neutral', 'positive'])[0]).toBe('negative');
  });
});

describe('review page in a real browser', () => {
  let root: string;
  let store: Store;
  let server: http.Server;
  let browser: Browser;
  let base: string;
  let cookie: string;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'parley-review-page-'));
    store = await openSqliteStore({ file: path.join(root, 'parley.db') });
    cookie = (await createSession(store, { name: 'boss', role: 'admin' }, 600_000)).id;
    // Three hundred items: the page must stay usable with hundreds.
    for (let i = 0; i < 300; i++) {
      await recordFeedback(store, { id: `f${String(i).padStart(3, '0')}`, kind: i < 2 ? 'relabel-intent' : 'fallback', value: i < 2 ? 'return_refund' : undefined, conversationId: 'c', text: `message ${i}`, predicted: { intent: 'order_status', confidence: i < 2 ? 0.05 : 0.5 + (i % 40) / 100 }, by: 'x', ts: i });
    }
    const script = (await build({ entryPoints: [path.join(repo, 'web/console/review.ts')], bundle: true, write: false, format: 'iife' })).outputFiles[0].text;
    const app = express();
    app.use('/console/api', reviewRouter({ store, labelsOf: () => ['order_status', 'return_refund', 'store_hours', 'oos'] }));
    app.get('/console/review', (_req, res) => res.sendFile(path.join(repo, 'web/console/review.html')));
    app.get('/console/review.js', (_req, res) => res.type('js').send(script));
    app.get('/console/console.css', (_req, res) => res.type('css').send(''));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server.close(r));
    await store.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('is driven by the keyboard: a accepts, j moves, d discards, / searches labels, digits pick one', async () => {
    const { context, page, log } = await newPage(browser);
    await context.addCookies([{ name: SESSION_COOKIE, value: cookie, url: `${base}/console` }]);
    await page.goto(`${base}/console/review`);
    await page.waitForSelector('li.sel');
    expect(await page.textContent('header strong')).toBe('300 to review');
    // The two agent relabels come first (disagreement + very low confidence).
    expect(await page.textContent('li.sel')).toContain('message 0');
    await page.keyboard.press('a'); // f000 accepted as return_refund
    await page.keyboard.press('d'); // f001 discarded
    await page.keyboard.press('j');
    await page.keyboard.press('/');
    await page.keyboard.type('hours');
    await page.keyboard.press('Enter'); // the second fallback in the list -> store_hours
    await page.keyboard.press('k');
    await page.keyboard.press('4'); // the first fallback -> the 4th label offered
    await page.waitForFunction(() => document.querySelector('header strong')?.textContent === '296 to review');
    const reviewed = async () => Object.fromEntries((await store.listFeedback({ review: ['accepted', 'corrected', 'discarded'] })).map((f) => [f.id, `${f.review} ${f.reviewLabel ?? ''}`.trim()]));
    await expect.poll(reviewed).toSatisfy((r: Record<string, string>) => Object.keys(r).length === 4);
    const r = await reviewed();
    expect(r.f000).toBe('accepted return_refund');
    expect(r.f001).toBe('discarded');
    const corrected = Object.values(r).filter((v) => v.startsWith('corrected')).sort();
    expect(corrected).toEqual(['corrected oos', 'corrected store_hours']);
    expect(log.errors).toEqual([]);
  });

  it('tells a visitor without an admin session to sign in', async () => {
    const { page } = await newPage(browser);
    await page.goto(`${base}/console/review`);
    await page.waitForSelector('text=Sign in to the console as an admin first');
  });
});
