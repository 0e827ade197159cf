import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvSchema, loadConfig } from '../../src/server/config.js';
import { repoRoot } from '../bot/helpers.js';

describe('.env.example', () => {
  const text = readFileSync(path.join(repoRoot, '.env.example'), 'utf8');
  // Listed: set, or shown commented out (`# NAME=...`); set: the lines a .env copy would apply.
  const listed = new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
  const set = Object.fromEntries([...text.matchAll(/^([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1], m[2]]));

  it('lists every variable the config schema reads', () => {
    expect(Object.keys(EnvSchema.shape).filter((name) => !listed.has(name))).toEqual([]);
  });

  it('holds values the config accepts as they stand', () => {
    expect(() => loadConfig(set, repoRoot)).not.toThrow();
  });
});
