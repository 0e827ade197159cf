import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { webchatRouter } from '../../../src/channels/webchat/router.js';

const secret = 'router-test-secret-0123456789';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function serve(options: Parameters<typeof webchatRouter>[0]): Promise<string> {
  const app = express();
  app.use(webchatRouter(options));
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function tempDist(contents?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-webchat-'));
  if (contents !== undefined) writeFileSync(path.join(dir, 'widget.js'), contents);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('webchatRouter', () => {
  it('serves widget.js to any site, as JavaScript', async () => {
    const base = await serve({ secret, distDir: tempDist('console.log("widget")') });
    const res = await fetch(`${base}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/javascript/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await res.text()).toBe('console.log("widget")');
  });

  it('says how to build the widget when it is missing', async () => {
    const base = await serve({ secret, distDir: tempDist() });
    const res = await fetch(`${base}/widget.js`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/npm run build:web/);
  });

  it('serves the demo shop at / embedding the widget with one tag, unless turned off', async () => {
    const base = await serve({ secret });
    const html = await (await fetch(`${base}/`)).text();
    expect(html.match(/<script [^>]*src="\/widget\.js"[^>]*>/g)).toHaveLength(1);
    const off = await serve({ secret, serveDemo: false });
    expect((await fetch(`${off}/`)).status).toBe(404);
  });

  it('refuses invalid options with the field named', () => {
    expect(() => webchatRouter({ secret: 'short' })).toThrow(/secret: webchat secret must be at least 16 characters/);
  });
});
