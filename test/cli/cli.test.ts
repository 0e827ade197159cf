import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');

/** Runs the real CLI as a child process; never throws, returns the exit code and output. */
async function parley(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return parleyIn(repo, ...args);
}

async function parleyIn(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(repo, 'bin/parley.js'), ...args], { cwd, env: { ...process.env, PARLEY_DEBUG: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const lastLine = (s: string) => s.trimEnd().split('\n').at(-1)!;

// Sequential on purpose: on 2 shared cores, parallel child processes time each other out.
describe('parley CLI (child process)', { timeout: 60_000 }, () => {
  let tmp: string;
  let modelDir: string;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'parley-cli-'));
    modelDir = path.join(tmp, 'models', 'small');
    const r = await parley('train', '--data', 'test/fixtures/small.jsonl', '--out', modelDir, '--seed', '3');
    expect(r.stderr).toMatch(/epoch 1\//); // progress goes to stderr, one line per few epochs without a TTY
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`saved to ${modelDir}`);
  });
  afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

  it('train --out writes a model folder and leaves current.json alone', async ({ expect }) => {
    const files = await readdir(modelDir);
    expect(files).toEqual(expect.arrayContaining(['manifest.json', 'MODEL_CARD.md']));
    const manifest = JSON.parse(await readFile(path.join(modelDir, 'manifest.json'), 'utf8'));
    expect(manifest.labels).toEqual(['greeting', 'refund', 'track']);
    expect(manifest.classifier.seed).toBe(3);
    expect(await readdir(path.join(tmp, 'models'))).toEqual(['small']);
  });

  it('test --json prints the metrics as the last line of stdout', async ({ expect }) => {
    const r = await parley('test', '--model', modelDir, '--data', 'test/fixtures/small-test.jsonl', '--json');
    expect(r.code).toBe(0);
    const metrics = JSON.parse(lastLine(r.stdout));
    expect(metrics.n).toBe(6);
    for (const key of ['accuracy', 'macroF1', 'ece']) {
      expect(metrics[key]).toBeGreaterThanOrEqual(0);
      expect(metrics[key]).toBeLessThanOrEqual(1);
    }
    expect(metrics.accuracy).toBeGreaterThanOrEqual(0.5);
    expect(metrics.inScopeAccuracy).toBeUndefined(); // no oos rows in this data
  });

  it('test on an intents folder reports oos metrics, a readable table and an HTML report', async ({ expect }) => {
    const report = path.join(tmp, 'report.html');
    const json = await parley('test', '--model', modelDir, '--data', 'test/fixtures/intents-valid', '--json');
    const metrics = JSON.parse(lastLine(json.stdout));
    expect(metrics.n).toBe(3);
    expect(metrics).toHaveProperty('inScopeAccuracy');
    expect(metrics).toHaveProperty('oosRecall');
    const text = await parley('test', '--model', modelDir, '--data', 'test/fixtures/small-test.jsonl', '--report', report);
    expect(text.stdout).toMatch(/label\s+precision\s+recall\s+F1\s+support/);
    expect(text.stdout).toMatch(/^refund\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+2$/m);
    const html = await readFile(report, 'utf8');
    expect(html).toContain('<table class="cm">');
    expect(html).toContain('aria-label="training curve"');
  });

  it('predict prints the label, confidence, alternatives, flags and explanation', async ({ expect }) => {
    const text = await parley('predict', '--model', modelDir, 'where is my parcel please');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^intent: track \(confidence 0\.\d{3}\)$/m);
    expect(text.stdout).toMatch(/^alternatives: (greeting|refund) /m);
    expect(text.stdout).toMatch(/^flags: /m);
    expect(text.stdout).toMatch(/^explanation/m);
    const json = JSON.parse(lastLine((await parley('predict', '--model', modelDir, '--json', 'refund please')).stdout));
    expect(json).toMatchObject({ label: 'refund', top: 'refund', fallback: false });
    expect(json.ranking.length).toBe(3);
    expect(json.explanation.length).toBeGreaterThan(0);
  });

  it('train without --data/--out trains intents/ into models/<version> and makes it current', async ({ expect }) => {
    const project = path.join(tmp, 'project');
    await cp(path.join(repo, 'test/fixtures/intents-valid'), path.join(project, 'intents'), { recursive: true });
    const r = await parleyIn(project, 'train');
    expect(r.code).toBe(0);
    const current = JSON.parse(await readFile(path.join(project, 'models', 'current.json'), 'utf8'));
    expect(current.intent).toMatch(/^intent-\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(await readdir(path.join(project, 'models'))).toEqual(['current.json', current.intent]);
    expect(r.stdout).toContain(`set as current intent model`);
    expect(r.stdout).toMatch(/held-out tests: n=3 /);
    const show = await parleyIn(project, 'models', 'show', 'intent');
    expect(show.stdout).toContain(`${current.intent} (current)`);
    expect(show.stdout).toMatch(/testAccuracy: [\d.]+/);
  });

  it('models list shows the versions in a models folder', async ({ expect }) => {
    const r = await parley('models', 'list', '--models', path.join(tmp, 'models'), '--json');
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ task: 'intent', trainingExamples: 30, current: false });
  });

  it('train --encoder adds a transformers.js encoder (a generated tiny model, offline) and predict runs it', async ({ expect }) => {
    const { generateTinyEncoder } = await import('../../src/nlu/tiny-encoder/index.js');
    const encoderDir = path.join(tmp, 'encoders', 'tiny');
    await generateTinyEncoder(encoderDir, { dim: 16 });
    const out = path.join(tmp, 'with-encoder');
    const r = await parley('train', '--data', 'test/fixtures/small.jsonl', '--out', out, '--encoder', encoderDir);
    expect(r.code).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.featurizers.map((f: { kind: string }) => f.kind)).toEqual(['ngrams', 'encoder']);
    const p = await parley('predict', '--model', out, '--json', 'I want my money back');
    expect(p.code).toBe(0);
    expect(JSON.parse(lastLine(p.stdout))).toMatchObject({ model: manifest.version, top: 'refund' });
    const missing = await parley('train', '--data', 'test/fixtures/small.jsonl', '--out', path.join(tmp, 'unused'), '--encoder', path.join(tmp, 'no-such-encoder'));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('no-such-encoder');
  });

  it.for<[string[], RegExp]>([
    [['train', '--data', 'test/fixtures/bad-json.jsonl', '--out', 'unused'], /^parley: test\/fixtures\/bad-json\.jsonl: bad JSONL line 3: /],
    [['test', '--model', 'test/fixtures', '--data', 'test/fixtures/small.jsonl'], /^parley: .*no manifest\.json here: not a Parley model folder/],
    [['predict', '--model', 'no-such-model', 'hi'], /^parley: model 'no-such-model' not found/],
  ])('user errors are one line and exit 2: %s', async ([args, message], { expect }) => {
    const r = await parley(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
