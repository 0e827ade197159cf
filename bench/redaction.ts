/**
 * Redaction benchmark: recall per PII type on the generated test set, false positives on
 * the demo bot's intent examples and tests (share of texts altered), and speed.
 *
 *   npm run bench:redaction            (writes bench/results/redaction.json)
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { generatePiiTestSet, scoreRecall } from '../src/privacy/pii-testset.js';
import { redact } from '../src/privacy/redact.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Customer texts (examples and tests) from every intents/*.yml, plus intents/sentiment/*.yml when present. */
function intentTexts(): { texts: string[]; files: number } | undefined {
  const dirs = [path.join(repoRoot, 'intents'), path.join(repoRoot, 'intents', 'sentiment')].filter((d) => existsSync(d));
  const texts: string[] = [];
  let files = 0;
  for (const dir of dirs) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'))) {
      files++;
      const doc = parse(readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown> | null;
      for (const key of ['examples', 'tests']) {
        const list = doc?.[key];
        if (!Array.isArray(list)) continue;
        for (const item of list) {
          if (typeof item === 'string') texts.push(item);
          else if (item && typeof item === 'object' && typeof (item as { text?: unknown }).text === 'string') texts.push((item as { text: string }).text);
        }
      }
    }
  }
  return files ? { texts, files } : undefined;
}

function timePerMessage(texts: string[], rounds: number): number {
  for (const t of texts) redact(t); // warm up the regex engine
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const t of texts) redact(t);
  return Number(process.hrtime.bigint() - start) / 1000 / (rounds * texts.length);
}

const cases = generatePiiTestSet();
const report = scoreRecall(cases, (t) => redact(t));

const rows = Object.entries(report.perType).map(([type, e]) => ({ type, planted: e.planted, found: e.found, recall: e.recall }));
rows.push({ type: 'overall', planted: report.overall.planted, found: report.overall.found, recall: report.overall.recall });
console.log(`\nRecall on ${cases.length} generated messages (target >= 99%)`);
console.table(rows.map((r) => ({ ...r, recall: `${(r.recall * 100).toFixed(2)}%` })));
console.log(`spurious spans (not on a planted value): ${report.spurious}; distractors altered (prices, dates, order numbers): ${report.distractorsHit}`);
for (const m of report.misses.slice(0, 10)) console.log(`  missed ${m.span.type}: ${JSON.stringify(m.text.slice(m.span.start, m.span.end))} in ${JSON.stringify(m.text)}`);

const intents = intentTexts();
let falsePositives: Record<string, unknown> | { skipped: string };
if (!intents) {
  console.log('\nintents/*.yml not found: false-positive check skipped');
  falsePositives = { skipped: 'no intents/*.yml' };
} else {
  const altered = intents.texts.map((t) => ({ t, r: redact(t) })).filter((x) => x.r.found.length > 0);
  const share = intents.texts.length ? altered.length / intents.texts.length : 0;
  console.log(`\nFalse positives on ${intents.texts.length} intent examples/tests from ${intents.files} files (target <= 1%): ${altered.length} altered = ${(share * 100).toFixed(2)}%`);
  for (const a of altered.slice(0, 10)) console.log(`  ${JSON.stringify(a.t)} -> ${JSON.stringify(a.r.text)}`);
  falsePositives = { texts: intents.texts.length, files: intents.files, altered: altered.length, share, examples: altered.slice(0, 20).map((a) => ({ text: a.t, redacted: a.r.text })) };
}

// Public intent and sentiment data sets (never PII-annotated, full of numbers): a larger false-positive check.
const dataDir = process.env.PARLEY_BENCH_DATA ?? path.resolve(repoRoot, '../shared/data');
const publicSets: Record<string, { texts: number; altered: number; share: number; examples: string[] }> = {};
for (const file of ['clinc150/test.jsonl', 'snips/test.jsonl', 'sst2/test.jsonl']) {
  const full = path.join(dataDir, file);
  if (!existsSync(full)) continue;
  const texts = readFileSync(full, 'utf8').split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { text: string }).text);
  const altered = texts.filter((t) => redact(t).found.length > 0);
  publicSets[file] = { texts: texts.length, altered: altered.length, share: altered.length / texts.length, examples: altered.slice(0, 5) };
}
if (Object.keys(publicSets).length) {
  console.log(`\nFalse positives on public data sets in ${dataDir}:`);
  console.table(Object.entries(publicSets).map(([file, s]) => ({ file, texts: s.texts, altered: s.altered, share: `${(s.share * 100).toFixed(2)}%` })));
} else console.log(`\npublic data sets not found in ${dataDir}: skipped`);

const generatedTexts = cases.map((c) => c.text);
const cleanTexts = intents?.texts.length ? intents.texts : ['where is my order', 'I want a refund for order 48213, it cost $19.99'];
const speed = { generatedUsPerMessage: timePerMessage(generatedTexts, 5), cleanUsPerMessage: timePerMessage(cleanTexts, 5) };
console.log(`\nSpeed: ${speed.generatedUsPerMessage.toFixed(1)} µs/message with PII, ${speed.cleanUsPerMessage.toFixed(1)} µs/message on intent examples`);

const outDir = path.join(repoRoot, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  path.join(outDir, 'redaction.json'),
  `${JSON.stringify({ createdAt: new Date().toISOString(), node: process.version, generated: { messages: cases.length, recall: report.perType, overall: report.overall, spurious: report.spurious, distractorsHit: report.distractorsHit }, falsePositives, publicSets, speed }, null, 2)}\n`,
);
console.log(`\nwrote bench/results/redaction.json`);
