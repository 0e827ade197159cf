import type { Evaluation } from '../nlu/index.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/**
 * One line of headline metrics.
 *
 * @example formatSummary(e) // 'n=260 accuracy 91.2% macro-F1 90.8% ECE 3.1% in-scope 92.0% oos recall 85.0%'
 */
export function formatSummary(e: Evaluation): string {
  let s = `n=${e.n} accuracy ${pct(e.accuracy)} macro-F1 ${pct(e.macroF1)} ECE ${pct(e.ece)}`;
  if (e.inScopeAccuracy !== undefined) s += ` in-scope ${pct(e.inScopeAccuracy)}`;
  if (e.oosRecall !== undefined) s += ` oos recall ${pct(e.oosRecall)}`;
  return s;
}

/** Pads cells into aligned columns (first column left-aligned, the rest right-aligned). */
export function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd()).join('\n');
}

/**
 * The readable evaluation: summary, per-label precision/recall/F1, most confused pairs.
 */
export function formatEvaluation(e: Evaluation): string {
  const rows = [['label', 'precision', 'recall', 'F1', 'support']];
  for (const [label, s] of Object.entries(e.perLabel).sort(([a], [b]) => a.localeCompare(b))) {
    rows.push([label, s.precision.toFixed(3), s.recall.toFixed(3), s.f1.toFixed(3), String(s.support)]);
  }
  const out = [formatSummary(e), '', table(rows)];
  if (e.mostConfused.length) {
    out.push('', 'most confused (true -> predicted):');
    for (const c of e.mostConfused) out.push(`  ${c.label} -> ${c.predicted}  x${c.count}`);
  }
  return out.join('\n');
}
