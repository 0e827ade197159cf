import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCurrent, resolveModel, versionName, writeCurrent } from '../../../src/nlu/model/current.js';

let models: string;
beforeEach(async () => { models = await mkdtemp(join(tmpdir(), 'parley-models-')); });
afterEach(async () => { await rm(models, { recursive: true, force: true }); });

describe('current model pointers', () => {
  it('reads nothing before any write, then keeps both tasks', async () => {
    expect(await readCurrent(models)).toEqual({});
    await writeCurrent(models, 'intent', 'intent-1');
    await writeCurrent(models, 'sentiment', 'sentiment-1');
    await writeCurrent(models, 'intent', 'intent-2');
    expect(await readCurrent(models)).toEqual({ intent: 'intent-2', sentiment: 'sentiment-1' });
  });

  it('resolves a task name, a version name or a path', async () => {
    await mkdir(join(models, 'intent-2'));
    await writeCurrent(models, 'intent', 'intent-2');
    expect(await resolveModel(models, 'intent')).toBe(join(models, 'intent-2'));
    expect(await resolveModel(models, 'intent-2')).toBe(join(models, 'intent-2'));
    expect(await resolveModel(models, join(models, 'intent-2'))).toBe(join(models, 'intent-2'));
    await expect(resolveModel(models, 'sentiment')).rejects.toThrow(/no current sentiment model/);
    await expect(resolveModel(models, 'intent-9')).rejects.toThrow(/not found/);
  });

  it('names versions by task, UTC time and data hash', () => {
    expect(versionName('intent', new Date('2026-11-28T12:15:00Z'), 'ab12cd34ef')).toBe('intent-20261128-121500-ab12cd');
  });
});
