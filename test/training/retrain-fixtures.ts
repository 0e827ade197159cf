import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { trainClassifier, writeCurrent } from '../../src/nlu/index.js';
import type { LabelledText } from '../../src/nlu/types.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';
import { recordFeedback } from '../../src/training/feedback-log.js';
import { applyReview } from '../../src/training/feedback-review.js';

/** A small bot: four intents and out-of-scope, with held-out tests, as YAML files. */
export const INTENTS: Record<string, { examples: string[]; tests: string[] }> = {
  order_status: {
    examples: ['where is my order', 'status of my order', 'has my order shipped', 'when will my order arrive', 'order not here yet', 'check my order please', 'is my order on the way', 'what happened to my order', 'order tracking status', 'my order still not delivered'],
    tests: ['where is my stuff', 'any news on my order', 'order status please'],
  },
  return_refund: {
    examples: ['i want a refund', 'how do i return this', 'refund my money', 'return policy for items', 'send it back for a refund', 'can i get my money back', 'i need to return an item', 'refund please', 'how long do refunds take', 'return this product'],
    tests: ['i would like my money back', 'how can i return my purchase', 'give me a refund'],
  },
  reset_password: {
    examples: ['i forgot my password', 'reset my password', 'cannot log in password wrong', 'change my password please', 'password reset link', 'lost my password', 'my password does not work', 'new password please', 'forgotten password help', 'how to reset password'],
    tests: ['i cannot remember my password', 'password reset please', 'help me reset my password'],
  },
  store_hours: {
    examples: ['when do you open', 'what are your opening hours', 'are you open on sunday', 'store hours today', 'what time do you close', 'opening times of the shop', 'are you open now', 'hours on saturday', 'when does the shop close', 'opening hours please'],
    tests: ['what are your hours', 'when are you open', 'closing time today'],
  },
};
export const OOS = { examples: ['tell me a joke', 'what is the weather', 'who won the match', 'play some music', 'what is 2 plus 2', 'sing a song'], tests: ['how tall is mount everest', 'recommend a movie'] };

export interface Workspace {
  root: string;
  intentsDir: string;
  modelsDir: string;
  store: Store;
  storeFile: string;
}

/** A temp folder with intents/, models/ and a real SQLite store. */
export async function workspace(prefix = 'parley-retrain-'): Promise<Workspace> {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  const intentsDir = path.join(root, 'intents');
  mkdirSync(intentsDir);
  for (const [name, { examples, tests }] of Object.entries(INTENTS)) {
    writeFileSync(path.join(intentsDir, `${name}.yml`), `# ${name}: kept by the test\n${stringify({ name, examples, tests, responses: [`Answer for ${name}.`] })}`);
  }
  writeFileSync(path.join(intentsDir, 'oos.yml'), stringify({ name: 'oos', ...OOS }));
  const modelsDir = path.join(root, 'models');
  mkdirSync(modelsDir);
  const storeFile = path.join(root, 'data', 'parley.db');
  const store = await openSqliteStore({ file: storeFile });
  return { root, intentsDir, modelsDir, store, storeFile };
}

export function baseExamples(): LabelledText[] {
  const out: LabelledText[] = [];
  for (const [label, { examples }] of Object.entries(INTENTS)) for (const text of examples) out.push({ text, label });
  for (const text of OOS.examples) out.push({ text, label: 'oos' });
  return out;
}

export function baseTests(): LabelledText[] {
  const out: LabelledText[] = [];
  for (const [label, { tests }] of Object.entries(INTENTS)) for (const text of tests) out.push({ text, label });
  for (const text of OOS.tests) out.push({ text, label: 'oos' });
  return out;
}

/** Trains a model on `examples`, saves it under `modelsDir` and (optionally) makes it current. */
export async function trainAndSave(modelsDir: string, examples: LabelledText[], { current = true, seed = 1 }: { current?: boolean; seed?: number } = {}): Promise<string> {
  const model = await trainClassifier(examples, { task: 'intent', seed, validationSplit: 0.2 });
  let version = model.manifest.version;
  // Same data in the same second gives the same name: make test versions distinct.
  version = `${version}-s${seed}-${examples.length}`;
  model.manifest.version = version;
  await model.save(path.join(modelsDir, version));
  if (current) await writeCurrent(modelsDir, 'intent', version);
  return version;
}

/** Records feedback through the real path (redaction) and accepts it with `label` as an admin would. */
export async function acceptLabel(store: Store, text: string, label: string, { id, predicted = 'order_status', now }: { id?: string; predicted?: string; now?: number } = {}): Promise<string> {
  const event = await recordFeedback(store, { id, kind: 'relabel-intent', conversationId: 'c1', text, value: label, predicted: { intent: predicted, confidence: 0.4 }, by: 'agent-ann' });
  await applyReview(store, event.id, { action: 'accept' }, { by: 'admin-bo', ...(now !== undefined ? { now: () => now } : {}) });
  return event.id;
}
