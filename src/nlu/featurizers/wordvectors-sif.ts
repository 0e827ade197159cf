/**
 * Smooth inverse frequency (SIF) sentence vectors: a weighted average of word vectors where
 * frequent words count less, weight(w) = a / (a + p(w)). Word frequencies are not shipped
 * with the vectors, but the words are ordered by frequency, so p is estimated from the rank
 * with Zipf's law: p(rank r) = 1 / (r * H(V)), H(V) the V-th harmonic number.
 */
import type { WordVectorTable } from './wordvectors-format.js';

const EULER_GAMMA = 0.5772156649015329;

/** H(n) = 1 + 1/2 + ... + 1/n, by its asymptotic expansion (exact to ~1e-10 for n > 100). */
export function harmonic(n: number): number {
  if (n <= 100) {
    let h = 0;
    for (let i = 1; i <= n; i++) h += 1 / i;
    return h;
  }
  return Math.log(n) + EULER_GAMMA + 1 / (2 * n) - 1 / (12 * n * n);
}

/**
 * SIF weights for ranks 1..count (index i = rank i + 1), for a vocabulary of `vocabSize` words.
 *
 * @example sifWeights(3, 400000, 1e-3) // Float32Array [0.013, 0.026, 0.038] ("the", ",", ".")
 */
export function sifWeights(count: number, vocabSize: number, a: number): Float32Array {
  const h = harmonic(Math.max(vocabSize, count));
  const w = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const p = 1 / ((i + 1) * h);
    w[i] = a / (a + p);
  }
  return w;
}

/**
 * Rows of the words in `tokens` that are in the table. A token unknown as a whole but holding an
 * apostrophe is split the way the vectors' corpus was tokenised: "don't" -> "do" "n't",
 * "where's" -> "where" "'s". Written into `rows` (emptied first) when given, so a caller can reuse one array.
 */
export function lookupRows(table: Pick<WordVectorTable, 'index'>, tokens: readonly string[], rows: number[] = []): number[] {
  rows.length = 0;
  for (const t of tokens) {
    const r = table.index.get(t);
    if (r !== undefined) { rows.push(r); continue; }
    const q = t.indexOf("'");
    if (q < 0) continue;
    if (t.endsWith("n't") && t.length > 3) { pushKnown(table, t.slice(0, -3), rows); pushKnown(table, "n't", rows); continue; }
    if (q > 0) pushKnown(table, t.slice(0, q), rows);
    if (q < t.length - 1) pushKnown(table, t.slice(q), rows);
  }
  return rows;
}

// A module-level function, not a closure: the lookup runs for every token of every text.
function pushKnown(table: Pick<WordVectorTable, 'index'>, word: string, rows: number[]): void {
  const r = table.index.get(word);
  if (r !== undefined) rows.push(r);
}

/**
 * Writes the L2-normalised SIF average of the given rows into `out` (zeros when there are
 * none) and returns how many rows were used.
 */
export function sifAverage(table: Pick<WordVectorTable, 'dim' | 'scales' | 'row'>, weights: Float32Array, rows: readonly number[], out: Float32Array): number {
  const { dim, scales } = table;
  out.fill(0);
  for (const r of rows) {
    const k = weights[r] * scales[r];
    const values = table.row(r);
    for (let j = 0; j < dim; j++) out[j] += k * values[j];
  }
  let norm = 0;
  for (let j = 0; j < dim; j++) norm += out[j] * out[j];
  if (norm > 0) {
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < dim; j++) out[j] *= inv;
  }
  return rows.length;
}
