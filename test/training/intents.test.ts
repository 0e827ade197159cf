import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IntentsError } from '../../src/training/errors.js';
import { loadIntents, sentenceKey, toTrainingData } from '../../src/training/intents.js';

const fixtures = path.join('test', 'fixtures');
const dir = (name: string) => path.join(fixtures, `intents-${name}`);

async function loadError(name: string): Promise<IntentsError> {
  try {
    await loadIntents(dir(name));
  } catch (error) {
    expect(error).toBeInstanceOf(IntentsError);
    return error as IntentsError;
  }
  throw new Error(`loading ${name} should have failed`);
}

describe('loadIntents', () => {
  it('loads a valid folder: intents, responses, out-of-scope, files (sub-folders ignored)', async () => {
    const set = await loadIntents(dir('valid'));
    expect(set.intents.map((i) => i.name)).toEqual(['greeting', 'refund']);
    expect(set.files).toEqual(['greeting.yml', 'oos.yml', 'refund.yml'].map((f) => path.join(dir('valid'), f)));
    const [greeting, refund] = set.intents;
    expect(greeting.examples).toEqual(['hi', 'hello there', 'good morning']);
    expect(greeting.tests).toEqual(['hey you']);
    expect(greeting.responses).toEqual([{ text: 'Hello! How can I help?' }]); // plain string form
    expect(refund.tests).toEqual(['refund me please']);
    expect(refund.responses[0].quickReplies).toEqual([{ title: 'Start a return', value: 'I want to return an item' }]);
    expect(set.outOfScope).toEqual({ examples: ["what's the weather", 'tell me a joke'], tests: ['who won the match'] });
  });

  it('toTrainingData: examples to train, tests held out, out-of-scope labelled oos', async () => {
    const { train, test } = toTrainingData(await loadIntents(dir('valid')));
    expect(train).toHaveLength(7);
    expect(train).toContainEqual({ text: 'tell me a joke', label: 'oos' });
    expect(test).toEqual([
      { text: 'hey you', label: 'greeting' },
      { text: 'refund me please', label: 'refund' },
      { text: 'who won the match', label: 'oos' },
    ]);
  });

  it('bad YAML: names the line of the unclosed quote', async () => {
    const e = await loadError('bad-yaml');
    expect(e.file).toBe(path.join(dir('bad-yaml'), 'greeting.yml'));
    expect(e.line).toBe(4);
    expect(e.message).toMatch(/greeting\.yml line 4: invalid YAML: Missing closing "quote/);
  });

  it('missing name', async () => {
    const e = await loadError('missing-name');
    expect(e.line).toBe(1);
    expect(e.message).toContain('missing "name": write `name: <intent_name>`');
  });

  it('empty examples: points at the examples key', async () => {
    const e = await loadError('empty-examples');
    expect(e.line).toBe(2);
    expect(e.message).toContain('"examples" is empty: add at least one example sentence');
  });

  it('wrong type: points at the item', async () => {
    const e = await loadError('wrong-type');
    expect(e.line).toBe(5);
    expect(e.message).toContain('"examples[2]" should be string, got number');
  });

  it('duplicate intent name across files names both files', async () => {
    const e = await loadError('duplicate-name');
    expect(e.file).toBe(path.join(dir('duplicate-name'), 'greeting.yml'));
    expect(e.line).toBe(1);
    expect(e.message).toContain(`intent "greeting" is already defined in ${path.join(dir('duplicate-name'), 'greeting.yaml')}`);
  });

  it('an example under two intents names both places (case and end punctuation ignored)', async () => {
    const e = await loadError('duplicate-example');
    expect(e.file).toBe(path.join(dir('duplicate-example'), 'thanks.yml'));
    expect(e.line).toBe(5);
    expect(e.message).toContain(`example "Hello there!" is also listed under intent "greeting" (${path.join(dir('duplicate-example'), 'greeting.yml')} line 4)`);
  });

  it('a test that is also an example (in another file) is refused', async () => {
    const e = await loadError('test-in-examples');
    expect(e.file).toBe(path.join(dir('test-in-examples'), 'thanks.yml'));
    expect(e.line).toBe(6);
    expect(e.message).toContain(`test "Good morning" is also a training example (${path.join(dir('test-in-examples'), 'greeting.yml')} line 4)`);
  });

  it('a file whose name differs from its intent name is an error', async () => {
    const e = await loadError('name-mismatch');
    expect(e.line).toBe(2);
    expect(e.message).toContain('name "hello" differs from the file name: rename the file to hello.yml or set name: greeting');
  });

  it('a missing folder fails clearly', async () => {
    await expect(loadIntents(path.join(fixtures, 'no-such-folder'))).rejects.toThrow(/intents folder not found/);
  });
});

describe('sentenceKey', () => {
  it('ignores case, repeated spaces and end punctuation only', () => {
    expect(sentenceKey('  Hello   there!! ')).toBe('hello there');
    expect(sentenceKey("what's up?")).toBe("what's up");
    expect(sentenceKey('a.b')).toBe('a.b');
  });
});
