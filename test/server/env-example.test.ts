import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvSchema, loadConfig } from '../../src/server/config.js';
import { repoRoot } from '../bot/helpers.js';

describe('.env.example', () => {
  const text = readFileSync(path.join(repoRoot, '.env.example'), 'utf8');
  const entries = [...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((m) => [m[1], m[2]] as const);

  it('lists every variable the config schema reads', () => {
    const listed = new Set(entries.map(([name]) => name));
    expect(Object.keys(EnvSchema.shape).filter((name) => !listed.has(name))).toEqual([]);
  });

  it('holds values the config accepts as they stand', () => {
    const active = Object.fromEntries(entries.filter(([name]) => !text.includes(`# ${name}=`) && !text.includes(`#${name}=`)));
    expect(() => loadConfig(active, repoRoot)).not.toThrow();
  });
});
