import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium; playwright's own browser downloads are never used. */
export const CHROMIUM_PATH = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a quiet, offline-friendly headless chromium on a shared CI box. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Launches one chromium for a test file (launching is the slow part; contexts are cheap).
 * Each launch gets a fresh, empty temporary profile that playwright deletes on close.
 *
 * @example
 * const browser = await launchBrowser();
 * const { page } = await newPage(browser);
 * ...
 * await browser.close();
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** Browser console errors and page crashes, collected so a test can print or assert them. */
export interface PageLog {
  errors: string[];
  console: string[];
}

/**
 * A new isolated context (own cookies and localStorage) with one page whose console
 * output and uncaught errors are collected into `log`.
 */
export async function newPage(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<{ context: BrowserContext; page: Page; log: PageLog }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  // Fail a wait well before vitest's 30 s test timeout, so the failure says what was awaited.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const log: PageLog = { errors: [], console: [] };
  page.on('pageerror', (error) => log.errors.push(String(error)));
  page.on('console', (message) => {
    log.console.push(`${message.type()}: ${message.text()}`);
  });
  return { context, page, log };
}
