import { readFileSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { readCurrent, readManifest } from '../../src/nlu/index.js';
import { diffManifests, diffModels, formatDiff } from '../../src/training/registry-diff.js';
import { listVersions, promote, readHistory, RegistryError, rollback, rollbackTarget, type HistoryEntry } from '../../src/training/registry.js';
import { watchCurrent } from '../../src/training/registry-watch.js';
import { baseExamples, baseTests, trainAndSave, workspace, type Workspace } from './retrain-fixtures.js';

let ws: Workspace | undefined;
afterEach(async () => {
  await ws?.store.close();
  if (ws) rmSync(ws.root, { recursive: true, force: true });
  ws = undefined;
});

const h = (action: HistoryEntry['action'], version: string, from?: string): HistoryEntry => ({ ts: 0, task: 'intent', action, version, ...(from ? { from } : {}), by: 't' });

describe('rollbackTarget (pure)', () => {
  it('goes back through promotions like a stack', () => {
    const history = [h('promote', 'B', 'A'), h('promote', 'C', 'B')];
    expect(rollbackTarget(history, 'intent', 'C', ['A', 'B', 'C'])).toBe('B');
    const after = [...history, h('rollback', 'B', 'C')];
    expect(rollbackTarget(after, 'intent', 'B', ['A', 'B', 'C'])).toBe('A');
    const twice = [...after, h('rollback', 'A', 'B')];
    // History exhausted at A: the next older folder, if any.
    expect(rollbackTarget(twice, 'intent', 'A', ['A', 'B', 'C'])).toBeUndefined();
    expect(rollbackTarget(twice, 'intent', 'A', ['Z', 'A', 'B', 'C'])).toBe('Z');
  });

  it('without history, returns the next older version on disk', () => {
    expect(rollbackTarget([], 'intent', 'C', ['A', 'B', 'C'])).toBe('B');
    expect(rollbackTarget([], 'intent', 'A', ['A', 'B'])).toBeUndefined();
  });

  it('skips versions whose folder is gone, and ignores the other task', () => {
    const history = [h('promote', 'B', 'A'), h('promote', 'C', 'B'), { ...h('promote', 'S2', 'S1'), task: 'sentiment' as const }];
    expect(rollbackTarget(history, 'intent', 'C', ['A', 'C'])).toBe('A');
  });
});

describe('registry on real model folders', () => {
  it('promotes and rolls back, recording who and why in history.jsonl and the audit log', async () => {
    ws = await workspace('parley-registry-');
    const v1 = await trainAndSave(ws.modelsDir, baseExamples(), { seed: 1 });
    const v2 = await trainAndSave(ws.modelsDir, baseExamples().slice(0, -3), { current: false, seed: 2 });

    const p = await promote(ws.modelsDir, v2, { by: 'ana', reason: 'more data', audit: ws.store, now: () => 1000 });
    expect(p).toEqual({ task: 'intent', version: v2, from: v1 });
    expect((await readCurrent(ws.modelsDir)).intent).toBe(v2);

    const r = await rollback(ws.modelsDir, 'intent', { by: 'bo', reason: 'refunds got worse', audit: ws.store, now: () => 2000 });
    expect(r).toEqual({ task: 'intent', version: v1, from: v2 });
    expect((await readCurrent(ws.modelsDir)).intent).toBe(v1);

    expect(await readHistory(ws.modelsDir)).toEqual([
      { ts: 1000, task: 'intent', action: 'promote', version: v2, from: v1, by: 'ana', reason: 'more data' },
      { ts: 2000, task: 'intent', action: 'rollback', version: v1, from: v2, by: 'bo', reason: 'refunds got worse' },
    ]);
    const audit = await ws.store.listAudit();
    expect(audit.map((a) => [a.action, a.actor, a.subject, a.details.reason])).toEqual([
      ['rollback', 'bo', v1, 'refunds got worse'],
      ['promote', 'ana', v2, 'more data'],
    ]);
    // Every version stays on disk.
    expect((await listVersions(ws.modelsDir)).map((m) => m.version).sort()).toEqual([v1, v2].sort());
  });

  it('refuses to promote an unknown version and to roll back past the first one', async () => {
    ws = await workspace('parley-registry-');
    await trainAndSave(ws.modelsDir, baseExamples());
    await expect(promote(ws.modelsDir, 'intent-nope', { by: 'ana' })).rejects.toThrow(RegistryError);
    await expect(rollback(ws.modelsDir, 'intent', { by: 'ana' })).rejects.toThrow(/no earlier intent version/);
    await expect(rollback(ws.modelsDir, 'sentiment', { by: 'ana' })).rejects.toThrow(/no current sentiment model/);
  });

  it('diffs two versions: metrics side by side, labels added and removed, per-label F1', async () => {
    ws = await workspace('parley-registry-');
    const all = baseExamples();
    const v1 = await trainAndSave(ws.modelsDir, all.filter((e) => e.label !== 'store_hours'), { seed: 1 });
    const v2 = await trainAndSave(ws.modelsDir, all, { seed: 2, current: false });
    const d = await diffModels(ws.modelsDir, v1, v2, { tests: baseTests() });
    expect(d.labelsAdded).toEqual(['store_hours']);
    expect(d.labelsRemoved).toEqual([]);
    expect(d.trainingExamples).toEqual({ a: all.length - 10, b: all.length });
    const hours = d.perLabel!.find((p) => p.label === 'store_hours')!;
    expect(hours.before).toBe(0);
    expect(hours.after).toBeGreaterThan(0.5);
    expect(d.metrics.find((m) => m.name === 'heldOutExamples')).toBeDefined();
    const text = formatDiff(d);
    expect(text).toContain('labels added: store_hours');
    expect(text).toMatch(/store_hours\s+0\.000\s+\d\.\d{3}\s+\+/);
    const reverse = diffManifests(await readManifest(`${ws.modelsDir}/${v2}`), await readManifest(`${ws.modelsDir}/${v1}`));
    expect(reverse.labelsRemoved).toEqual(['store_hours']);
  });
});

describe('watchCurrent', () => {
  it('reports a promotion once, with the new versions', async () => {
    ws = await workspace('parley-watch-');
    const v1 = await trainAndSave(ws.modelsDir, baseExamples());
    const v2 = await trainAndSave(ws.modelsDir, baseExamples().slice(1), { current: false, seed: 3 });
    const seen: string[] = [];
    let notify: () => void = () => {};
    const changed = new Promise<void>((resolve) => { notify = resolve; });
    const stop = await watchCurrent(ws.modelsDir, (c) => { seen.push(c.intent ?? ''); notify(); }, { pollMs: 200 });
    try {
      await promote(ws.modelsDir, v2, { by: 't' });
      await changed;
      // Give the other mechanism (watch or poll) the chance to report it a second time.
      await new Promise((r) => setTimeout(r, 500));
      expect(seen).toEqual([v2]);
      expect(JSON.parse(readFileSync(`${ws.modelsDir}/current.json`, 'utf8')).intent).toBe(v2);
      expect(v1).not.toBe(v2);
    } finally {
      stop();
    }
  });
});
