/**
 * Escalation benchmark: replays the conversation scripts through the real engine and
 * scores the escalation decisions of those scripts that say whether they must escalate
 * (a step with `escalated: true` = must; only `escalated: false` = must not).
 *
 *   npm run bench:escalation   -> prints the numbers, writes bench/results/escalation.json
 *
 * Targets: recall >= 0.95 (angry or stuck customers reach a person), precision >= 0.9
 * (agents are not flooded with chats the bot could handle).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConversationScripts } from '../src/bot/conversation-script.js';
import { runConversationScripts } from '../src/bot/conversation-tests.js';
import { readCurrent } from '../src/nlu/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(repoRoot, 'conversations');
const modelsDir = path.join(repoRoot, 'models');

const scripts = await loadConversationScripts(dir);
const must = new Map<string, boolean>();
for (const s of scripts) {
  const flags = s.steps.map((st) => st.expect.escalated).filter((v): v is boolean => v !== undefined);
  if (flags.length) must.set(s.file, flags.includes(true));
}

const started = performance.now();
const run = await runConversationScripts(dir, { modelsDir, intentsDir: path.join(repoRoot, 'intents') });
const seconds = (performance.now() - started) / 1000;

let tp = 0, fp = 0, fn = 0, tn = 0;
const turnsBefore: number[] = [];
const misses: string[] = [];
for (const s of run.scripts) {
  const shouldEscalate = must.get(s.file);
  if (shouldEscalate === undefined) continue;
  const did = s.escalatedAtStep !== undefined;
  if (shouldEscalate && did) {
    tp++;
    turnsBefore.push(s.escalatedAtStep!);
  } else if (shouldEscalate) {
    fn++;
    misses.push(`missed: ${s.name}`);
  } else if (did) {
    fp++;
    misses.push(`escalated without need: ${s.name} (step ${s.escalatedAtStep}: ${s.steps[s.escalatedAtStep! - 1]?.got.reason ?? ''})`);
  } else tn++;
}
const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
const sorted = [...turnsBefore].sort((a, b) => a - b);
const median = sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
const current = await readCurrent(modelsDir);

const result = {
  date: new Date().toISOString(),
  models: current,
  scripts: { mustEscalate: tp + fn, mustNotEscalate: fp + tn },
  confusion: { tp, fp, fn, tn },
  precision: round(precision),
  recall: round(recall),
  medianCustomerTurnsBeforeEscalation: median,
  targets: { recall: 0.95, precision: 0.9, met: recall >= 0.95 && precision >= 0.9 },
  conversationScripts: { passed: run.passed, failed: run.failed },
  seconds: round(seconds),
  problems: misses,
};
await mkdir(path.join(repoRoot, 'bench/results'), { recursive: true });
await writeFile(path.join(repoRoot, 'bench/results/escalation.json'), `${JSON.stringify(result, null, 2)}\n`);

console.log(`escalation over ${tp + fn} must / ${fp + tn} must-not scripts (models ${current.intent}, ${current.sentiment})`);
console.log(`precision ${precision.toFixed(3)} (target 0.9)   recall ${recall.toFixed(3)} (target 0.95)   median customer turns before escalation ${median}`);
console.log(`confusion: tp ${tp} fp ${fp} fn ${fn} tn ${tn}; all scripts: ${run.passed} passed, ${run.failed} failed; ${seconds.toFixed(1)} s`);
for (const m of misses) console.log(`  ${m}`);
console.log('written to bench/results/escalation.json');
if (!result.targets.met) process.exitCode = 1;

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
