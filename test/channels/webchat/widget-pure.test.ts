import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../web/widget/backoff.js';
import { resolveConfig } from '../../../web/widget/config.js';

// The widget's pure parts; the rest runs in a real browser in test/e2e/widget.test.ts.

describe('backoffDelay', () => {
  it('doubles per attempt with jitter between half and all of the step', () => {
    expect(backoffDelay(0, {}, () => 0)).toBe(250);
    expect(backoffDelay(0, {}, () => 1)).toBe(500);
    expect(backoffDelay(3, {}, () => 0)).toBe(2000);
    expect(backoffDelay(3, {}, () => 1)).toBe(4000);
  });

  it('is capped', () => {
    expect(backoffDelay(50, { maxMs: 30_000 }, () => 1)).toBe(30_000);
    expect(backoffDelay(50, { maxMs: 30_000 }, () => 0)).toBe(15_000);
  });
});

describe('resolveConfig', () => {
  it('defaults the server to /chat on the host that served widget.js, with ws or wss', () => {
    expect(resolveConfig({}, 'https://bot.example.com/widget.js', 'https://shop.example/').server).toBe('wss://bot.example.com/chat');
    expect(resolveConfig({}, 'http://127.0.0.1:8080/widget.js', 'http://x/').server).toBe('ws://127.0.0.1:8080/chat');
  });

  it('takes an explicit server and refuses other schemes', () => {
    expect(resolveConfig({ server: 'wss://chat.example.com/chat' }, undefined, 'https://shop.example/').server).toBe('wss://chat.example.com/chat');
    expect(() => resolveConfig({ server: 'javascript:alert(1)' }, undefined, 'https://shop.example/')).toThrow(/ws:\/\/ or wss:\/\//);
  });

  it('only takes a hex colour, since it goes into CSS', () => {
    expect(resolveConfig({ color: '#0f766e' }, undefined, 'https://a/').color).toBe('#0f766e');
    expect(resolveConfig({ color: 'red;} * {display:none' }, undefined, 'https://a/').color).toBe('#4f46e5');
  });

  it('fills title and greeting', () => {
    expect(resolveConfig({}, undefined, 'https://a/')).toMatchObject({ title: 'Support', greeting: 'Hi! How can I help?', open: false });
  });
});
