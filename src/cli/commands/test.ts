import { writeFile } from 'node:fs/promises';
import { Command } from 'commander';
import { UserError } from '../user-error.js';

interface TestOptions {
  model?: string;
  data?: string;
  json?: boolean;
  report?: string;
  models: string;
  conversations?: string | boolean;
}

/**
 * `parley test --model <folder | version | intent | sentiment> --data <intents folder | file.jsonl> [--json] [--report out.html]`
 * and `parley test --conversations [dir]`.
 */
export function register(program: Command): void {
  program
    .command('test')
    .description('Evaluate a model on held-out data (an intents folder\'s tests, or every row of a JSONL file), or replay conversation scripts')
    .option('--model <model>', "model folder, version under models/, or 'intent' / 'sentiment' (the current one)")
    .option('--data <path>', 'intents folder (its tests) or .jsonl file')
    .option('--json', 'print the metrics as one JSON object on the last line of stdout')
    .option('--report <file.html>', 'write a self-contained HTML report')
    .option('--models <dir>', 'models folder', 'models')
    .option('--conversations [dir]', 'replay the conversation scripts in dir (default conversations/)')
    .action(async (opts: TestOptions) => {
      if (opts.conversations !== undefined) return runConversations(opts);
      if (!opts.model || !opts.data) throw new UserError('test needs --model <model> and --data <intents folder | file.jsonl> (or --conversations [dir])');
      const { evaluateTestSet } = await import('../../training/evaluate-data.js');
      const { formatEvaluation } = await import('../../training/format-text.js');
      const { reportHtml } = await import('../../training/report-html.js');
      const { model, evaluation, summary } = await evaluateTestSet(opts.model, opts.data, opts.models);
      if (opts.report) {
        await writeFile(opts.report, reportHtml(model.manifest, evaluation, opts.data));
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(summary)}\n`);
        return;
      }
      const lines = [`model ${model.manifest.version} (${model.manifest.task}) on ${opts.data}`, formatEvaluation(evaluation)];
      if (summary.negativeF1 !== undefined) lines.push(`negative F1 ${(summary.negativeF1 * 100).toFixed(1)}%`);
      if (opts.report) lines.push(`report written to ${opts.report}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

type ConversationRunner = (dir: string, options: Record<string, unknown>) => Promise<unknown>;

/** Conversation scripts are the bot layer's job; this only hands over and sets the exit code. */
async function runConversations(opts: TestOptions): Promise<void> {
  const dir = typeof opts.conversations === 'string' ? opts.conversations : 'conversations';
  // A variable specifier: the bot layer is loaded only for this option (and type-checked there).
  const specifier = '../../bot/conversation-tests.js';
  const mod = (await import(specifier).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ERR_MODULE_NOT_FOUND') throw new UserError('conversation tests are not available: src/bot/conversation-tests.ts is missing');
    throw error;
  })) as { runConversationScripts: ConversationRunner };
  const result = await mod.runConversationScripts(dir, { json: Boolean(opts.json), modelsDir: opts.models, ...(opts.model ? { model: opts.model } : {}) });
  const r = result as { failed?: number; ok?: boolean; passed?: boolean } | undefined;
  if (r && (r.ok === false || r.passed === false || (typeof r.failed === 'number' && r.failed > 0))) process.exitCode = 1;
}
