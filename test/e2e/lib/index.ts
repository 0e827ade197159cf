/**
 * Shared helpers for browser tests: Debian chromium through playwright-core (one browser
 * per test file), screenshots into test-output/, a TCP proxy that cuts the network, and
 * the web assets build.
 *
 * @example
 * import { launchBrowser, newPage, screenshotOnFailure, buildWebAssets } from './lib/index.js';
 */
export { CHROMIUM_ARGS, CHROMIUM_PATH, launchBrowser, newPage, type PageLog } from './browser.js';
export { OUTPUT_DIR, screenshot, screenshotOnFailure } from './screenshots.js';
export { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
export { buildWebAssets } from './build.js';
