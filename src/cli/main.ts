import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { UserError } from './user-error.js';

/**
 * Each verb lives in src/cli/commands/<verb>.ts and exports `register(program)`; this file
 * only wires them up and turns errors into one clear line and a non-zero exit.
 */
const commandsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');

export async function buildProgram(): Promise<Command> {
  const program = new Command('parley')
    .description('Customer-service chat bots: train, test, chat, serve, manage models.')
    .exitOverride()
    .showHelpAfterError();
  const files = readdirSync(commandsDir).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort();
  for (const file of files) {
    const mod = (await import(pathToFileURL(path.join(commandsDir, file)).href)) as { register?: (p: Command) => void };
    mod.register?.(program);
  }
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode || 0;
      return;
    }
    if (error instanceof UserError) {
      process.stderr.write(`parley: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`parley: ${message}\n`);
    if (process.env.PARLEY_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    process.exitCode = 1;
  }
}
