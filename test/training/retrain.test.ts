import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCurrent, readManifest } from '../../src/nlu/index.js';
import { randomBytes } from 'node:crypto';
import { deletePrefix } from '../helpers/redis.js';
import { openRedisStore } from '../../src/store/redis.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { retrain } from '../../src/training/retrain.js';
import { acceptLabel, baseExamples, INTENTS, trainAndSave, workspace, type Workspace } from './retrain-fixtures.js';

let ws: Workspace | undefined;
afterEach(async () => {
  await ws?.store.close();
  if (ws) rmSync(ws.root, { recursive: true, force: true });
  ws = undefined;
});

/** A weak serving model: two examples per intent. */
async function weakServing(w: Workspace): Promise<string> {
  const byLabel = new Map<string, number>();
  const few = baseExamples().filter((e) => {
    const n = byLabel.get(e.label) ?? 0;
    byLabel.set(e.label, n + 1);
    return n < 2;
  });
  return trainAndSave(w.modelsDir, few);
}

const paraphrases: Array<[string, string]> = [
  ['where has my package got to', 'order_status'], ['my order is late where is it', 'order_status'], ['track my order', 'order_status'],
  ['i want to send this back', 'return_refund'], ['money back for a broken item', 'return_refund'], ['how do returns work', 'return_refund'],
  ['i am locked out of my account password', 'reset_password'], ['password not accepted', 'reset_password'], ['forgot login password', 'reset_password'],
  ['what hours are you open on monday', 'store_hours'], ['is the store open late', 'store_hours'], ['what time do you open tomorrow', 'store_hours'],
];

describe('retrain', () => {
  it('promotes a candidate trained on intents + accepted feedback that beats the serving model', async () => {
    ws = await workspace();
    const serving = await weakServing(ws);
    for (const [text, label] of paraphrases) await acceptLabel(ws.store, text, label);

    const r = await retrain({ store: ws.store, data: ws.intentsDir, modelsDir: ws.modelsDir, by: 'ci', seed: 1 });
    expect(r.status).toBe('promoted');
    expect(r.serving).toBe(serving);
    expect(r.newLabels).toBe(paraphrases.length);
    expect(r.report!.candidate.macroF1).toBeGreaterThan(r.report!.serving!.macroF1);
    expect((await readCurrent(ws.modelsDir)).intent).toBe(r.candidate!.version);

    const dir = r.candidate!.dir;
    const manifest = await readManifest(dir);
    expect(manifest.parent).toBe(serving);
    expect(manifest.feedbackIncluded).toBe(r.counts!.feedback);
    expect(manifest.metrics.testMacroF1).toBeCloseTo(r.report!.candidate.macroF1, 10);
    const card = readFileSync(path.join(dir, 'MODEL_CARD.md'), 'utf8');
    expect(card).toContain('## Feedback included');
    expect(card).toContain(r.counts!.feedback ? '| feedback id | label | text |' : 'Sources');
    const feedbackFile = JSON.parse(readFileSync(path.join(dir, 'feedback.json'), 'utf8')) as { train: unknown[]; heldOut: unknown[] };
    expect(feedbackFile.train.length + feedbackFile.heldOut.length).toBe(paraphrases.length);
    expect(JSON.parse(readFileSync(path.join(dir, 'gate-report.json'), 'utf8')).decision.promote).toBe(true);
    const audit = await ws.store.listAudit({ action: 'promote' });
    expect(audit[0]).toMatchObject({ actor: 'ci', subject: r.candidate!.version, details: { task: 'intent', from: serving } });

    // Nothing new since: a scheduled run skips; --force retrains anyway.
    const again = await retrain({ store: ws.store, data: ws.intentsDir, modelsDir: ws.modelsDir });
    expect(again).toMatchObject({ status: 'skipped', newLabels: 0 });
  });

  it('rejects a poisoned batch, keeps the serving model, stores the report and audits the rejection', async () => {
    ws = await workspace();
    const serving = await trainAndSave(ws.modelsDir, baseExamples());
    // Every intents example accepted again under a wrong label: reviews relabel the base data.
    const labels = Object.keys(INTENTS);
    let i = 0;
    for (const [label, { examples }] of Object.entries(INTENTS)) {
      for (const text of examples) await acceptLabel(ws.store, text, labels[(labels.indexOf(label) + 1 + (i++ % 3)) % labels.length]);
    }
    const r = await retrain({ store: ws.store, data: ws.intentsDir, modelsDir: ws.modelsDir, by: 'scheduler', seed: 1 });
    expect(r.status).toBe('rejected');
    expect(r.reason).toMatch(/drops more than the margin/);
    expect((await readCurrent(ws.modelsDir)).intent).toBe(serving);
    // The candidate stays on disk with its report.
    const reportFile = path.join(r.candidate!.dir, 'gate-report.json');
    expect(existsSync(reportFile)).toBe(true);
    expect(JSON.parse(readFileSync(reportFile, 'utf8')).decision.promote).toBe(false);
    const [rejection] = await ws.store.listAudit({ action: 'retrain-rejected' });
    expect(rejection).toMatchObject({ actor: 'scheduler', subject: r.candidate!.version, details: { task: 'intent', serving, report: reportFile } });
    expect((rejection.details.macroF1Delta as number)).toBeLessThan(-0.005);
    // The rejected labels are not "new" at the next scheduled run.
    expect((await retrain({ store: ws.store, data: ws.intentsDir, modelsDir: ws.modelsDir })).status).toBe('skipped');
  });

  it('runs only one retrain at a time, also across two store handles (two server instances)', async () => {
    ws = await workspace();
    await weakServing(ws);
    await acceptLabel(ws.store, 'track my order', 'order_status');
    const other = await openSqliteStore({ file: ws.storeFile });
    try {
      const opts = { data: ws.intentsDir, modelsDir: ws.modelsDir, force: true, seed: 1 };
      const results = await Promise.all([retrain({ ...opts, store: ws.store }), retrain({ ...opts, store: other })]);
      expect(results.map((r) => r.status).sort()).toEqual(['busy', 'promoted']);
      // The lock is released afterwards.
      expect((await retrain({ ...opts, store: other })).status).not.toBe('busy');
    } finally {
      await other.close();
    }
  });

  it('takes the lock in Redis too: two instances sharing a Redis store never retrain at once', async () => {
    ws = await workspace();
    await weakServing(ws);
    const url = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
    const prefix = `parley-test-retrain-${randomBytes(6).toString('hex')}:`;
    const [a, b] = [await openRedisStore({ url, prefix }), await openRedisStore({ url, prefix })];
    try {
      await acceptLabel(a, 'track my order', 'order_status');
      const opts = { data: ws.intentsDir, modelsDir: ws.modelsDir, force: true, seed: 1 };
      const results = await Promise.all([retrain({ ...opts, store: a }), retrain({ ...opts, store: b })]);
      expect(results.map((r) => r.status).sort()).toEqual(['busy', 'promoted']);
      const { counts } = results.find((r) => r.status === 'promoted')!;
      expect(counts!.feedback + counts!.feedbackHeldOut).toBe(1); // the feedback came through Redis
    } finally {
      await a.close();
      await b.close();
      await deletePrefix(prefix, url);
    }
  });
});
