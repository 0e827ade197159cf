import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attachWebchat, webchatRouter, type WebchatHandle } from '../../src/channels/webchat/index.js';
import { loadConfig } from '../../src/server/config.js';
import { startServer } from '../../src/server/server.js';
import type { Store } from '../../src/store/types.js';
import { MemoryEngine } from '../channels/webchat/memory-engine.js';
import { launchBrowser, newPage, type PageLog } from './lib/browser.js';
import { buildWebAssets } from './lib/build.js';
import { screenshot, screenshotOnFailure } from './lib/screenshots.js';
import { startTcpProxy, type TcpProxy } from './lib/tcp-proxy.js';

/**
 * The widget in a real chromium on the demo shop page, served by the web chat router and
 * WebSocket server over real HTTP, behind a TCP proxy that can cut the network.
 */

const secret = 'e2e-webchat-secret-0123456789';
let browser: Browser;
let pages: Page[] = [];

beforeAll(async () => {
  buildWebAssets();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface Site {
  url: string;
  engine: MemoryEngine;
  proxy: TcpProxy;
  close(): Promise<void>;
}

async function startSite(): Promise<Site> {
  const engine = new MemoryEngine();
  engine.replyDelayMs = 150; // long enough to see the typing indicator
  const app = express();
  app.use(webchatRouter({ secret }));
  const server = http.createServer(app);
  const webchat: WebchatHandle = attachWebchat(server, engine, { secret });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy = await startTcpProxy((server.address() as AddressInfo).port);
  return {
    url: `http://127.0.0.1:${proxy.port}/`,
    engine,
    proxy,
    async close() {
      await proxy.close();
      await webchat.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function openPage(url: string, viewport?: { width: number; height: number }): Promise<{ page: Page; log: PageLog }> {
  const { page, log } = await newPage(browser, viewport ? { viewport } : {});
  pages.push(page);
  await page.goto(url);
  return { page, log };
}

/** Clicks the floating button and waits until the panel is connected. */
async function openWidget(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Open chat: Support' }).click();
  await expectConnected(page);
}

const expectConnected = (page: Page) => page.locator('.panel[data-connection="online"]').waitFor({ timeout: 15_000 });
const bubble = (page: Page, text: string) => page.locator('.msg .bubble').filter({ hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) });

async function say(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.keyboard.press('Enter');
}

let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});
afterEach(async () => {
  await Promise.all(pages.map((p) => p.context().close()));
  pages = [];
});
// After the hook above: vitest runs after-hooks last-registered first, so the screenshot
// is taken before the pages close.
screenshotOnFailure(() => pages);

describe('widget on the demo page', () => {
  it('chats, shows typing, takes a quick reply and a thumbs down, and keeps the history over a reload', async () => {
    const { page, log } = await openPage(site.url);
    await openWidget(page);
    await expect.poll(() => page.getByRole('dialog', { name: 'Support' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('log').textContent()).toContain('Hi! How can I help?');

    // The reply waits until the indicator has been seen: no race with a timer on a busy machine.
    const release = site.engine.holdReplies();
    await say(page, 'menu');
    await page.getByText('Support is typing…').waitFor();
    release();
    await bubble(page, 'What can I help with?').waitFor();
    await page.getByText('Support is typing…').waitFor({ state: 'hidden' });
    await page.getByRole('group', { name: 'Suggested replies' }).getByRole('button', { name: 'Track my order' }).click();
    await bubble(page, 'echo: track order').waitFor();
    // The quick replies of an older message are gone once the conversation moved on.
    expect(await page.getByRole('group', { name: 'Suggested replies' }).count()).toBe(0);

    const reply = page.locator('.msg[data-role="bot"]').filter({ hasText: 'echo: track order' });
    await reply.getByRole('button', { name: 'Not helpful' }).click();
    await expect.poll(() => site.engine.thumbsGiven.map((t) => t.value)).toEqual(['down']);
    expect(await reply.getByRole('button', { name: 'Not helpful' }).getAttribute('aria-pressed')).toBe('true');
    const conversationId = site.engine.thumbsGiven[0].conversationId;
    expect(site.engine.messages(conversationId).filter((m) => m.role === 'customer').map((m) => m.text)).toEqual(['menu', 'track order']);
    await screenshot(page, 'widget-open');

    // An agent writes while the page reloads: the resume brings it, the rest is history.
    await page.reload();
    site.engine.say(conversationId, 'agent', 'Hello, this is Ana from support.');
    await openWidget(page);
    await bubble(page, 'Hello, this is Ana from support.').waitFor();
    const texts = await page.locator('.msg:not(.greeting) .bubble').allTextContents();
    expect(texts).toEqual(['menu', 'What can I help with?', 'Track my order', 'echo: track order', 'Hello, this is Ana from support.']);
    expect(log.errors).toEqual([]);
  });

  it('survives a cut network: messages written offline are sent once on reconnect, nothing is lost', async () => {
    const { page } = await openPage(site.url);
    await openWidget(page);
    await say(page, 'first');
    await bubble(page, 'echo: first').waitFor();
    const conversationId = site.engine.conversationWith('first');

    site.proxy.offline();
    await page.locator('.panel[data-connection="offline"]').waitFor();
    expect(await page.locator('.status').textContent()).toMatch(/Offline/);
    await say(page, 'second');
    await say(page, 'third');
    site.engine.say(conversationId, 'agent', 'Are you still there?');
    await expect.poll(() => page.locator('.msg[data-status="sending"]').count()).toBe(2);
    expect(await page.locator('.msg[data-status="sending"] .meta').first().textContent()).toBe('Sending…');

    site.proxy.online();
    await expectConnected(page);
    await bubble(page, 'echo: third').waitFor({ timeout: 15_000 });
    await bubble(page, 'Are you still there?').waitFor();
    await expect.poll(() => page.locator('.msg[data-status="sending"]').count()).toBe(0);

    // A second kind of failure: the connection dies under an open socket.
    site.proxy.cut();
    await say(page, 'fourth');
    await bubble(page, 'echo: fourth').waitFor({ timeout: 15_000 });

    const stored = site.engine.messages(conversationId).filter((m) => m.role === 'customer').map((m) => m.text);
    expect(stored).toEqual(['first', 'second', 'third', 'fourth']);
    const shown = await page.locator('.msg:not(.greeting) .bubble').allTextContents();
    for (const text of ['first', 'second', 'third', 'fourth', 'echo: first', 'echo: second', 'echo: third', 'echo: fourth', 'Are you still there?']) {
      expect(shown.filter((t) => t === text), text).toHaveLength(1);
    }
  });

  it('shows customer HTML as text and never runs it', async () => {
    const { page } = await openPage(site.url);
    await openWidget(page);
    const attack = '<img src=x onerror="window.__pwned=1"><b>bold</b>';
    await say(page, attack);
    await bubble(page, `echo: ${attack}`).waitFor();
    expect(await bubble(page, attack).count()).toBe(1);
    expect(await page.locator('.log img, .log b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('is keyboard accessible: Enter sends, Esc closes and gives focus back', async () => {
    const { page } = await openPage(site.url);
    await page.getByRole('button', { name: 'Open chat: Support' }).focus();
    await page.keyboard.press('Enter');
    await expectConnected(page);
    // Focus moves into the panel, on the message box.
    expect(await page.evaluate(() => document.querySelector('[data-parley-widget]')?.shadowRoot?.activeElement?.getAttribute('aria-label'))).toBe('Message');
    expect(await page.getByRole('log').getAttribute('aria-live')).toBe('polite');
    await page.keyboard.type('hello');
    await page.keyboard.press('Enter');
    await bubble(page, 'echo: hello').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await page.evaluate(() => document.querySelector('[data-parley-widget]')?.shadowRoot?.activeElement?.getAttribute('aria-expanded'))).toBe('false');
  });

  it('keeps the page\'s CSS out and fills a phone screen', async () => {
    const { page } = await openPage(site.url, { width: 375, height: 667 });
    await openWidget(page);
    const box = await page.getByRole('dialog', { name: 'Support' }).boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 375, height: 667 });
    // The demo shop paints every <button> orange in a serif font; the widget's stay its own.
    const send = page.getByRole('button', { name: 'Send message' });
    const style = await send.evaluate((b) => ({ bg: getComputedStyle(b).backgroundColor, font: getComputedStyle(b).fontFamily }));
    expect(style.bg).toBe('rgb(79, 70, 229)'); // data-color="#4f46e5"
    expect(style.font).not.toMatch(/Georgia/);
    await screenshot(page, 'widget-phone');
  });

  it('can be (re)configured from script with ParleyWidget.init', async () => {
    const { page } = await openPage(site.url);
    await page.getByRole('button', { name: 'Open chat: Support' }).waitFor();
    await page.evaluate(() => (window as unknown as { ParleyWidget: { init(o: object): unknown } }).ParleyWidget.init({ title: 'Help desk', color: '#0f766e', greeting: 'Ahoy!', open: true }));
    await expectConnected(page);
    // Replaced, not stacked.
    expect(await page.locator('[data-parley-widget]').count()).toBe(1);
    expect(await page.getByRole('dialog', { name: 'Help desk' }).isVisible()).toBe(true);
    expect(await page.getByRole('log').textContent()).toContain('Ahoy!');
    const bg = await page.getByRole('button', { name: 'Send message' }).evaluate((b) => getComputedStyle(b).backgroundColor);
    expect(bg).toBe('rgb(15, 118, 110)');
  });
});

// ---------------------------------------------------------------------------------------
// The same widget against the real bot: the server as `parley serve` composes it (engine
// with the project's models/ and intents/, SQLite store in a temp dir).

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A running bot the browser talks to, behind a cuttable proxy, with its store to check. */
interface RealTarget {
  url: string;
  proxy: TcpProxy;
  store: Store;
  close(): Promise<void>;
}

/**
 * One customer's visit, written for any real bot (replies are whatever the models say):
 * chat, quick reply, thumbs down (checked in the store), reload, a cut network with
 * messages written meanwhile, and HTML shown as text.
 */
async function realBotVisit(target: RealTarget): Promise<void> {
  const { page, log } = await openPage(target.url);
  await openWidget(page);
  const botReplies = page.locator('.msg[data-role="bot"]');

  await say(page, 'where is my order');
  await botReplies.first().waitFor({ timeout: 15_000 });
  // Both the order-status answer and the fallback offer quick replies.
  const quick = page.getByRole('group', { name: 'Suggested replies' }).getByRole('button');
  await quick.first().waitFor();
  await quick.first().click();
  await expect.poll(() => botReplies.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);

  await botReplies.first().getByRole('button', { name: 'Not helpful' }).click();
  await expect.poll(async () => (await target.store.listFeedback({ kind: 'thumbs' })).map((f) => f.value), { timeout: 10_000 }).toEqual(['down']);
  const [conversation] = await target.store.listConversations();
  expect(conversation.channel).toBe('webchat');
  await screenshot(page, 'widget-real-bot');

  const transcript = await page.locator('.msg:not(.greeting) .bubble').allTextContents();
  await page.reload();
  await openWidget(page);
  expect(await page.locator('.msg:not(.greeting) .bubble').allTextContents()).toEqual(transcript);

  const repliesBefore = await botReplies.count();
  target.proxy.offline();
  await page.locator('.panel[data-connection="offline"]').waitFor();
  await say(page, 'hello');
  await say(page, '<img src=x onerror="window.__pwned=1">');
  target.proxy.online();
  await expectConnected(page);
  await expect.poll(() => page.locator('.msg[data-status="sending"]').count(), { timeout: 15_000 }).toBe(0);
  // Each of the two messages written offline got its answer after the reconnect.
  await expect.poll(() => botReplies.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(repliesBefore + 2);

  const customerTexts = (await target.store.listMessages(conversation.id)).filter((m) => m.role === 'customer').map((m) => m.text);
  expect(customerTexts.slice(0, 1)).toEqual(['where is my order']);
  expect(customerTexts.slice(2)).toEqual(['hello', '<img src=x onerror="window.__pwned=1">']);
  expect(await bubble(page, '<img src=x onerror="window.__pwned=1">').count()).toBe(1);
  expect(await page.locator('.log img').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(log.errors).toEqual([]);
}

async function startRealServerSite(): Promise<RealTarget> {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-widget-server-'));
  const config = loadConfig(
    {
      PORT: '0',
      HOST: '127.0.0.1',
      PARLEY_DATA_DIR: dir,
      PARLEY_MODELS_DIR: path.join(repoRoot, 'models'),
      PARLEY_INTENTS_DIR: path.join(repoRoot, 'intents'),
      SESSION_SECRET: secret,
      LOG_LEVEL: 'silent',
      MODELS_RELOAD_MS: '0',
      STORE: 'sqlite',
    },
    repoRoot,
  );
  const running = await startServer(config);
  const proxy = await startTcpProxy(running.port);
  return {
    url: `http://127.0.0.1:${proxy.port}/`,
    proxy,
    store: running.store,
    async close() {
      await proxy.close();
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('widget with the real server', () => {
  it('runs a whole visit against `startServer(config)`', async () => {
    const target = await startRealServerSite();
    try {
      await realBotVisit(target);
    } finally {
      await target.close();
    }
  });
});
