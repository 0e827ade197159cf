import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { ModelManifest } from '../../nlu/index.js';
import type { Task } from '../../nlu/types.js';
import { table } from '../../training/format-text.js';
import { withCliStore } from '../store.js';
import { UserError } from '../user-error.js';

/** The model files API, imported on use so `parley --help` does not load the NLU. */
const nlu = () => import('../../nlu/index.js');

/** `parley models list | show <version> | promote <version> | rollback [--task] | diff <a> <b>`. */
export function register(program: Command): void {
  const models = program.command('models').description('Inspect trained model versions');
  models
    .command('list')
    .description('List model versions in the models folder (* = current)')
    .option('--models <dir>', 'models folder', 'models')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { models: string; json?: boolean }) => {
      const list = await listModels(opts.models);
      if (opts.json) {
        process.stdout.write(list.map((m) => JSON.stringify(m)).join('\n') + (list.length ? '\n' : ''));
        return;
      }
      if (list.length === 0) {
        process.stdout.write(`no models in ${opts.models}/; train one with \`parley train\`\n`);
        return;
      }
      const rows = [['version', 'task', 'created', 'examples', 'test acc', 'test F1', 'test ECE', 'current']];
      for (const m of list) {
        const metric = (k: string) => (m.metrics[k] === undefined ? '-' : `${(m.metrics[k] * 100).toFixed(1)}%`);
        rows.push([m.version, m.task, m.createdAt.slice(0, 19).replace('T', ' '), String(m.trainingExamples), metric('testAccuracy'), metric('testMacroF1'), metric('testEce'), m.current ? '*' : '']);
      }
      process.stdout.write(`${table(rows)}\n`);
    });
  models
    .command('show')
    .description('Show one version: manifest summary and metrics')
    .argument('<version>', "a version under the models folder, or 'intent' / 'sentiment' for the current one")
    .option('--models <dir>', 'models folder', 'models')
    .action(async (version: string, opts: { models: string }) => {
      const current = await (await nlu()).readCurrent(opts.models);
      const name = version === 'intent' || version === 'sentiment' ? current[version] : version;
      if (!name) throw new UserError(`no current ${version} model in ${opts.models}/current.json`);
      const m = await (await nlu()).readManifest(path.join(opts.models, name)).catch((e: Error) => { throw new UserError(e.message); });
      const isCurrent = current[m.task] === m.version;
      const lines = [
        `${m.version}${isCurrent ? ' (current)' : ''}`,
        `task: ${m.task}; ${m.labels.length} labels: ${m.labels.join(', ')}`,
        `created: ${m.createdAt}${m.parent ? `; parent ${m.parent}` : ''}`,
        `featurizers: ${m.featurizers.map((f) => f.kind).join(', ')}`,
        `training examples: ${m.trainingExamples}; data hash ${m.dataHash.slice(0, 12)}`,
        `temperature ${m.temperature.toFixed(3)}, fallback threshold ${m.fallbackThreshold.toFixed(3)}, ambiguity margin ${m.ambiguityMargin}`,
        `epochs trained: ${m.curve.length}`,
        'metrics:',
        ...Object.entries(m.metrics).map(([k, v]) => `  ${k}: ${Number.isInteger(v) ? v : v.toFixed(4)}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  registerRegistryVerbs(models);
}

/** promote / rollback / diff: the registry verbs (audited with who and why). */
function registerRegistryVerbs(models: Command): void {
  const who = (by?: string) => by ?? process.env.USER ?? os.userInfo().username;
  models
    .command('promote')
    .description('Make a version the serving model of its task (running servers switch to it); audited')
    .argument('<version>', 'a version folder under the models folder')
    .option('--models <dir>', 'models folder', 'models')
    .option('--by <name>', 'who promotes (default $USER)')
    .option('--reason <text>', 'why, for the audit log')
    .action(async (version: string, opts: { models: string; by?: string; reason?: string }) => {
      const r = await withCliStore(async (store) => (await import('../../training/registry.js')).promote(opts.models, version, { by: who(opts.by), reason: opts.reason, audit: store })).catch(asUserError);
      process.stdout.write(`${r.version} is now the current ${r.task} model${r.from ? ` (was ${r.from})` : ''}\n`);
    });
  models
    .command('rollback')
    .description('Go back to the version that served before the current one; audited')
    .addOption(new Option('--task <task>', 'which model').choices(['intent', 'sentiment']).default('intent'))
    .option('--models <dir>', 'models folder', 'models')
    .option('--by <name>', 'who rolls back (default $USER)')
    .option('--reason <text>', 'why, for the audit log')
    .action(async (opts: { task: Task; models: string; by?: string; reason?: string }) => {
      const r = await withCliStore(async (store) => (await import('../../training/registry.js')).rollback(opts.models, opts.task, { by: who(opts.by), reason: opts.reason, audit: store })).catch(asUserError);
      process.stdout.write(`rolled back the ${r.task} model to ${r.version}${r.from ? ` (was ${r.from})` : ''}\n`);
    });
  models
    .command('diff')
    .description('Compare two versions: metrics side by side, labels added/removed, per-label F1 on the same held-out tests')
    .argument('<a>', 'a version under the models folder')
    .argument('<b>', 'another version')
    .option('--models <dir>', 'models folder', 'models')
    .option('--data <path>', 'held-out data for per-label F1 (default: intents/ tests, or intents/sentiment for sentiment models)')
    .option('--no-eval', 'compare manifests only')
    .option('--json', 'print the diff as JSON')
    .action(async (a: string, b: string, opts: { models: string; data?: string; eval: boolean; json?: boolean }) => {
      const task = (await (await nlu()).readManifest(path.join(opts.models, b)).catch((e: Error) => { throw new UserError(e.message); })).task;
      const { loadData } = await import('../../training/data-source.js');
      const { diffModels, formatDiff } = await import('../../training/registry-diff.js');
      const tests = opts.eval ? (await loadData(opts.data ?? (task === 'intent' ? 'intents' : path.join('intents', 'sentiment')), task)).test : undefined;
      const diff = await diffModels(opts.models, a, b, { tests }).catch(asUserError);
      process.stdout.write(`${opts.json ? JSON.stringify(diff) : formatDiff(diff)}\n`);
    });
}

function asUserError(error: unknown): never {
  if (['RegistryError', 'ModelFormatError'].includes((error as Error)?.name)) throw new UserError((error as Error).message, 2, { cause: error });
  throw error;
}

export interface ModelSummary {
  version: string;
  task: string;
  createdAt: string;
  trainingExamples: number;
  metrics: Record<string, number>;
  current: boolean;
}

/** Every readable model folder in `modelsDir`, newest first (unreadable folders are skipped). */
export async function listModels(modelsDir: string): Promise<ModelSummary[]> {
  const entries = await readdir(modelsDir, { withFileTypes: true }).catch(() => []);
  const current = await (await nlu()).readCurrent(modelsDir);
  const out: ModelSummary[] = [];
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    let m: ModelManifest;
    try {
      m = await (await nlu()).readManifest(path.join(modelsDir, e.name));
    } catch {
      continue;
    }
    out.push({ version: m.version, task: m.task, createdAt: m.createdAt, trainingExamples: m.trainingExamples, metrics: m.metrics, current: current[m.task] === e.name });
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
