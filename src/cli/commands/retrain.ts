import os from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Task } from '../../nlu/types.js';
import { withCliStore } from '../store.js';
import { DEFAULT_GATE_MARGIN } from '../../training/gate.js';
import type { RetrainResult } from '../../training/retrain.js';

interface RetrainCliOptions {
  task: Task;
  force?: boolean;
  data?: string;
  models: string;
  conversations: string | false;
  margin: number;
  minNew: number;
  by?: string;
  seed?: number;
  json?: boolean;
  export?: boolean;
}

/** Exit codes: 0 promoted or nothing to do, 3 rejected by the gate, 4 another retrain is running. */
const EXIT: Record<RetrainResult['status'], number> = { promoted: 0, skipped: 0, rejected: 3, busy: 4 };

/** `parley retrain [--task intent|sentiment] [--force] ...` */
export function register(program: Command): void {
  program
    .command('retrain')
    .description('Train a candidate on intents/ + reviewed feedback and promote it only if the gate passes (exit 3 when rejected, 4 when another retrain runs)')
    .addOption(new Option('--task <task>', 'which model').choices(['intent', 'sentiment']).default('intent'))
    .option('--force', 'retrain even without enough new accepted labels')
    .option('--data <path>', 'intents folder (default intents/, or intents/sentiment for --task sentiment)')
    .option('--models <dir>', 'models folder', 'models')
    .option('--conversations <dir>', 'conversation scripts the candidate must not break', 'conversations')
    .option('--no-conversations', 'gate on held-out data only')
    .option('--margin <f1>', 'largest macro-F1 drop tolerated', parseFraction, DEFAULT_GATE_MARGIN)
    .option('--min-new <n>', 'new accepted labels needed (ignored with --force)', parseCount, 1)
    .option('--by <name>', 'who retrains, for the audit log (default $USER)')
    .option('--seed <n>', 'random seed', parseCount)
    .option('--json', 'print the result as one JSON object')
    .option('--export', 'instead of training: write accepted feedback into the intents YAML files (examples; the held-out slice as tests), for a pull request')
    .action(async (opts: RetrainCliOptions) => {
      const { exportAccepted } = await import('../../training/dataset-export.js');
      const { retrain } = await import('../../training/retrain.js');
      const { conversationRunner } = await import('../../training/retrain-conversations.js');
      if (opts.export) {
        const dir = opts.data ?? (opts.task === 'intent' ? 'intents' : 'intents/sentiment');
        const r = await withCliStore((store) => exportAccepted(store, dir, { task: opts.task }));
        process.stdout.write(opts.json ? `${JSON.stringify(r)}\n` : `${r.examples} examples and ${r.tests} held-out tests added, ${r.moved} moved, ${r.unchanged} already there; ${r.files.length ? `changed: ${r.files.join(', ')}` : 'no file changed'}\n`);
        return;
      }
      const by = opts.by ?? process.env.USER ?? os.userInfo().username;
      const runConversations = opts.conversations === false ? undefined
        : await conversationRunner({ conversationsDir: opts.conversations, modelsDir: opts.models, ...(opts.task === 'intent' && opts.data ? { intentsDir: opts.data } : {}) });
      const result = await withCliStore((store) => retrain({
        store, task: opts.task, modelsDir: opts.models, force: opts.force, margin: opts.margin, minNewLabels: opts.minNew, by,
        ...(opts.data ? { data: opts.data } : {}),
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        ...(runConversations ? { runConversations } : {}),
        onProgress: opts.json ? undefined : (m) => process.stderr.write(`${m}\n`),
      }));
      process.stdout.write(`${opts.json ? JSON.stringify(result) : formatResult(result)}\n`);
      process.exitCode = EXIT[result.status];
    });
}

/** The readable outcome of a retrain. */
export function formatResult(r: RetrainResult): string {
  const lines = [`${r.status}: ${r.reason}`];
  if (r.counts) {
    const c = r.counts;
    lines.push(`data: ${c.base} examples from ${r.task === 'intent' ? 'intents/' : 'the sentiment data'} + ${c.feedback} feedback (${c.feedbackHeldOut} more held out; ${c.duplicates} duplicates, ${c.conflicts} conflicts, ${c.unknownLabel} unknown labels dropped); ${r.newLabels ?? 0} new labels`);
  }
  if (r.candidate) lines.push(`candidate ${r.candidate.version} saved in ${r.candidate.dir} (gate-report.json beside it)`);
  if (r.report) {
    const { candidate, serving } = r.report;
    lines.push(`held-out (${r.report.heldOut.n}: ${r.report.heldOut.fromTests} tests + ${r.report.heldOut.fromFeedback} feedback): candidate macro-F1 ${candidate.macroF1.toFixed(4)}${serving ? `, serving ${serving.version} ${serving.macroF1.toFixed(4)}` : ''}`);
    for (const reason of r.report.decision.reasons) lines.push(`  - ${reason}`);
  }
  if (r.status === 'promoted' && r.candidate) lines.push(`${r.candidate.version} is now the current ${r.task} model; running servers pick it up by themselves`);
  return lines.join('\n');
}

function parseFraction(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('expected a number between 0 and 1, e.g. 0.005');
  return n;
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number, e.g. 10');
  return Number(value);
}
