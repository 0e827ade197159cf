import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSentimentData, SENTIMENT_LABELS } from '../../src/training/sentiment-data.js';

const fixtures = path.resolve(import.meta.dirname, '../fixtures');
const dirs: string[] = [];
async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'parley-sentiment-'));
  dirs.push(dir);
  for (const [name, body] of Object.entries(files)) await writeFile(path.join(dir, name), body);
  return dir;
}
afterEach(async () => { for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true }); });

describe('loadSentimentData', () => {
  it('loads the project data: enough examples per label, held-out tests apart', async () => {
    const { train, test } = await loadSentimentData(path.resolve(import.meta.dirname, '../../intents/sentiment'));
    expect(train.length).toBeGreaterThanOrEqual(1500);
    for (const label of SENTIMENT_LABELS) {
      expect(train.filter((e) => e.label === label).length).toBeGreaterThanOrEqual(300);
      expect(test.filter((e) => e.label === label).length).toBeGreaterThanOrEqual(100);
    }
    const trained = new Set(train.map((e) => e.text));
    expect(test.filter((e) => trained.has(e.text))).toEqual([]);
  });

  it('reads a folder of label files; several files may share a label', async () => {
    const dir = await folder({
      'negative.yml': 'label: negative\nexamples:\n  - this is awful\ntests:\n  - so bad\n',
      'negative-films.yml': 'label: negative\nexamples:\n  - a dull film\n',
      'positive.yml': 'label: positive\nexamples: ["love it"]\n',
      'notes.txt': 'ignored',
    });
    const { train, test } = await loadSentimentData(dir);
    expect(train).toEqual([{ text: 'a dull film', label: 'negative' }, { text: 'this is awful', label: 'negative' }, { text: 'love it', label: 'positive' }]);
    expect(test).toEqual([{ text: 'so bad', label: 'negative' }]);
  });

  it('names the file and line of an unknown label', async () => {
    const dir = await folder({ 'angry.yml': '# comment\nlabel: angry\nexamples:\n  - grr\n' });
    await expect(loadSentimentData(dir)).rejects.toThrow(/angry\.yml line 2: label: label must be one of negative, neutral, positive/);
  });

  it('names the file and line of an empty sentence and of bad YAML', async () => {
    const empty = await folder({ 'neutral.yml': 'label: neutral\nexamples:\n  - fine\n  - "  "\n' });
    await expect(loadSentimentData(empty)).rejects.toThrow(/neutral\.yml line 4: examples\.1: an empty sentence/);
    const broken = await folder({ 'neutral.yml': 'label: neutral\nexamples:\n  - "unclosed\n' });
    await expect(loadSentimentData(broken)).rejects.toThrow(/neutral\.yml line \d+: invalid YAML/);
  });

  it('refuses a test that is also an example, and one sentence under two labels', async () => {
    const leak = await folder({ 'positive.yml': 'label: positive\nexamples:\n  - thanks a lot\ntests:\n  - thanks a lot\n' });
    await expect(loadSentimentData(leak)).rejects.toThrow(/positive\.yml line 5: "thanks a lot" is both an example and a test/);
    const twice = await folder({
      'negative.yml': 'label: negative\nexamples:\n  - fine.\n',
      'positive.yml': 'label: positive\nexamples:\n  - fine.\n',
    });
    await expect(loadSentimentData(twice)).rejects.toThrow(/positive\.yml line 3: "fine\." is also labelled negative in .*negative\.yml line 3/);
  });

  it('reads a JSONL file as both train and test (the caller uses one of them)', async () => {
    const { train, test } = await loadSentimentData(path.join(fixtures, 'sentiment-small.jsonl'));
    expect(train.map((e) => e.label)).toEqual(['positive', 'neutral', 'negative']);
    expect(test).toEqual(train);
  });

  it('names the file and line of bad JSONL rows and labels', async () => {
    await expect(loadSentimentData(path.join(fixtures, 'sentiment-bad-json.jsonl'))).rejects.toThrow(/sentiment-bad-json\.jsonl: bad JSONL line 2/);
    await expect(loadSentimentData(path.join(fixtures, 'sentiment-bad-label.jsonl'))).rejects.toThrow(/sentiment-bad-label\.jsonl: row 2: label "angry"/);
  });

  it('says what to pass when the path is wrong', async () => {
    await expect(loadSentimentData('/nonexistent/sentiment')).rejects.toThrow(/not found; pass a sentiment folder/);
    const dir = await folder({ 'a.txt': 'x' });
    await expect(loadSentimentData(path.join(dir, 'a.txt'))).rejects.toThrow(/expected a folder/);
    await expect(loadSentimentData(dir)).rejects.toThrow(/no \.yml files/);
  });
});
