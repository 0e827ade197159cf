import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadData } from '../../src/training/data-source.js';

const fixtures = path.join('test', 'fixtures');

describe('loadData', () => {
  it('an intents folder: examples to train, tests held out', async () => {
    const data = await loadData(path.join(fixtures, 'intents-valid'), 'intent');
    expect(data.kind).toBe('intents');
    expect(data.train).toHaveLength(7);
    expect(data.test.map((t) => t.label)).toEqual(['greeting', 'refund', 'oos']);
  });

  it('a JSONL file: every row, for training or for testing', async () => {
    const data = await loadData(path.join(fixtures, 'small-test.jsonl'), 'intent');
    expect(data.kind).toBe('jsonl');
    expect(data.train).toHaveLength(6);
    expect(data.test).toEqual(data.train);
  });

  it('a missing path or a file that is not JSONL is a clear error', async () => {
    await expect(loadData(path.join(fixtures, 'nope'), 'intent')).rejects.toThrow(/nope: not found; pass an intents folder or a \.jsonl file/);
    await expect(loadData(path.join(fixtures, 'intents-valid', 'greeting.yml'), 'intent')).rejects.toThrow(/expected an intents folder or a \.jsonl file/);
  });
});
