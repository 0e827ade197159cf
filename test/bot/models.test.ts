import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelsHolder } from '../../src/bot/models.js';
import { readCurrent } from '../../src/nlu/index.js';
import { demoBot, modelsDir } from './helpers.js';

describe('ModelsHolder', () => {
  it('swaps in the models current.json points at; a pair taken before the reload is unchanged', async () => {
    await demoBot();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-models-'));
    try {
      const current = await readCurrent(modelsDir);
      await cp(path.join(modelsDir, current.intent!), path.join(dir, current.intent!), { recursive: true });
      await cp(path.join(modelsDir, current.sentiment!), path.join(dir, current.sentiment!), { recursive: true });
      await writeFile(path.join(dir, 'current.json'), JSON.stringify(current));
      const holder = await ModelsHolder.open(dir);
      const before = holder.current();
      expect(await holder.reload()).toBe(false);
      expect(holder.current()).toBe(before);

      // "Promote" a new intent version (a copy under another name is enough to see the swap).
      await cp(path.join(dir, current.intent!), path.join(dir, 'intent-promoted'), { recursive: true });
      await writeFile(path.join(dir, 'current.json'), JSON.stringify({ ...current, intent: 'intent-promoted' }));
      expect(await holder.reload()).toBe(true);
      expect(holder.current()).not.toBe(before);
      expect(before.intent.predict('where is my order').label).toBe(holder.current().intent.predict('where is my order').label);

      // A broken promotion keeps the serving models.
      await writeFile(path.join(dir, 'current.json'), JSON.stringify({ ...current, intent: 'missing-version' }));
      const serving = holder.current();
      await expect(holder.reload()).rejects.toThrow();
      expect(holder.current()).toBe(serving);
      expect(JSON.parse(await readFile(path.join(dir, 'current.json'), 'utf8')).intent).toBe('missing-version');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
