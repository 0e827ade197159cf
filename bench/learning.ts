/**
 * Learning benchmark: does the feedback loop make the bot better, and does the gate stop a
 * bad batch? Starts from a model trained on CLINC150 10-shot, then replays batches of
 * labelled CLINC150 training messages through the real feedback path (recordFeedback with
 * redaction into a SQLite store, an admin accepting each label) and runs the real retrain
 * job (dataset builder, gate, registry) after each batch; the gate's frozen held-out data is
 * clinc150/valid.jsonl plus the held-out slice of the feedback. One batch is poisoned (random
 * labels): the gate must reject it; the admin then discards it and learning goes on.
 *
 *   npm run bench:learning                     # 4 clean batches of 800 + 1 poisoned
 *   npm run bench:learning -- --batch=400 --rounds=3
 *
 * Prints a table per round (in-scope accuracy and out-of-scope recall of the serving model
 * on clinc150/test.jsonl) and writes bench/results/learning.json and learning.svg.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, loadModel, trainClassifier } from '../src/nlu/index.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { FeedbackEvent } from '../src/store/types.js';
import { recordFeedback } from '../src/training/feedback-log.js';
import { applyReview } from '../src/training/feedback-review.js';
import { promote } from '../src/training/registry.js';
import { retrain, type RetrainResult } from '../src/training/retrain.js';
import { FEATURIZERS, VALIDATION_SPLIT } from '../src/training/train-model.js';
import { repoRoot, requireSplit, type Labelled } from './lib/data.js';
import { mulberry32, shuffle } from '../src/nlu/classifier/prng.js';
import { renderTable, writeJson } from './lib/table.js';

const args = new Map(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]));
const BATCH = Number(args.get('batch') ?? 800);
const CLEAN_ROUNDS = Number(args.get('rounds') ?? 4);
/** The poisoned batch comes after this many clean ones. */
const POISON_AFTER = Math.min(2, CLEAN_ROUNDS);

interface Round {
  round: number;
  batch: 'start' | 'clean' | 'poisoned';
  accepted: number;
  status: RetrainResult['status'] | 'initial';
  serving: string;
  trainingExamples: number;
  gateMacroF1Delta?: number;
  inScopeAccuracy: number;
  oosRecall: number;
  /** The candidate's scores on the test set, also when it was rejected. */
  candidateInScopeAccuracy?: number;
  candidateOosRecall?: number;
  seconds: number;
}

async function main(): Promise<void> {
  const started = performance.now();
  const seed = mulberry32(7);
  const base = requireSplit('clinc150-10shot', 'train');
  const test = requireSplit('clinc150', 'test');
  // The frozen held-out data the gate compares on (what `tests` in intents/ are for a real bot).
  const gateTests = requireSplit('clinc150', 'valid');
  const pool = requireSplit('clinc150', 'train');
  const seen = new Set(base.map((e) => e.text));
  const fresh = Int32Array.from(pool.flatMap((e, i) => (seen.has(e.text) ? [] : [i])));
  shuffle(fresh, seed);
  const labels = [...new Set(pool.map((e) => e.label))].filter((l) => l !== 'oos');

  const work = await mkdtemp(join(tmpdir(), 'parley-learning-'));
  const modelsDir = join(work, 'models');
  const basePath = join(work, 'clinc150-10shot.jsonl');
  await writeFile(basePath, base.map((e) => JSON.stringify(e)).join('\n'));
  const store = await openSqliteStore({ file: join(work, 'parley.db') });
  const rounds: Round[] = [];
  try {
    // Round 0: the starting model, trained as `parley train` would.
    let t = performance.now();
    const first = await trainClassifier(base, { task: 'intent', featurizers: FEATURIZERS.intent, validationSplit: VALIDATION_SPLIT.intent, seed: 1 });
    await first.save(join(modelsDir, first.manifest.version));
    await promote(modelsDir, first.manifest.version, { by: 'bench', reason: 'starting model (10-shot)', audit: store });
    rounds.push({ round: 0, batch: 'start', accepted: 0, status: 'initial', serving: first.manifest.version, trainingExamples: base.length, ...scores(first, test), seconds: (performance.now() - t) / 1000 });
    report(rounds.at(-1)!);

    let next = 0;
    const take = (n: number): Labelled[] => Array.from(fresh.subarray(next, (next += n)), (i) => pool[i]);
    const plan: Array<'clean' | 'poisoned'> = [];
    for (let i = 0; i < CLEAN_ROUNDS; i++) {
      plan.push('clean');
      if (i + 1 === POISON_AFTER) plan.push('poisoned');
    }
    let serving = await loadModel(join(modelsDir, first.manifest.version));
    for (const [k, kind] of plan.entries()) {
      t = performance.now();
      const batch = take(BATCH).map((e) => (kind === 'poisoned' ? { text: e.text, label: labels[Math.floor(seed() * labels.length)] } : e));
      const events = await replay(store, batch, serving, kind === 'poisoned' ? 'careless-agent' : 'agent');
      const result = await retrain({ store, data: basePath, tests: gateTests, modelsDir, by: 'bench', seed: 1 });
      const candidate = result.candidate ? await loadModel(result.candidate.dir) : undefined;
      if (result.status === 'promoted' && candidate) serving = candidate;
      const candidateScores = candidate ? scores(candidate, test) : undefined;
      rounds.push({
        round: k + 1, batch: kind, accepted: events.length, status: result.status, serving: serving.manifest.version,
        trainingExamples: serving.manifest.trainingExamples,
        ...(result.report ? { gateMacroF1Delta: result.report.decision.macroF1Delta } : {}),
        ...(result.status === 'promoted' && candidateScores ? candidateScores : scores(serving, test)),
        ...(candidateScores ? { candidateInScopeAccuracy: candidateScores.inScopeAccuracy, candidateOosRecall: candidateScores.oosRecall } : {}),
        seconds: (performance.now() - t) / 1000,
      });
      report(rounds.at(-1)!, result);
      if (kind === 'poisoned') {
        // The admin reads the rejection report and discards the careless batch.
        for (const e of events) await store.reviewFeedback(e.id, 'discarded', 'admin');
      }
    }
  } finally {
    await store.close();
    await rm(work, { recursive: true, force: true });
  }

  console.log(`\n${renderTable(
    ['round', 'batch', 'accepted', 'gate', 'F1 delta (gate)', 'examples', 'in-scope acc', 'oos recall', 'cand. in-scope', 'cand. oos', 's'],
    rounds.map((r) => [String(r.round), r.batch, String(r.accepted), r.status, r.gateMacroF1Delta === undefined ? '-' : r.gateMacroF1Delta.toFixed(4), String(r.trainingExamples), pct(r.inScopeAccuracy), pct(r.oosRecall), r.candidateInScopeAccuracy === undefined ? '-' : pct(r.candidateInScopeAccuracy), r.candidateOosRecall === undefined ? '-' : pct(r.candidateOosRecall), r.seconds.toFixed(1)]),
  )}`);
  const poisoned = rounds.find((r) => r.batch === 'poisoned');
  const totalSeconds = (performance.now() - started) / 1000;
  console.log(`\npoisoned batch: ${poisoned ? (poisoned.status === 'rejected' ? 'REJECTED by the gate (serving model kept)' : `NOT rejected (${poisoned.status})`) : 'not run'}; total ${totalSeconds.toFixed(0)} s`);
  const out = join(repoRoot, 'bench/results');
  writeJson(join(out, 'learning.json'), { date: new Date().toISOString(), node: process.version, loadAverage: loadavg(), batch: BATCH, cleanRounds: CLEAN_ROUNDS, testSet: 'clinc150/test.jsonl', totalSeconds, rounds });
  await writeFile(join(out, 'learning.svg'), chart(rounds));
  console.log('wrote bench/results/learning.json and bench/results/learning.svg');
  if (poisoned && poisoned.status !== 'rejected') process.exitCode = 1;
}

/** Agents relabel each message (the label the data set gives); an admin accepts every one. */
async function replay(store: Awaited<ReturnType<typeof openSqliteStore>>, batch: Labelled[], serving: Awaited<ReturnType<typeof loadModel>>, agent: string): Promise<FeedbackEvent[]> {
  const events: FeedbackEvent[] = [];
  for (const [i, e] of batch.entries()) {
    const p = serving.predict(e.text);
    const event = await recordFeedback(store, {
      kind: 'relabel-intent', conversationId: `bench-${i % 50}`, text: e.text, value: e.label,
      predicted: { intent: p.label, confidence: p.confidence }, modelVersions: { intent: serving.manifest.version }, by: agent,
    });
    events.push(await applyReview(store, event.id, { action: 'accept' }, { by: 'admin', event }));
  }
  return events;
}

function scores(model: Awaited<ReturnType<typeof loadModel>>, test: Labelled[]): { inScopeAccuracy: number; oosRecall: number } {
  const e = evaluate(model, test);
  return { inScopeAccuracy: e.inScopeAccuracy ?? 0, oosRecall: e.oosRecall ?? 0 };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function report(r: Round, result?: RetrainResult): void {
  const gate = result?.report ? ` gate: ${result.report.decision.reasons.join('; ')}` : '';
  console.log(`round ${r.round} (${r.batch}${r.accepted ? `, ${r.accepted} labels` : ''}): ${r.status}; serving in-scope ${pct(r.inScopeAccuracy)}, oos recall ${pct(r.oosRecall)} [${r.seconds.toFixed(1)} s]${gate}`);
}

/** Line chart of in-scope accuracy and out-of-scope recall per round; rejected candidates as red crosses. */
function chart(rounds: Round[]): string {
  const W = 720, H = 360, L = 56, R = 210, T = 30, B = 50;
  const x = (i: number) => L + (i / Math.max(1, rounds.length - 1)) * (W - L - R);
  const y = (v: number) => T + (1 - v) * (H - T - B);
  const line = (f: (r: Round) => number, colour: string) => `<polyline fill="none" stroke="${colour}" stroke-width="2.5" points="${rounds.map((r, i) => `${x(i).toFixed(1)},${y(f(r)).toFixed(1)}`).join(' ')}"/>`
    + rounds.map((r, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(f(r)).toFixed(1)}" r="3.5" fill="${colour}"><title>round ${r.round}: ${(f(r) * 100).toFixed(1)}%</title></circle>`).join('');
  const grid = [0, 0.25, 0.5, 0.75, 1].map((v) => `<line x1="${L}" x2="${W - R}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${L - 8}" y="${y(v) + 4}" font-size="11" text-anchor="end">${v * 100}%</text>`).join('');
  const ticks = rounds.map((r, i) => `<text x="${x(i)}" y="${H - B + 16}" font-size="11" text-anchor="middle">${r.round}</text><text x="${x(i)}" y="${H - B + 30}" font-size="10" text-anchor="middle" fill="${r.batch === 'poisoned' ? '#c22' : '#666'}">${r.batch}</text>`).join('');
  const rejected = rounds.map((r, i) => (r.status === 'rejected' && r.candidateInScopeAccuracy !== undefined
    ? `<g stroke="#c22" stroke-width="2.5"><line x1="${x(i) - 6}" y1="${y(r.candidateInScopeAccuracy) - 6}" x2="${x(i) + 6}" y2="${y(r.candidateInScopeAccuracy) + 6}"/><line x1="${x(i) - 6}" y1="${y(r.candidateInScopeAccuracy) + 6}" x2="${x(i) + 6}" y2="${y(r.candidateInScopeAccuracy) - 6}"/><title>rejected candidate: in-scope ${(r.candidateInScopeAccuracy * 100).toFixed(1)}%</title></g>` : '')).join('');
  const legend = [['#2a6fdb', 'in-scope accuracy'], ['#e08a00', 'out-of-scope recall'], ['#c22', 'rejected candidate (in-scope)']]
    .map(([c, label], i) => `<rect x="${W - R + 14}" y="${T + i * 20}" width="12" height="12" fill="${c}"/><text x="${W - R + 32}" y="${T + i * 20 + 10}" font-size="11">${label}</text>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" role="img" aria-label="serving model quality per feedback round">
<rect width="${W}" height="${H}" fill="#fff"/>
<text x="${L}" y="18" font-size="13" font-weight="bold">CLINC150 test: serving model after each feedback round (retrain + gate)</text>
${grid}${ticks}<text x="${(L + W - R) / 2}" y="${H - 6}" font-size="11" text-anchor="middle">round (batch of reviewed labels)</text>
${line((r) => r.inScopeAccuracy, '#2a6fdb')}${line((r) => r.oosRecall, '#e08a00')}${rejected}${legend}
</svg>
`;
}

await main();
