import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readCurrent, trainClassifier } from '../../src/nlu/index.js';
import { loadData } from '../../src/training/data-source.js';
import { decideGate } from '../../src/training/gate.js';
import { conversationRunner } from '../../src/training/retrain-conversations.js';

/**
 * The gate's conversation check on the real bot: the repository's conversations/, intents/
 * and current models, against an intent model trained on shuffled labels.
 */
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = mkdtempSync(path.join(tmpdir(), 'parley-gate-conv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('conversationRunner', () => {
  it('runs conversations/ with a given model folder, and the gate rejects a model that breaks passing scripts', async () => {
    const modelsDir = path.join(repo, 'models');
    const run = await conversationRunner({ conversationsDir: path.join(repo, 'conversations'), modelsDir, intentsDir: path.join(repo, 'intents') });
    expect(run).toBeDefined();
    const serving = await run!(path.join(modelsDir, (await readCurrent(modelsDir)).intent!));
    expect(serving.length).toBeGreaterThan(0);
    expect(serving.some((s) => s.passed)).toBe(true);

    // Labels rotated by one intent: the bot answers the wrong question everywhere.
    const { train } = await loadData(path.join(repo, 'intents'), 'intent');
    const labels = [...new Set(train.map((e) => e.label))].sort();
    const broken = await trainClassifier(train.map((e) => ({ text: e.text, label: labels[(labels.indexOf(e.label) + 1) % labels.length] })), { task: 'intent', seed: 1, epochs: 10 });
    const dir = path.join(tmp, broken.manifest.version);
    await broken.save(dir);
    const candidate = await run!(dir);
    expect(candidate.map((s) => s.name).sort()).toEqual(serving.map((s) => s.name).sort());
    expect(candidate.find((s) => !s.passed)?.failure).toMatch(/line \d+: /);

    const scores = { version: 'x', n: 10, accuracy: 0.9, macroF1: 0.9, ece: 0, perLabelF1: {} };
    const decision = decideGate({ serving: scores, candidate: scores, conversations: { serving, candidate } });
    expect(decision.promote).toBe(false);
    expect(decision.newlyFailing.length).toBeGreaterThan(0);
    expect(decision.reasons.at(-1)).toMatch(/^conversation scripts that passed now fail: /);
  }, 120_000);
});
