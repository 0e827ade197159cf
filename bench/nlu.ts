/**
 * NLU benchmark: Parley's classifier (the intent recipe `parley train` uses) side by side with node-nlp on CLINC150 (full
 * and 10-shot, with out-of-scope) and SNIPS. Prints a table and writes bench/results/nlu.json.
 *
 *   npm run bench:nlu                 # Parley and node-nlp
 *   npm run bench:nlu -- --no-peers   # Parley only (quick)
 *   npm run bench:nlu -- --sets=snips,clinc150
 *
 * Columns: "acc" counts a fallback as wrong (right for an out-of-scope row); "top-1" is the
 * top label's accuracy ignoring the threshold (in-scope rows only for CLINC150);
 * "in-scope" / "oos recall" as Larson et al. 2019, with the threshold chosen on held-out data;
 * "pred/cpu s" counts predictions per second of this process's CPU time, steadier than the
 * wall-clock "pred/s" when other jobs share the machine.
 */
import { createRequire } from 'node:module';
import { mkdtemp, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainClassifier, loadModel, evaluate } from '../src/nlu/index.js';
import { recipeFor } from '../src/training/train-model.js';
import { loadSplit, repoRoot, requireSplit, type Labelled } from './lib/data.js';
import { percentile, timeEach, timed } from './lib/stats.js';
import { renderTable, writeJson, type Cell } from './lib/table.js';

interface SetSpec { name: string; train: Labelled[]; valid?: Labelled[]; test: Labelled[]; oos: boolean }
interface Row {
  system: string; set: string; accuracy: number; topAccuracy?: number; inScopeAccuracy?: number; oosRecall?: number;
  trainSeconds: number; trainCpuSeconds: number; p50us: number; p99us: number; perSecond: number; cpuPerSecond?: number; loadMs?: number; loadCpuMs?: number;
}

const args = process.argv.slice(2);
const peers = !args.includes('--no-peers');
const setsArg = args.find((a) => a.startsWith('--sets='))?.slice(7).split(',');
const wanted = setsArg ?? ['clinc150', 'clinc150-10shot', 'snips'];

function sets(): SetSpec[] {
  const out: SetSpec[] = [];
  if (wanted.includes('clinc150')) out.push({ name: 'clinc150', train: requireSplit('clinc150', 'train'), valid: requireSplit('clinc150', 'valid'), test: requireSplit('clinc150', 'test'), oos: true });
  // 10-shot has no validation file and no out-of-scope training data: Parley holds out part
  // of the 10 examples itself, as a user with a small data set would.
  if (wanted.includes('clinc150-10shot')) out.push({ name: 'clinc150-10shot', train: requireSplit('clinc150-10shot', 'train'), test: requireSplit('clinc150-10shot', 'test'), oos: true });
  if (wanted.includes('snips')) out.push({ name: 'snips', train: requireSplit('snips', 'train'), valid: loadSplit('snips', 'valid'), test: requireSplit('snips', 'test'), oos: false });
  return out;
}

async function benchParley(set: SetSpec): Promise<Row> {
  // The recipe `parley train` uses (featurizers picked by data size), with the set's own
  // validation file when it has one.
  const recipe = recipeFor('intent', set.train);
  const { value: model, seconds, cpuSeconds } = await timed(() => trainClassifier(set.train, { ...recipe, ...(set.valid ? { validation: set.valid } : {}) }));
  const dir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
  try {
    await model.save(dir);
    const load = await timed(() => loadModel(dir));
    const loaded = load.value;
    const ev = evaluate(loaded, set.test);
    const texts = set.test.map((e) => e.text);
    for (const t of texts) loaded.predict(t); // warm-up (JIT)
    const cpu = process.cpuUsage();
    const { micros, perSecond } = timeEach(texts, (t) => loaded.predict(t));
    const used = process.cpuUsage(cpu);
    const cpuPerSecond = texts.length / ((used.user + used.system) / 1e6);
    const m = model.manifest;
    console.error(`[parley] ${set.name}: featurizers=${m.featurizers.map((f) => f.kind).join('+')} threshold method=${m.classifier.thresholdMethod} T=${m.temperature.toFixed(2)} threshold=${m.fallbackThreshold.toFixed(3)} bestEpoch=${m.classifier.bestEpoch} rows=${m.classifier.rows} ece=${ev.ece.toFixed(3)}`);
    return {
      system: 'parley', set: set.name, accuracy: ev.accuracy, topAccuracy: set.oos ? ev.inScopeTopAccuracy : ev.topAccuracy, inScopeAccuracy: ev.inScopeAccuracy, oosRecall: ev.oosRecall,
      trainSeconds: seconds, trainCpuSeconds: cpuSeconds, p50us: percentile(micros, 50), p99us: percentile(micros, 99), perSecond, cpuPerSecond, loadMs: load.seconds * 1000, loadCpuMs: load.cpuSeconds * 1000,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function benchNodeNlp(set: SetSpec): Promise<Row> {
  const require = createRequire(join(repoRoot, 'package.json'));
  const { NlpManager } = require('node-nlp');
  const manager = new NlpManager({ languages: ['en'], autoSave: false, nlu: { log: false } });
  for (const e of set.train) manager.addDocument('en', e.text, e.label);
  const { seconds, cpuSeconds } = await timed(() => manager.train());
  let right = 0, inScope = 0, inRight = 0, oos = 0, oosCaught = 0;
  const micros = new Float64Array(set.test.length);
  const start = performance.now();
  for (let i = 0; i < set.test.length; i++) {
    const e = set.test[i];
    const t = process.hrtime.bigint();
    const r = await manager.process('en', e.text);
    micros[i] = Number(process.hrtime.bigint() - t) / 1000;
    const fallback = r.intent === 'None' || r.intent === 'oos';
    const ok = e.label === 'oos' ? fallback : r.intent === e.label;
    if (ok) right++;
    if (e.label === 'oos') { oos++; if (fallback) oosCaught++; } else { inScope++; if (ok) inRight++; }
  }
  const perSecond = set.test.length / ((performance.now() - start) / 1000);
  return {
    system: 'node-nlp', set: set.name, accuracy: right / set.test.length,
    inScopeAccuracy: set.oos ? inRight / inScope : undefined, oosRecall: set.oos ? oosCaught / oos : undefined,
    trainSeconds: seconds, trainCpuSeconds: cpuSeconds, p50us: percentile(micros, 50), p99us: percentile(micros, 99), perSecond,
  };
}

const rows: Row[] = [];
for (const set of sets()) {
  rows.push(await benchParley(set));
  console.error(`[done] parley ${set.name}`);
  if (peers) {
    rows.push(await benchNodeNlp(set));
    console.error(`[done] node-nlp ${set.name}`);
  }
}
const pct = (x?: number): Cell => (x === undefined ? undefined : (x * 100).toFixed(1));
console.log(renderTable(
  ['system', 'set', 'acc %', 'top-1 %', 'in-scope %', 'oos recall %', 'train s', 'train cpu s', 'p50 µs', 'p99 µs', 'pred/s', 'pred/cpu s', 'load ms', 'load cpu ms'],
  rows.map((r) => [r.system, r.set, pct(r.accuracy), pct(r.topAccuracy), pct(r.inScopeAccuracy), pct(r.oosRecall), r.trainSeconds.toFixed(2), r.trainCpuSeconds.toFixed(2), r.p50us.toFixed(1), r.p99us.toFixed(1), Math.round(r.perSecond), r.cpuPerSecond === undefined ? undefined : Math.round(r.cpuPerSecond), r.loadMs?.toFixed(0), r.loadCpuMs?.toFixed(0)]),
));
writeJson(join(repoRoot, 'bench/results/nlu.json'), { date: new Date().toISOString(), node: process.version, loadAverage: os.loadavg(), cpus: os.cpus().length, rows });
console.log(`load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} cores (wall-clock numbers suffer when it exceeds the core count)`);
