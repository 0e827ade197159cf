import { Command } from 'commander';
import type { Prediction } from '../../nlu/types.js';

/** `parley predict --model <model> [--json] "text"` */
export function register(program: Command): void {
  program
    .command('predict')
    .description('Classify one text and explain the decision')
    .argument('<text>', 'what the customer says')
    .option('--model <model>', "model folder, version under models/, or 'intent' / 'sentiment'", 'intent')
    .option('--models <dir>', 'models folder', 'models')
    .option('--top <k>', 'alternatives to show', (v) => Number.parseInt(v, 10), 5)
    .option('--json', 'print the prediction as one JSON object')
    .action(async (text: string, opts: { model: string; models: string; top: number; json?: boolean }) => {
      const { openModel } = await import('../../training/open-model.js');
      const model = await openModel(opts.model, opts.models);
      const prediction = await model.predictAsync(text, { explain: true, topK: opts.top });
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ model: model.manifest.version, text, ...prediction })}\n`);
        return;
      }
      process.stdout.write(`${formatPrediction(prediction)}\n`);
    });
}

/**
 * The readable form of a prediction.
 *
 * @example
 * formatPrediction(p)
 * // intent: track_package (confidence 0.912)
 * // alternatives: order_status 0.041, late_delivery 0.020
 * // ...
 */
export function formatPrediction(p: Prediction): string {
  const flags = [p.fallback ? 'fallback (below threshold or out of scope)' : '', p.ambiguous ? `ambiguous (margin ${p.margin.toFixed(3)})` : ''].filter(Boolean);
  const lines = [
    `intent: ${p.label}${p.label !== p.top ? ` (top: ${p.top})` : ''} (confidence ${p.confidence.toFixed(3)})`,
    `alternatives: ${p.ranking.slice(1).map((r) => `${r.label} ${r.confidence.toFixed(3)}`).join(', ') || 'none'}`,
    `flags: ${flags.join(', ') || 'none'}`,
  ];
  if (p.explanation?.length) {
    lines.push('explanation (push towards the top label vs the runner-up):');
    for (const c of p.explanation) lines.push(`  ${c.weight >= 0 ? '+' : ''}${c.weight.toFixed(3)}  ${c.feature}`);
  }
  return lines.join('\n');
}
