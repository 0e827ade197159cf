import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Document, type YAMLSeq } from 'yaml';
import type { Task } from '../nlu/types.js';
import type { AuditStore, FeedbackStore } from '../store/types.js';
import { buildDataset, type FeedbackExample } from './dataset-builder.js';
import { loadIntents, sentenceKey } from './intents.js';
import { loadSentimentData } from './sentiment-data.js';

export interface ExportResult {
  /** Files written (to review in a pull request). */
  files: string[];
  /** Feedback sentences added to `examples` (trained on). */
  examples: number;
  /** Held-out feedback sentences added to `tests` (never trained on). */
  tests: number;
  /** Sentences moved out of another file because a review relabelled them. */
  moved: number;
  /** Sentences already in the target file. */
  unchanged: number;
}

interface OpenFile { file: string; doc: Document; label: string; changed: boolean }

/**
 * Writes accepted feedback back into the YAML files the loader reads, for review in a pull
 * request: training feedback is appended to `examples` of `<dir>/<intent>.yml` (or, for
 * sentiment, the file of that label), the frozen held-out slice to `tests`, so the next build
 * from files alone holds out the same sentences. A relabelled sentence moves out of its old
 * file. Comments and formatting of the files are kept. The folder is re-validated after
 * writing and restored if the loader would refuse it.
 *
 * @example
 * await exportAccepted(store, 'intents')
 * // { files: ['intents/cancel_order.yml', ...], examples: 41, tests: 9, moved: 2, unchanged: 0 }
 */
export async function exportAccepted(store: FeedbackStore & AuditStore, dir = 'intents', { task = 'intent' }: { task?: Task } = {}): Promise<ExportResult> {
  const dataset = await buildDataset(store, { task, data: dir });
  return writeExamples(dir, task, dataset.feedbackTrain, dataset.feedbackHeldOut);
}

/** The file-writing half of `exportAccepted`. */
export async function writeExamples(dir: string, task: Task, train: readonly FeedbackExample[], heldOut: readonly FeedbackExample[]): Promise<ExportResult> {
  const names = (await readdir(dir)).filter((f) => /\.ya?ml$/i.test(f)).sort();
  const files: OpenFile[] = [];
  const originals = new Map<string, string>();
  for (const base of names) {
    const file = path.join(dir, base);
    const text = await readFile(file, 'utf8');
    originals.set(file, text);
    const doc = parseDocument(text);
    const label = String(doc.get(task === 'intent' ? 'name' : 'label') ?? '');
    files.push({ file, doc, label, changed: false });
  }
  const result: ExportResult = { files: [], examples: 0, tests: 0, moved: 0, unchanged: 0 };
  const entries = [...train.map((e) => ({ e, part: 'examples' as const })), ...heldOut.map((e) => ({ e, part: 'tests' as const }))];
  for (const { e, part } of entries) {
    const target = files.find((f) => f.label === e.label);
    if (!target) continue; // buildDataset already dropped labels without a file
    const key = sentenceKey(e.text);
    if (listOf(target.doc, part).some((t) => sentenceKey(t) === key)) { result.unchanged++; continue; }
    for (const other of files) {
      if (other !== target && removeSentence(other.doc, 'examples', key)) { other.changed = true; result.moved++; }
    }
    appendSentence(target.doc, part, e.text);
    target.changed = true;
    result[part]++;
  }
  const changed = files.filter((f) => f.changed);
  for (const f of changed) await writeFile(f.file, f.doc.toString({ lineWidth: 0 }));
  try {
    if (task === 'intent') await loadIntents(dir); else await loadSentimentData(dir);
  } catch (error) {
    for (const f of changed) await writeFile(f.file, originals.get(f.file)!);
    throw error;
  }
  result.files = changed.map((f) => f.file);
  return result;
}

function seqOf(doc: Document, key: string): YAMLSeq | undefined {
  const node = doc.get(key, true);
  return isSeq(node) ? node : undefined;
}

function listOf(doc: Document, key: string): string[] {
  return (seqOf(doc, key)?.items ?? []).map((i) => String(isScalar(i) ? i.value : i));
}

function appendSentence(doc: Document, key: 'examples' | 'tests', text: string): void {
  const seq = seqOf(doc, key);
  if (seq) seq.add(doc.createNode(text));
  else if (isMap(doc.contents)) doc.set(key, doc.createNode([text]));
}

function removeSentence(doc: Document, key: string, sentence: string): boolean {
  const seq = seqOf(doc, key);
  if (!seq) return false;
  const at = seq.items.findIndex((i) => sentenceKey(String(isScalar(i) ? i.value : i)) === sentence);
  if (at < 0) return false;
  seq.items.splice(at, 1);
  return true;
}
