import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterEach } from 'vitest';

/** Screenshots and other artefacts of browser tests (git-ignored). */
export const OUTPUT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test-output');

const safe = (name: string) => name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-|-$/g, '').slice(0, 120);

/**
 * Saves a screenshot of what the viewport shows (fixed-position UI such as a chat panel
 * stays where the user sees it) to test-output/<name>.png and returns its path.
 *
 * @example await screenshot(page, 'widget-open') // => '/repo/test-output/widget-open.png'
 */
export async function screenshot(page: Page, name: string, { fullPage = false } = {}): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, `${safe(name)}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}

/**
 * Registers an afterEach that screenshots every open page when a test failed, named after
 * the test (`test-output/failed-<test name>-<n>.png`). Call it once per file, after the
 * afterEach that closes the pages: vitest runs after-hooks last-registered first.
 *
 * @example
 * let page: Page;
 * screenshotOnFailure(() => [page]);
 */
export function screenshotOnFailure(pages: () => Array<Page | undefined>): void {
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    let n = 0;
    for (const page of pages()) {
      if (!page || page.isClosed()) continue;
      try {
        const file = await screenshot(page, `failed-${context.task.name}-${n++}`, { fullPage: true });
        console.error(`screenshot of the failed test: ${file}`);
      } catch (error) {
        console.error(`could not take a screenshot: ${String(error)}`);
      }
    }
  });
}
