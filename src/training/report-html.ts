import type { Evaluation, ModelManifest, ReliabilityBin, TrainingCurvePoint } from '../nlu/index.js';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/**
 * A self-contained HTML evaluation report (no scripts, no external files): headline metrics,
 * per-label scores, confusion matrix, reliability plot, training curve and the misclassified
 * examples. Every piece of text from data or model is escaped.
 *
 * @example await writeFile('report.html', reportHtml(manifest, evaluation, 'intents'));
 */
export function reportHtml(manifest: ModelManifest, e: Evaluation, dataName: string): string {
  const h = escapeHtml;
  const headline = [
    ['examples', String(e.n)], ['accuracy', pct(e.accuracy)], ['macro-F1', pct(e.macroF1)], ['ECE', pct(e.ece)],
    ...(e.inScopeAccuracy !== undefined ? [['in-scope accuracy', pct(e.inScopeAccuracy)]] : []),
    ...(e.oosRecall !== undefined ? [['oos recall', pct(e.oosRecall)]] : []),
  ];
  const perLabel = Object.entries(e.perLabel).sort(([a], [b]) => a.localeCompare(b))
    .map(([l, s]) => `<tr><td>${h(l)}</td><td>${s.precision.toFixed(3)}</td><td>${s.recall.toFixed(3)}</td><td>${s.f1.toFixed(3)}</td><td>${s.support}</td></tr>`).join('');
  const misclassified = e.misclassified
    .map((m) => `<tr><td>${h(m.text)}</td><td>${h(m.label)}</td><td>${h(m.predicted)}</td><td>${m.confidence.toFixed(3)}</td></tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evaluation of ${h(manifest.version)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}
td:first-child,th:first-child{text-align:left}.cm td{min-width:1.6em;text-align:center}
.cm th.col{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal}
h2{margin-top:2rem}svg{background:#fafafa;border:1px solid #ddd}
</style></head><body>
<h1>Evaluation of ${h(manifest.version)}</h1>
<p>Task ${h(manifest.task)}, data ${h(dataName)}, model created ${h(manifest.createdAt)}, fallback threshold ${manifest.fallbackThreshold.toFixed(3)}, temperature ${manifest.temperature.toFixed(3)}.</p>
<table>${headline.map(([k, v]) => `<tr><th>${h(k)}</th><td>${h(v)}</td></tr>`).join('')}</table>
<h2>Per label</h2>
<table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>${perLabel}</table>
<h2>Confusion matrix</h2>
<p>Rows: true label; columns: predicted label.</p>
${confusionTable(e)}
<h2>Reliability</h2>
<p>Accuracy of the top label against its confidence, per confidence bin (dot size: examples). On the diagonal = well calibrated.</p>
${reliabilitySvg(e.reliability)}
<h2>Training curve</h2>
<p>Training loss (red, scaled to its maximum) and validation accuracy (blue, 0-1) per epoch.</p>
${curveSvg(manifest.curve)}
<h2>Misclassified (${e.misclassified.length})</h2>
<table><tr><th>text</th><th>true</th><th>predicted</th><th>confidence</th></tr>${misclassified}</table>
</body></html>
`;
}

/** The confusion matrix as a table with cells shaded by their share of the row. */
export function confusionTable(e: Evaluation): string {
  // Columns: every label seen (including 'fallback'); rows: the true labels only.
  const labels = [...new Set(e.confusion.flatMap((c) => [c.label, c.predicted]))].sort();
  const truths = [...new Set(e.confusion.map((c) => c.label))].sort();
  const count = new Map(e.confusion.map((c) => [`${c.label}\u0000${c.predicted}`, c.count]));
  const head = `<tr><th></th>${labels.map((l) => `<th class="col">${escapeHtml(l)}</th>`).join('')}</tr>`;
  const rows = truths.map((truth) => {
    const total = labels.reduce((s, p) => s + (count.get(`${truth}\u0000${p}`) ?? 0), 0);
    const cells = labels.map((p) => {
      const k = count.get(`${truth}\u0000${p}`) ?? 0;
      const alpha = total ? k / total : 0;
      const colour = truth === p ? `rgba(40,140,60,${alpha.toFixed(2)})` : `rgba(200,40,40,${alpha.toFixed(2)})`;
      return `<td style="background:${colour}">${k || ''}</td>`;
    }).join('');
    return `<tr><th>${escapeHtml(truth)}</th>${cells}</tr>`;
  }).join('');
  return `<div style="overflow-x:auto"><table class="cm">${head}${rows}</table></div>`;
}

const W = 360, H = 240, PAD = 36;
const x = (v: number) => PAD + v * (W - 2 * PAD);
const y = (v: number) => H - PAD - v * (H - 2 * PAD);

/** Reliability diagram: mean confidence vs accuracy per non-empty bin, with the diagonal. */
export function reliabilitySvg(bins: ReliabilityBin[]): string {
  const used = bins.filter((b) => b.count > 0);
  const max = Math.max(1, ...used.map((b) => b.count));
  const dots = used.map((b) => `<circle cx="${x(b.confidence).toFixed(1)}" cy="${y(b.accuracy).toFixed(1)}" r="${(2 + 6 * Math.sqrt(b.count / max)).toFixed(1)}" fill="#2a6fdb" fill-opacity="0.7"><title>confidence ${b.confidence.toFixed(2)}, accuracy ${b.accuracy.toFixed(2)}, ${b.count} examples</title></circle>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="reliability diagram">
${axes('confidence', 'accuracy', ['0', '1'])}<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4 3"/>${dots}</svg>`;
}

/** Training loss (scaled to its maximum) and validation accuracy per epoch. */
export function curveSvg(curve: TrainingCurvePoint[]): string {
  if (curve.length === 0) return '<p>No training curve recorded in the manifest.</p>';
  const last = Math.max(1, curve.length - 1);
  const maxLoss = Math.max(1e-9, ...curve.map((p) => p.loss));
  const line = (f: (p: TrainingCurvePoint) => number) => curve.map((p, i) => `${x(i / last).toFixed(1)},${y(f(p)).toFixed(1)}`).join(' ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="training curve">
${axes('epoch', `loss (max ${maxLoss.toFixed(3)}) / val acc`, ['1', String(curve.length)])}<polyline fill="none" stroke="#c33" stroke-width="2" points="${line((p) => p.loss / maxLoss)}"/><polyline fill="none" stroke="#2a6fdb" stroke-width="2" points="${line((p) => p.validationAccuracy)}"/></svg>`;
}

function axes(xLabel: string, yLabel: string, [xFirst, xLast]: [string, string]): string {
  return `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(0)}" stroke="#333"/><line x1="${x(0)}" y1="${y(0)}" x2="${x(0)}" y2="${y(1)}" stroke="#333"/>`
    + `<text x="${x(0)}" y="${y(0) + 14}" font-size="10">${escapeHtml(xFirst)}</text><text x="${x(1) - 6}" y="${y(0) + 14}" font-size="10">${escapeHtml(xLast)}</text><text x="${x(0) - 14}" y="${y(1) + 4}" font-size="10">1</text>`
    + `<text x="${W / 2}" y="${H - 6}" font-size="11" text-anchor="middle">${escapeHtml(xLabel)}</text>`
    + `<text x="12" y="${H / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${H / 2})">${escapeHtml(yLabel)}</text>`;
}
