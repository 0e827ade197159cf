import { describe, expect, it } from 'vitest';
import { SoftmaxTrainer } from '../../../src/nlu/classifier/trainer.js';
import { OptionsError } from '../../../src/nlu/classifier/options.js';
import { NgramsFeaturizer } from '../../../src/nlu/featurizers/ngrams.js';
import { tinyIntents } from '../fixtures.js';

/** The bytes of the weights themselves (a loaded or built model's are a view of the kernel's memory). */
const bytes = (w: Float32Array) => Buffer.from(w.buffer, w.byteOffset, w.byteLength);

function input() {
  const data = tinyIntents();
  const labels = [...new Set(data.map((e) => e.label))];
  const f = new NgramsFeaturizer({ dim: 1 << 14 });
  f.fit(data.map((e) => e.text));
  return { dim: f.dim, labels: labels.length, x: data.map((e) => f.transform(e.text)), y: Int32Array.from(data, (e) => labels.indexOf(e.label)) };
}

describe('SoftmaxTrainer', () => {
  it('is deterministic: same data and seed give identical weights', async () => {
    const a = await new SoftmaxTrainer().fit(input(), { seed: 5, epochs: 5 });
    const b = await new SoftmaxTrainer().fit(input(), { seed: 5, epochs: 5 });
    expect(bytes(a.model.weights).equals(bytes(b.model.weights))).toBe(true);
    expect([...a.model.bias]).toEqual([...b.model.bias]);
    const c = await new SoftmaxTrainer().fit(input(), { seed: 6, epochs: 5 });
    expect(bytes(a.model.weights).equals(bytes(c.model.weights))).toBe(false);
  });

  it('learns the training data with adam and with sgd, reporting every epoch', async () => {
    for (const optimizer of ['adam', 'sgd'] as const) {
      const reports: number[] = [];
      const data = input();
      const { model, curve } = await new SoftmaxTrainer().fit(data, {
        optimizer, epochs: 15, learningRate: optimizer === 'sgd' ? 0.5 : 0.05, onEpochEnd: (r) => { reports.push(r.epoch); },
      });
      expect(reports).toEqual(curve.map((p) => p.epoch));
      expect(curve.at(-1)!.loss).toBeLessThan(curve[0].loss);
      const right = data.x.filter((x, i) => {
        const z = model.scores(x);
        return z.indexOf(Math.max(...z)) === data.y[i];
      }).length;
      expect(right / data.x.length).toBeGreaterThan(0.95);
    }
  });

  it('stops early when the validation score stops improving and keeps the best epoch', async () => {
    const data = input();
    // Validation labels rotated: the better the model learns, the worse it scores there.
    const wrong = data.y.map((y) => (y + 1) % data.labels);
    const { curve, bestEpoch } = await new SoftmaxTrainer().fit({ ...data, validation: { x: data.x, y: wrong } }, { epochs: 200, patience: 1 });
    expect(curve.length).toBeLessThan(200);
    expect(curve.length - bestEpoch).toBe(2);
  });

  it('validates options up front, naming the bad value', async () => {
    const t = new SoftmaxTrainer();
    await expect(t.fit(input(), { learningRate: -1 })).rejects.toThrow(OptionsError);
    await expect(t.fit(input(), { learningRate: -1 })).rejects.toThrow(/learningRate = -1/);
    await expect(t.fit(input(), { optimizer: 'rmsprop' as 'adam' })).rejects.toThrow(/optimizer = "rmsprop"/);
    await expect(t.fit(input(), { batchSize: 2.5 })).rejects.toThrow(/batchSize = 2.5/);
  });

  it('refuses a second concurrent fit on the same instance', async () => {
    const t = new SoftmaxTrainer();
    const first = t.fit(input(), { epochs: 3 });
    await expect(t.fit(input(), { epochs: 3 })).rejects.toThrow(/already fitting/);
    await first;
    await expect(t.fit(input(), { epochs: 1 })).resolves.toBeDefined();
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const run = new SoftmaxTrainer().fit(input(), { epochs: 100, signal: controller.signal, onEpochEnd: (r) => { if (r.epoch === 2) controller.abort(new Error('stop')); } });
    await expect(run).rejects.toThrow('stop');
  });
});
