/**
 * Memory and load time of the serving models: loads the current intent and sentiment models
 * (as the server does) and prints the heap / RSS growth, the load times and a quick
 * single-core throughput on the demo texts. Run with a GC handle for steady numbers:
 *
 *   node --expose-gc --import tsx bench/nlu-memory.ts [modelsDir]
 */
import os from 'node:os';
import path from 'node:path';
import { loadModel, resolveModel } from '../src/nlu/index.js';
import { repoRoot } from './lib/data.js';

const modelsDir = process.argv[2] ?? path.join(repoRoot, 'models');
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (n: number): string => (n / 2 ** 20).toFixed(1);

function sample(): { heap: number; rss: number; external: number } {
  gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss, external: m.external };
}

const texts = ['where is my order', 'I want my money back, this is the third time it broke!!', 'can I talk to a human please', 'thanks, that was quick', 'my card was charged twice and nobody answers'];
const before = sample();
const result: Record<string, unknown> = {};
for (const task of ['intent', 'sentiment'] as const) {
  const t = performance.now();
  const model = await loadModel(await resolveModel(modelsDir, task));
  const loadMs = performance.now() - t;
  for (let i = 0; i < 2000; i++) model.predict(texts[i % texts.length]);
  const n = 50000;
  const s = performance.now();
  for (let i = 0; i < n; i++) model.predict(texts[i % texts.length]);
  const perSecond = n / ((performance.now() - s) / 1000);
  result[task] = { model };
  console.log(`${task}: load ${loadMs.toFixed(0)} ms, ${Math.round(perSecond)} pred/s (demo texts)`);
}
const after = sample();
console.log(`both models: heap +${mb(after.heap - before.heap)} MB, external (typed arrays, buffers) +${mb(after.external - before.external)} MB, RSS +${mb(after.rss - before.rss)} MB`);
console.log(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
void result;
