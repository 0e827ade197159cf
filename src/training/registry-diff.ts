import path from 'node:path';
import { evaluateAsync, loadModel, readManifest, type ModelManifest } from '../nlu/index.js';
import type { LabelledText } from '../nlu/types.js';
import { f1Changes } from './gate.js';
import { table } from './format-text.js';

export interface ModelDiff {
  a: string;
  b: string;
  /** Every manifest metric of either version, side by side. */
  metrics: Array<{ name: string; a?: number; b?: number; delta?: number }>;
  labelsAdded: string[];
  labelsRemoved: string[];
  /** Per-label F1 of both on the same held-out data (when given), largest change first. */
  perLabel?: ReturnType<typeof f1Changes>;
  evaluatedOn?: number;
  trainingExamples: { a: number; b: number };
  feedbackIncluded: { a: number; b: number };
}

/** Pure: what changed between two manifests (metrics and labels). */
export function diffManifests(a: ModelManifest, b: ModelManifest): ModelDiff {
  const names = [...new Set([...Object.keys(a.metrics), ...Object.keys(b.metrics)])].sort();
  const labelsA = new Set(a.labels);
  const labelsB = new Set(b.labels);
  return {
    a: a.version,
    b: b.version,
    metrics: names.map((name) => {
      const va = a.metrics[name];
      const vb = b.metrics[name];
      return { name, ...(va !== undefined ? { a: va } : {}), ...(vb !== undefined ? { b: vb } : {}), ...(va !== undefined && vb !== undefined ? { delta: vb - va } : {}) };
    }),
    labelsAdded: b.labels.filter((l) => !labelsA.has(l)),
    labelsRemoved: a.labels.filter((l) => !labelsB.has(l)),
    trainingExamples: { a: a.trainingExamples, b: b.trainingExamples },
    feedbackIncluded: { a: a.feedbackIncluded ?? 0, b: b.feedbackIncluded ?? 0 },
  };
}

/**
 * Compares two versions under `modelsDir`: manifest metrics side by side, labels added and
 * removed, and, given held-out `tests`, per-label F1 of both on them.
 *
 * @example
 * const d = await diffModels('models', 'intent-20261128-1200-aa', 'intent-20261128-1300-bb', { tests });
 * d.perLabel[0] // { label: 'cancel_order', before: 0.8, after: 0.92, delta: 0.12 }
 */
export async function diffModels(modelsDir: string, a: string, b: string, { tests }: { tests?: LabelledText[] } = {}): Promise<ModelDiff> {
  const [ma, mb] = await Promise.all([readManifest(path.join(modelsDir, a)), readManifest(path.join(modelsDir, b))]);
  const diff = diffManifests(ma, mb);
  if (tests && tests.length > 0 && ma.task === mb.task) {
    const [ea, eb] = await Promise.all([
      loadModel(path.join(modelsDir, a)).then((m) => evaluateAsync(m, tests)),
      loadModel(path.join(modelsDir, b)).then((m) => evaluateAsync(m, tests)),
    ]);
    const f1 = (e: typeof ea) => Object.fromEntries(Object.entries(e.perLabel).map(([l, s]) => [l, s.f1]));
    diff.perLabel = f1Changes(f1(ea), f1(eb));
    diff.evaluatedOn = tests.length;
    diff.metrics.push({ name: 'heldOut macroF1 (same data)', a: ea.macroF1, b: eb.macroF1, delta: eb.macroF1 - ea.macroF1 });
  }
  return diff;
}

const num = (v: number | undefined, digits = 4): string => (v === undefined ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(digits));
const signed = (v: number | undefined, digits = 4): string => (v === undefined ? '-' : `${v >= 0 ? '+' : ''}${Number.isInteger(v) ? v : v.toFixed(digits)}`);
const f1 = (v: number | undefined): string => (v === undefined ? '-' : v.toFixed(3));

/** The readable diff printed by `parley models diff`. */
export function formatDiff(d: ModelDiff, { maxLabels = 15 }: { maxLabels?: number } = {}): string {
  const out = [`a: ${d.a}`, `b: ${d.b}`, ''];
  out.push(table([
    ['metric', 'a', 'b', 'b - a'],
    ['trainingExamples', String(d.trainingExamples.a), String(d.trainingExamples.b), signed(d.trainingExamples.b - d.trainingExamples.a)],
    ['feedbackIncluded', String(d.feedbackIncluded.a), String(d.feedbackIncluded.b), signed(d.feedbackIncluded.b - d.feedbackIncluded.a)],
    ...d.metrics.map((m) => [m.name, num(m.a), num(m.b), signed(m.delta)]),
  ]));
  out.push('', `labels added: ${d.labelsAdded.length ? d.labelsAdded.join(', ') : 'none'}`, `labels removed: ${d.labelsRemoved.length ? d.labelsRemoved.join(', ') : 'none'}`);
  if (d.perLabel) {
    const changed = d.perLabel.filter((p) => Math.abs(p.delta) > 1e-9);
    out.push('', `per-label F1 on ${d.evaluatedOn} held-out examples (${changed.length} changed${changed.length > maxLabels ? `, top ${maxLabels} shown` : ''}):`);
    if (changed.length) out.push(table([['label', 'a', 'b', 'b - a'], ...changed.slice(0, maxLabels).map((p) => [p.label, f1(p.before), f1(p.after), `${p.delta >= 0 ? '+' : ''}${p.delta.toFixed(3)}`])]));
  }
  return out.join('\n');
}
