import { describe, expect, it } from 'vitest';
import { trainingProgress } from '../../src/cli/progress.js';

/** A non-terminal stream that records what is written. */
function recorder() {
  const chunks: string[] = [];
  const stream = { isTTY: false, write: (s: string) => { chunks.push(s); return true; } } as unknown as NodeJS.WriteStream;
  return { stream, chunks };
}

describe('trainingProgress without a terminal', () => {
  it('writes one line on the first epoch, every few epochs and the last', () => {
    const { stream, chunks } = recorder();
    const progress = trainingProgress('intent', { stream, every: 5 });
    for (let epoch = 1; epoch <= 12; epoch++) progress.onEpochEnd({ epoch, epochs: 12, loss: 1 / epoch, validationAccuracy: epoch / 12 });
    progress.stop();
    expect(chunks.map((c) => c.match(/epoch (\d+)\/12/)?.[1])).toEqual(['1', '5', '10', '12']);
    expect(chunks[0]).toBe('intent: epoch 1/12 loss 1.0000 val acc 0.083\n');
  });
});
