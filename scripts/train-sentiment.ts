/**
 * Trains the default sentiment model from intents/sentiment (the `examples` only; `tests`
 * stay held out and are used to report the metrics), saves it to models/<version>/ and points
 * models/current.json's "sentiment" entry at it (the "intent" entry is left as it is).
 *
 * Run: node --import tsx scripts/train-sentiment.ts [dataDir] [modelsDir]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate, trainClassifier, writeCurrent } from '../src/nlu/index.js';
import { sentimentRecipe } from '../src/sentiment/recipe.js';
import { loadSentimentData } from '../src/training/sentiment-data.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(process.argv[2] ?? path.join(repoRoot, 'intents/sentiment'));
const modelsDir = path.resolve(process.argv[3] ?? path.join(repoRoot, 'models'));

const { train, test } = await loadSentimentData(dataDir);
const started = performance.now();
const model = await trainClassifier(train, sentimentRecipe());
const e = evaluate(model, test);
const dir = path.join(modelsDir, model.manifest.version);
await model.save(dir);
await writeCurrent(modelsDir, 'sentiment', model.manifest.version);
console.log(`trained ${model.manifest.version} on ${train.length} examples in ${((performance.now() - started) / 1000).toFixed(1)} s`);
console.log(`held-out (${test.length}): accuracy ${e.accuracy.toFixed(3)}, macro-F1 ${e.macroF1.toFixed(3)}, negative F1 ${e.perLabel.negative?.f1.toFixed(3)}`);
console.log(`saved to ${path.relative(repoRoot, dir)}; models/current.json "sentiment" -> ${model.manifest.version}`);
