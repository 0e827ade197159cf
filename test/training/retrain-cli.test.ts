import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCurrent } from '../../src/nlu/index.js';
import { loadIntents, toTrainingData } from '../../src/training/intents.js';
import { loadConfig } from '../../src/server/config.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { acceptLabel, baseExamples, trainAndSave, workspace, type Workspace } from './retrain-fixtures.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
let ws: Workspace;
let dataDir: string;

/** The real CLI as a child process, on the workspace's store (PARLEY_DATA_DIR). */
async function parley(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(repo, 'bin/parley.js'), ...args], { cwd: ws.root, env: { ...process.env, PARLEY_DATA_DIR: dataDir, STORE: 'sqlite', USER: 'ci-user', PARLEY_DEBUG: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function cliStoreFile(): string {
  const { store } = loadConfig({ PARLEY_DATA_DIR: dataDir, STORE: 'sqlite' });
  if (store.kind !== 'sqlite') throw new Error('expected a sqlite store');
  return store.file;
}

beforeAll(async () => {
  ws = await workspace('parley-retrain-cli-');
  dataDir = path.join(ws.root, 'cli-data');
  await ws.store.close();
  // The CLI opens the store `parley serve` would (src/console/cli-store.ts).
  ws.store = await openSqliteStore({ file: cliStoreFile() });
  const few = baseExamples().filter((_, i) => i % 4 === 0);
  await trainAndSave(ws.modelsDir, few);
  for (const [text, label] of [['where has my parcel gone', 'order_status'], ['money back for this please', 'return_refund'], ['locked out, password reset', 'reset_password'], ['open on bank holidays?', 'store_hours']]) {
    await acceptLabel(ws.store, text, label);
  }
  await ws.store.close();
});

afterAll(() => rmSync(ws.root, { recursive: true, force: true }));

// Sequential: child processes on shared cores.
describe('parley retrain / models promote | rollback | diff (child process)', { timeout: 60_000 }, () => {
  it('retrains, promotes through the gate, then skips when nothing is new', async () => {
    const before = (await readCurrent(ws.modelsDir)).intent;
    const r = await parley('retrain', '--models', ws.modelsDir, '--data', ws.intentsDir, '--no-conversations', '--seed', '1');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^promoted: macro-F1/);
    expect(r.stdout).toContain('4 new labels');
    const after = (await readCurrent(ws.modelsDir)).intent;
    expect(after).not.toBe(before);

    const again = await parley('retrain', '--models', ws.modelsDir, '--data', ws.intentsDir, '--no-conversations', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'skipped', newLabels: 0 });
  });

  it('diffs, rolls back and promotes with who and why in the audit log', async () => {
    const history = readFileSync(path.join(ws.modelsDir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { version: string; from: string });
    const { version: candidate, from: first } = history[0];

    const diff = await parley('models', 'diff', first, candidate, '--models', ws.modelsDir, '--data', ws.intentsDir);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain(`a: ${first}`);
    expect(diff.stdout).toMatch(/feedbackIncluded\s+0\s+\d+\s+\+\d+/);
    expect(diff.stdout).toMatch(/per-label F1 on 14 held-out examples/);

    const back = await parley('models', 'rollback', '--models', ws.modelsDir, '--reason', 'answers got worse');
    expect(back.code).toBe(0);
    expect(back.stdout).toContain(`rolled back the intent model to ${first}`);
    expect((await readCurrent(ws.modelsDir)).intent).toBe(first);

    const promoted = await parley('models', 'promote', candidate, '--models', ws.modelsDir, '--by', 'ana', '--reason', 'fixed');
    expect(promoted.code).toBe(0);
    expect((await readCurrent(ws.modelsDir)).intent).toBe(candidate);
    expect((await parley('models', 'promote', 'intent-nope', '--models', ws.modelsDir)).stderr).toMatch(/^parley: cannot promote 'intent-nope'/);

    const store = await openSqliteStore({ file: cliStoreFile() });
    try {
      const audit = (await store.listAudit()).filter((a) => a.action === 'promote' || a.action === 'rollback');
      expect(audit.map((a) => [a.action, a.actor, a.subject, a.details.reason])).toEqual([
        ['promote', 'ana', candidate, 'fixed'],
        ['rollback', 'ci-user', first, 'answers got worse'],
        ['promote', 'ci-user', candidate, expect.stringMatching(/^gate passed/)],
      ]);
    } finally {
      await store.close();
    }
  });

  it('exports accepted feedback into the intents YAML for a pull request', async () => {
    const r = await parley('retrain', '--export', '--data', ws.intentsDir, '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { examples: number; tests: number };
    expect(result.examples + result.tests).toBe(4);
    const { train, test } = toTrainingData(await loadIntents(ws.intentsDir));
    expect([...train, ...test]).toContainEqual({ text: 'where has my parcel gone', label: 'order_status' });
  });
});
