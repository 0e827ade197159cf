import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import type { LabelledText } from '../nlu/types.js';
import { IntentsError } from './errors.js';
import { FIX_HINTS, IntentFile, OOS_LABEL, OosFile, type IntentResponse } from './intent-schema.js';
import { parseYamlSource, type YamlSource } from './yaml-source.js';

export { OOS_LABEL } from './intent-schema.js';

/** One intent as written in intents/<name>.yml. */
export interface IntentDef {
  name: string;
  description?: string;
  /** Trained on. */
  examples: string[];
  /** Held out: evaluated on, never trained on. */
  tests: string[];
  responses: IntentResponse[];
  /** The file it came from, as given (e.g. "intents/order_status.yml"). */
  file: string;
}

export interface IntentSet {
  intents: IntentDef[];
  outOfScope: { examples: string[]; tests: string[] };
  files: string[];
}

interface Parsed {
  file: string;
  source: YamlSource;
  name: string;
  examples: string[];
  tests: string[];
}

/** Where a sentence was seen first, to report both places of a duplicate. */
interface Seen { intent: string; file: string; line: number }

/**
 * Reads every `*.yml` / `*.yaml` file directly inside `dir` (sub-folders such as
 * intents/sentiment/ are not intents), validates them and checks them against each other.
 * Throws an IntentsError naming the file, line and fix for: bad YAML, schema errors, a file
 * whose name differs from its `name`, the same intent name twice, a sentence listed under
 * two intents, and a test that is also an example (it would leak into training).
 *
 * @example
 * const set = await loadIntents('intents');
 * set.intents.length // 30
 */
export async function loadIntents(dir: string): Promise<IntentSet> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    throw new IntentsError(`intents folder not found: create it with one <intent>.yml file per intent`, dir, 0);
  }
  const names = entries.filter((f) => /\.ya?ml$/i.test(f)).sort();
  if (names.length === 0) throw new IntentsError('no .yml files: add one <intent>.yml file per intent', dir, 0);

  const parsed: Parsed[] = [];
  const intents: IntentDef[] = [];
  const outOfScope = { examples: [] as string[], tests: [] as string[] };
  const byName = new Map<string, string>();
  for (const base of names) {
    const file = path.join(dir, base);
    const source = parseYamlSource(file, await readFile(file, 'utf8'));
    const isOos = isRecord(source.value) && source.value.name === OOS_LABEL;
    const data = validate(file, source, isOos ? OosFile : IntentFile);
    const stem = base.replace(/\.ya?ml$/i, '');
    // An error, not a warning: retraining and reviews find an intent by its file name.
    if (stem !== data.name) {
      throw new IntentsError(`name "${data.name}" differs from the file name: rename the file to ${data.name}.yml or set name: ${stem}`, file, source.lineOf(['name']));
    }
    if (data.name === 'fallback') {
      throw new IntentsError('"fallback" is reserved for predictions below the confidence threshold: rename this intent', file, source.lineOf(['name']));
    }
    const other = byName.get(data.name);
    if (other) throw new IntentsError(`intent "${data.name}" is already defined in ${other}: keep one of them`, file, source.lineOf(['name']));
    byName.set(data.name, file);
    parsed.push({ file, source, name: data.name, examples: data.examples, tests: data.tests });
    if (isOos) {
      outOfScope.examples.push(...data.examples);
      outOfScope.tests.push(...data.tests);
    } else {
      const d = data as z.infer<typeof IntentFile>;
      intents.push({ name: d.name, description: d.description, examples: d.examples, tests: d.tests, responses: d.responses as IntentResponse[], file });
    }
  }
  checkOverlaps(parsed);
  return { intents, outOfScope, files: parsed.map((p) => p.file) };
}

/**
 * Flattens an IntentSet into labelled texts: examples to train on, tests to evaluate on.
 * Out-of-scope sentences carry the label `oos`.
 */
export function toTrainingData(set: IntentSet): { train: LabelledText[]; test: LabelledText[] } {
  const train: LabelledText[] = [];
  const test: LabelledText[] = [];
  for (const intent of set.intents) {
    for (const text of intent.examples) train.push({ text, label: intent.name });
    for (const text of intent.tests) test.push({ text, label: intent.name });
  }
  for (const text of set.outOfScope.examples) train.push({ text, label: OOS_LABEL });
  for (const text of set.outOfScope.tests) test.push({ text, label: OOS_LABEL });
  return { train, test };
}

/** Normalises a sentence for duplicate checks: case, spacing and end punctuation do not make it new. */
export function sentenceKey(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').replace(/[\s.!?]+$/, '').trim();
}

function checkOverlaps(files: Parsed[]): void {
  const examples = new Map<string, Seen>();
  for (const f of files) {
    f.examples.forEach((text, i) => {
      const key = sentenceKey(text);
      const line = f.source.lineOf(['examples', i]);
      const seen = examples.get(key);
      if (seen) {
        const where = seen.intent === f.name ? `earlier in this file (line ${seen.line})` : `under intent "${seen.intent}" (${seen.file} line ${seen.line})`;
        throw new IntentsError(`example "${text}" is also listed ${where}: keep it under one intent only`, f.file, line);
      }
      examples.set(key, { intent: f.name, file: f.file, line });
    });
  }
  const tests = new Map<string, Seen>();
  for (const f of files) {
    f.tests.forEach((text, i) => {
      const key = sentenceKey(text);
      const line = f.source.lineOf(['tests', i]);
      const asExample = examples.get(key);
      if (asExample) {
        throw new IntentsError(`test "${text}" is also a training example (${asExample.file} line ${asExample.line}): held-out tests must differ from every example; reword or remove one`, f.file, line);
      }
      const seen = tests.get(key);
      if (seen) throw new IntentsError(`test "${text}" is also listed in ${seen.file} line ${seen.line}: keep one`, f.file, line);
      tests.set(key, { intent: f.name, file: f.file, line });
    });
  }
}

function validate<S extends z.ZodType>(file: string, source: YamlSource, schema: S): z.infer<S> {
  if (!isRecord(source.value)) {
    throw new IntentsError('expected a mapping with name, examples, tests and responses', file, source.lineOf([]));
  }
  const result = schema.safeParse(source.value);
  if (result.success) return result.data;
  // A misspelt key also makes the real key "missing": report the misspelling, it is the cause.
  let issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0];
  let issuePath = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  // A reply written as a mapping: report what is wrong inside it rather than "not a reply".
  if (issue.code === 'invalid_union' && isRecord(getIn(source.value, issuePath))) {
    const inner = issue.errors[1]?.[0];
    if (inner) {
      issuePath = [...issuePath, ...inner.path.filter((p): p is string | number => typeof p !== 'symbol')];
      issue = inner;
    }
  }
  const key = String(issuePath[0] ?? '');
  if (issue.code === 'unrecognized_keys') {
    const bad = issue.keys[0];
    const allowed = Object.keys(FIX_HINTS).join(', ');
    const guess = issuePath.length === 0 ? Object.keys(FIX_HINTS).find((k) => editDistance(k, bad) <= 2) : undefined;
    const fix = guess ? `did you mean "${guess}"?` : issuePath.length ? 'allowed keys are text and quickReplies (with title and value)' : `allowed keys are ${allowed}`;
    throw new IntentsError(`unknown key "${bad}"${issuePath.length ? ` in ${formatPath(issuePath)}` : ''}: ${fix}`, file, source.lineOf([...issuePath, bad]));
  }
  const value = getIn(source.value, issuePath);
  const what = value === undefined && issue.code === 'invalid_type' ? `missing "${formatPath(issuePath)}"` : `"${formatPath(issuePath)}" ${describeIssue(issue, value)}`;
  // too_small messages already say what to add.
  const hint = FIX_HINTS[key] && issue.code !== 'too_small' ? `: ${FIX_HINTS[key]}` : '';
  throw new IntentsError(`${what}${hint}`, file, source.lineOf(issuePath));
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_type') return `should be ${issue.expected}, got ${value === null ? 'nothing' : Array.isArray(value) ? 'a list' : typeof value}`;
  if (issue.code === 'invalid_union') return 'should be a reply: text, or `text:` with optional `quickReplies:`';
  if (issue.code === 'invalid_value') return `should be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}`;
  return issue.message.replace(/^Invalid input: /, '');
}

function formatPath(p: ReadonlyArray<string | number>): string {
  return p.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function getIn(value: unknown, p: ReadonlyArray<string | number>): unknown {
  let v = value;
  for (const k of p) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

/** Levenshtein distance, for "did you mean" on misspelt keys. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
