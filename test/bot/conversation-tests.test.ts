import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConversationScripts } from '../../src/bot/conversation-tests.js';
import { demoBot, intentsDir, modelsDir, repoRoot } from './helpers.js';

describe('conversation scripts', () => {
  it('every script in conversations/ passes against the current models', async () => {
    await demoBot(); // trains the models first on a fresh clone
    const result = await runConversationScripts(path.join(repoRoot, 'conversations'), { modelsDir, intentsDir });
    const failures = result.scripts.filter((s) => !s.passed).map((s) => `${s.file}: ${s.steps.flatMap((st) => st.problems.map((p) => `line ${st.line}: ${p}`)).join('; ')}`);
    expect(failures).toEqual([]);
    expect(result.scripts.length).toBeGreaterThanOrEqual(32);
  }, 60_000);

  it('reports a failing expectation with what the bot did, and prints per step', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'parley-scripts-'));
    try {
      await writeFile(path.join(dir, 'bad.yml'), 'name: wrong on purpose\nsteps:\n  - customer: hello\n    expect: { intent: cancel_order, escalated: true }\n');
      const lines: string[] = [];
      const result = await runConversationScripts(dir, { modelsDir, intentsDir, json: false, write: (l) => lines.push(l) });
      expect(result).toMatchObject({ passed: 0, failed: 1 });
      expect(result.scripts[0].steps[0].problems).toEqual([expect.stringContaining('intent: expected cancel_order, got greeting'), expect.stringContaining('should be escalated')]);
      expect(lines.join('\n')).toMatch(/FAIL wrong on purpose[\s\S]*line 3: intent: expected cancel_order/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
