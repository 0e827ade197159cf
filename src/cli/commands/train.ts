import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { Task } from '../../nlu/types.js';
import { trainingProgress } from '../progress.js';

/** `parley train [--data <intents folder | file.jsonl>] [--out <folder>] [--task intent|sentiment] [--seed N]` */
export function register(program: Command): void {
  program
    .command('train')
    .description('Train a model from an intents folder (default intents/) or a JSONL file; without --out it is saved under models/ and becomes current')
    .option('--data <path>', 'intents folder or .jsonl file (default: intents/, or intents/sentiment for --task sentiment)')
    .option('--out <folder>', 'model folder to write (default: models/<version>, then made current)')
    .addOption(new Option('--task <task>', 'what to train').choices(['intent', 'sentiment']).default('intent'))
    .option('--seed <n>', 'random seed (same data + seed = same model)', parseSeed)
    .option('--models <dir>', 'models folder', 'models')
    .option('--encoder <model>', 'add a transformers.js sentence encoder: a model id under models/encoders/ (e.g. Xenova/all-MiniLM-L6-v2) or a folder')
    .option('--encoder-remote', 'download the encoder from the Hugging Face hub when it is not in models/encoders/')
    .option('--word-vectors', 'intent: add GloVe word vectors when intents have fewer than 50 examples each (helps small bots)')
    .action(async (opts: { data?: string; out?: string; task: Task; seed?: number; models: string; encoder?: string; encoderRemote?: boolean; wordVectors?: boolean }) => {
      const { trainModel } = await import('../../training/train-model.js');
      const { formatSummary } = await import('../../training/format-text.js');
      const progress = trainingProgress(opts.task);
      let result;
      try {
        const encoder = opts.encoder ? { model: path.isAbsolute(opts.encoder) || opts.encoder.startsWith('.') ? path.resolve(opts.encoder) : opts.encoder, ...(opts.encoderRemote ? { allowRemote: true } : {}) } : undefined;
        result = await trainModel({ data: opts.data, out: opts.out, task: opts.task, seed: opts.seed, modelsDir: opts.models, onEpochEnd: progress.onEpochEnd, ...(encoder ? { encoder } : {}), ...(opts.wordVectors ? { wordVectors: true } : {}) });
      } finally {
        progress.stop();
      }
      const { model, dir, data, heldOut, madeCurrent } = result;
      const lines = [
        `trained ${model.manifest.version} (${model.manifest.task}, ${model.manifest.labels.length} labels, ${data.train.length} examples)`,
        `saved to ${dir}${madeCurrent ? ` and set as current ${model.manifest.task} model` : ''}`,
      ];
      if (heldOut) lines.push(`held-out tests: ${formatSummary(heldOut)}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

function parseSeed(value: string): number {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError('expected an integer, e.g. --seed 7');
  return Number(value);
}
