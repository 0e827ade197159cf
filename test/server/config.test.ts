import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/server/config.js';

describe('server config', () => {
  it('has safe defaults: loopback, port 3000, SQLite under ./data', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', modelsDir: '/srv/app/models', intentsDir: '/srv/app/intents', store: { kind: 'sqlite', file: path.join('/srv/app/data', 'parley.db'), cacheMb: 4 }, logLevel: 'info' });
    expect(c.limits).toEqual({ maxMessageChars: 2000, ratePerConnection: 10, rateRefillPerSecond: 1, idleTimeoutMs: 300_000 });
    expect(c.replyHoldMs).toBe(300);
    expect(c.policy.fallbacks.inARow).toBe(3);
  });

  it('reads every variable, treating empty ones as unset', () => {
    const c = loadConfig({ PORT: '0', HOST: '0.0.0.0', STORE: 'redis', REDIS_URL: 'redis://10.0.0.5:6380', LOG_LEVEL: '', SESSION_SECRET: 'a-long-enough-secret', ALLOWED_ORIGINS: 'https://a.example, https://b.example', ESCALATION_FALLBACKS_IN_A_ROW: '2', ESCALATION_KEYWORDS: 'lawyer,refund now' }, '/x');
    expect(c).toMatchObject({ port: 0, host: '0.0.0.0', store: { kind: 'redis', url: 'redis://10.0.0.5:6380', prefix: 'parley:' }, logLevel: 'info', secret: 'a-long-enough-secret', allowedOrigins: ['https://a.example', 'https://b.example'] });
    expect(c.policy.fallbacks.inARow).toBe(2);
    expect(c.policy.rules.keywords.words).toEqual(['lawyer', 'refund now']);
  });

  it('passes the SQLite page cache size to the store, and refuses a bad one', () => {
    expect(loadConfig({ SQLITE_CACHE_MB: '32' }).store).toMatchObject({ kind: 'sqlite', cacheMb: 32 });
    expect(() => loadConfig({ SQLITE_CACHE_MB: '0' })).toThrow(/SQLITE_CACHE_MB/);
  });

  it('holds a customer message\'s frames for the reply 300 ms unless told otherwise (0: not at all), and refuses a bad hold', () => {
    expect(loadConfig({ REPLY_HOLD_MS: '50' }).replyHoldMs).toBe(50);
    expect(loadConfig({ REPLY_HOLD_MS: '0' }).replyHoldMs).toBe(0);
    expect(() => loadConfig({ REPLY_HOLD_MS: '60000' })).toThrow(/REPLY_HOLD_MS/);
  });

  it('collects garbage 2 s after the last message unless told otherwise (0: never), and refuses a bad delay', () => {
    expect(loadConfig({}).idleGcMs).toBe(2000);
    expect(loadConfig({ IDLE_GC_MS: '0' }).idleGcMs).toBe(0);
    expect(() => loadConfig({ IDLE_GC_MS: '-1' })).toThrow(/IDLE_GC_MS/);
  });

  it('applies escalation overrides given as JSON and validates them', () => {
    expect(loadConfig({ ESCALATION_POLICY: '{"sentiment":{"minTurns":3}}' }).policy.sentiment.minTurns).toBe(3);
    expect(() => loadConfig({ ESCALATION_POLICY: '{"sentiment":{"minTurns":0}}' })).toThrow(/escalation policy sentiment\.minTurns/);
    expect(() => loadConfig({ ESCALATION_POLICY: 'nope' })).toThrow(/ESCALATION_POLICY is not valid JSON/);
  });

  it('names the bad variable, and insists on a secret in production', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ STORE: 'mongo' })).toThrow(/STORE/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET must be set/);
    expect(() => loadConfig({ SESSION_SECRET: 'short' })).toThrow(/at least 16/);
  });
});
