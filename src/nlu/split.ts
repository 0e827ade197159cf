import type { LabelledText } from './types.js';
import { mulberry32, shuffle } from './classifier/prng.js';

/**
 * Seeded stratified split: about `fraction` of each label's examples go to validation,
 * rounded, and never so many that fewer than two stay for training.
 *
 * @example stratifiedSplit(examples, 0.1, 1) // { train: [...90%], validation: [...10%] }
 */
export function stratifiedSplit(examples: LabelledText[], fraction: number, seed: number): { train: LabelledText[]; validation: LabelledText[] } {
  const byLabel = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const list = byLabel.get(e.label);
    if (list) list.push(i); else byLabel.set(e.label, [i]);
  });
  const rand = mulberry32(seed ^ 0x5eed);
  const isValidation = new Uint8Array(examples.length);
  for (const label of [...byLabel.keys()].sort()) {
    const idx = Int32Array.from(byLabel.get(label)!);
    shuffle(idx, rand);
    const take = Math.min(Math.round(idx.length * fraction), Math.max(0, idx.length - 2));
    for (let k = 0; k < take; k++) isValidation[idx[k]] = 1;
  }
  const train: LabelledText[] = [];
  const validation: LabelledText[] = [];
  examples.forEach((e, i) => (isValidation[i] ? validation : train).push(e));
  return { train, validation };
}
