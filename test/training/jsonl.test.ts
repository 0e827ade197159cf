import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlError } from '../../src/training/errors.js';
import { parseJsonl, readJsonl } from '../../src/training/jsonl.js';

describe('readJsonl', () => {
  it('reads {text, label} rows', async () => {
    const rows = await readJsonl(path.join('test', 'fixtures', 'small.jsonl'));
    expect(rows).toHaveLength(30);
    expect(rows[0]).toEqual({ text: 'hi', label: 'greeting' });
  });

  it('names the line of invalid JSON, counting blank lines', async () => {
    const file = path.join('test', 'fixtures', 'bad-json.jsonl');
    const error = await readJsonl(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsonlError);
    expect((error as JsonlError).line).toBe(3);
    expect((error as Error).message).toMatch(/bad-json\.jsonl: bad JSONL line 3: not valid JSON/);
  });

  it('names the line and the key of a row without a label', async () => {
    await expect(readJsonl(path.join('test', 'fixtures', 'bad-row.jsonl'))).rejects.toThrow(/bad JSONL line 2: .*"label" is wrong/);
  });

  it('refuses empty texts, non-objects and empty files', () => {
    expect(() => parseJsonl('x.jsonl', '{"text": " ", "label": "a"}')).toThrow(/bad JSONL line 1: .*"text"/);
    expect(() => parseJsonl('x.jsonl', '{"text": "a", "label": "b"}\n[1, 2]')).toThrow(/bad JSONL line 2/);
    expect(() => parseJsonl('x.jsonl', '\n\n')).toThrow(/x\.jsonl: no rows/);
  });

  it('a missing file is one clear line', async () => {
    await expect(readJsonl('nope/missing.jsonl')).rejects.toThrow('nope/missing.jsonl: file not found');
  });
});
