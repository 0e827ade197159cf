import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveAgent } from '../../src/console/index.js';
import { loadConfig } from '../../src/server/config.js';
import { createLogger } from '../../src/server/logger.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { launchBrowser, newPage, type PageLog } from './lib/browser.js';
import { buildWebAssets } from './lib/build.js';
import { screenshot, screenshotOnFailure } from './lib/screenshots.js';

/**
 * The whole escalation in two real browsers: a customer in the widget gets angry and is
 * escalated; an agent in the console sees the chat rise in the queue, claims it, reads the
 * annotations, replies (the bot stays silent), relabels a message and resolves; the
 * customer is back with the bot. Customer HTML is shown as text and never runs. The server
 * is the real one (`startServer`): SQLite, the shipped models, web chat and console.
 */

const repoRoot = path.resolve(import.meta.dirname, '../..');
let browser: Browser;
let site: RunningServer;
let dataDir: string;
const pages: Page[] = [];
screenshotOnFailure(() => pages);

async function startSite(): Promise<RunningServer> {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'parley-console-e2e-'));
  const config = loadConfig({
    PORT: '0',
    PARLEY_DATA_DIR: dataDir,
    PARLEY_MODELS_DIR: path.join(repoRoot, 'models'),
    PARLEY_INTENTS_DIR: path.join(repoRoot, 'intents'),
    MODELS_RELOAD_MS: '0',
    CONSOLE_CONTACT_OFFER_AFTER_S: '0',
  });
  const server = await startServer(config, { logger: createLogger('silent') });
  await saveAgent(server.store, { name: 'ana', role: 'admin', password: 'password-123' });
  return server;
}

beforeAll(async () => {
  buildWebAssets();
  [browser, site] = await Promise.all([launchBrowser(), startSite()]);
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const XSS_IMG = '<img src=x onerror="window.__pwned=1;alert(1)">';
const XSS_SCRIPT = '<script>window.__pwned=2</script><b>bold?</b>';

async function say(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill(text);
  await page.keyboard.press('Enter');
}
const widgetBubble = (page: Page, text: string | RegExp) => page.locator('.msg .bubble').filter({ hasText: text });

describe('agent console end to end', () => {
  it('escalates an angry customer to an agent who claims, answers, relabels and hands back to the bot', async () => {
    // Someone calmer is already waiting, so the angry chat has somewhere to rise to.
    const calm = 'web:calm-customer';
    await site.engine.accept({ id: 'calm-1', conversationId: calm, channel: 'webchat', role: 'customer', from: 'calm', text: 'hello', ts: Date.now() });
    await site.engine.idle();
    await site.engine.ownership.escalate(calm, '3 low-confidence turns in a row (confidence 0.31 < 0.45)', 5);

    // The agent signs in.
    const agent = await newPage(browser);
    pages.push(agent.page);
    const dialogs: string[] = [];
    agent.page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await agent.page.goto(`${site.url}/console`);
    await agent.page.getByLabel('Name').fill('ana');
    await agent.page.getByLabel('Password').fill('password-123');
    await agent.page.getByRole('button', { name: 'Sign in' }).click();
    const waiting = agent.page.getByRole('region', { name: 'Waiting' });
    await waiting.locator(`[data-conversation-id="${calm}"]`).waitFor();
    // The page asked /me before sign-in (401 by design); count console errors from here on.
    agent.log.console.length = 0;

    // The customer gets angry over three messages.
    const customer = await newPage(browser);
    pages.push(customer.page);
    await customer.page.goto(`${site.url}/`);
    await customer.page.getByRole('button', { name: /Open chat/ }).click();
    await customer.page.locator('.panel[data-connection="online"]').waitFor();
    await say(customer.page, 'where is my order');
    await expect.poll(() => customer.page.locator('.msg[data-role="bot"]').count()).toBeGreaterThanOrEqual(1);
    await say(customer.page, 'it is two weeks late and nobody answers my emails');
    await expect.poll(() => customer.page.locator('.msg[data-role="bot"]').count()).toBeGreaterThanOrEqual(2);
    await say(customer.page, 'This is ridiculous!!! Worst service ever, I am furious');
    await widgetBubble(customer.page, /number 1 in the queue/).waitFor();
    await widgetBubble(customer.page, /expected wait/).waitFor();

    // It appears in every agent's queue, above the calmer chat.
    const items = waiting.locator('.queue-item');
    await expect.poll(() => items.count()).toBe(2);
    expect(await items.first().getAttribute('data-conversation-id')).not.toBe(calm);
    await expect.poll(() => items.first().locator('.qi-reason').textContent()).toMatch(/negative sentiment [01]\.\d\d, frustration [01]\.\d\d rising over 3 turns/);
    const conversationId = (await items.first().getAttribute('data-conversation-id'))!;
    await screenshot(agent.page, 'console-queue');

    // The customer keeps writing; what they write, including markup, reaches the agent as text.
    await say(customer.page, XSS_IMG);
    await say(customer.page, XSS_SCRIPT);
    await expect.poll(async () => (await site.engine.history(conversationId)).filter((m) => m.role === 'customer').length).toBe(5);

    // The agent opens the chat: reason, summary and per-message annotations.
    await items.first().click();
    const view = agent.page.getByRole('region', { name: 'Conversation' });
    await view.locator('[data-annotation="escalation-reason"]').filter({ hasText: 'negative sentiment' }).waitFor();
    expect(await view.locator('[data-annotation="summary"]').textContent()).toMatch(/Customer asked about order_status, late_delivery/);
    expect(await view.locator('[data-annotation="frustration-reasons"]').textContent()).toMatch(/^Frustration: .*\S/);
    const first = view.locator('.msg[data-role="customer"]').first();
    expect(await first.locator('[data-annotation="intent"]').textContent()).toMatch(/intent order_status 0\.\d\d/);
    expect(await first.locator('[data-annotation="sentiment"]').textContent()).toMatch(/sentiment neutral 0\.\d\d/);
    const angry = view.locator('.msg[data-role="customer"]').filter({ hasText: 'ridiculous' });
    expect(await angry.locator('[data-annotation="sentiment"]').textContent()).toMatch(/sentiment negative/);
    expect(await angry.locator('[data-annotation="explanation"]').textContent()).toMatch(/“[a-z ]+” \+\d\.\d\d/);
    // Customer markup is shown literally and ran nowhere.
    await view.locator('.msg[data-role="customer"] .bubble').filter({ hasText: XSS_IMG }).waitFor();
    await view.locator('.msg[data-role="customer"] .bubble').filter({ hasText: XSS_SCRIPT }).waitFor();
    expect(await view.locator('.messages img, .messages script, .messages b:text("bold?")').count()).toBe(0);
    await angry.scrollIntoViewIfNeeded();
    await screenshot(agent.page, 'console-annotations');

    // Claim; the customer is told; the agent replies and the customer sees it.
    const botRepliesBefore = (await site.engine.history(conversationId)).filter((m) => m.role === 'bot').length;
    await view.getByRole('button', { name: 'Claim' }).click();
    await view.locator('[data-owner="agent"]').filter({ hasText: 'You handle this chat' }).waitFor();
    await widgetBubble(customer.page, /ana from our support team has joined/).waitFor();

    // Typing both ways.
    await customer.page.getByRole('textbox', { name: 'Message', exact: true }).pressSequentially('one more');
    await view.getByText('Customer is typing…').waitFor();
    await customer.page.getByRole('textbox', { name: 'Message', exact: true }).fill('');
    const composer = view.getByRole('textbox', { name: 'Message to the customer' });
    await composer.pressSequentially('Hi');
    await customer.page.getByText('An agent is typing…').waitFor();
    // Canned replies: the "/" menu, then Alt+1, then a personal reply.
    await composer.fill('/sor');
    await view.getByRole('listbox', { name: 'Canned replies' }).getByRole('option', { name: /Sorry/ }).waitFor();
    await composer.press('Enter');
    expect(await composer.inputValue()).toBe('I am sorry about the trouble. Let me fix this for you.');
    await composer.fill('');
    await composer.press('Alt+1');
    expect(await composer.inputValue()).toBe('Hi, I am here to help. Let me look at your conversation.');
    await composer.fill('Hi, I am Ana. I am sorry about the delay, I am checking your order now.');
    await composer.press('Enter');
    await widgetBubble(customer.page, 'Hi, I am Ana. I am sorry about the delay, I am checking your order now.').waitFor();

    // An internal note stays in the console.
    await view.getByText('Internal note (customer does not see it)').click();
    await composer.fill('Order 1234 stuck in the depot, asked logistics.');
    await composer.press('Enter');
    await view.locator('.msg.note').filter({ hasText: 'asked logistics' }).waitFor();

    // The customer answers; the agent sees it; the bot says nothing while the agent owns the chat.
    await say(customer.page, 'ok thank you, the order number is 1234');
    await view.locator('.msg[data-role="customer"] .bubble').filter({ hasText: 'the order number is 1234' }).waitFor();
    await site.engine.idle();
    expect((await site.engine.history(conversationId)).filter((m) => m.role === 'bot')).toHaveLength(botRepliesBefore);
    expect(await customer.page.locator('.msg .bubble').filter({ hasText: 'asked logistics' }).count()).toBe(0);
    await screenshot(agent.page, 'console-conversation');
    await screenshot(customer.page, 'console-widget-with-agent');

    // Relabel the first message's intent.
    await first.getByRole('button', { name: 'Relabel' }).click();
    await first.getByRole('combobox', { name: 'Correct intent' }).selectOption('track_package');
    await first.getByRole('button', { name: 'Save intent' }).click();
    await first.getByText('Saved: track_package (pending review)').waitFor();
    const relabels = (await site.store.listFeedback({ kind: 'relabel-intent' })).filter((f) => f.conversationId === conversationId);
    expect(relabels).toMatchObject([{ value: 'track_package', text: 'where is my order', predicted: { intent: 'order_status' }, by: 'ana', review: 'pending' }]);

    // Resolve: the escalation was needed. The customer is back with the bot.
    await view.getByRole('button', { name: 'needed', exact: true }).click();
    await widgetBubble(customer.page, /ana has closed this conversation/).waitFor();
    await expect.poll(() => waiting.locator(`[data-conversation-id="${conversationId}"]`).count()).toBe(0);
    const outcome = (await site.store.listFeedback({ kind: 'escalation-outcome' })).filter((f) => f.conversationId === conversationId);
    expect(outcome).toMatchObject([{ value: 'needed', by: 'ana' }]);
    await say(customer.page, 'what are your opening hours');
    await expect.poll(async () => (await site.engine.history(conversationId)).at(-1)?.role, { timeout: 10_000 }).toBe('bot');
    const last = (await site.engine.history(conversationId)).at(-1)!;
    await widgetBubble(customer.page, last.text).waitFor();
    await screenshot(customer.page, 'console-widget-back-with-bot');

    // Nothing injected ran, in either browser.
    expect(await agent.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await customer.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(errorsOf(agent.log)).toEqual([]);
    const actions = (await site.store.listAudit({ subject: conversationId })).map((e) => `${e.actor}:${e.action}`);
    expect(actions).toEqual(expect.arrayContaining(['policy:escalate', 'ana:claim', 'ana:reply', 'ana:note', 'ana:relabel-intent', 'ana:resolve']));
  });
});

function errorsOf(log: PageLog): string[] {
  return [...log.errors, ...log.console.filter((l) => l.startsWith('error:'))];
}
