import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { intentsDir, modelsDir, repoRoot } from '../bot/helpers.js';

const children: ChildProcess[] = [];

/**
 * Starts `parley serve` as a real child process (`bin`: the sources' `bin/parley.js` or the
 * compiled `bin/parley-compiled.js`), with `env` over the test defaults, and resolves with its
 * URL once it listens. The bin is executed as a program, as `npm start` does, so its first
 * line's node flags apply.
 */
export async function serve(dataDir: string, bin: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(path.join(repoRoot, bin), ['serve'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', PARLEY_DATA_DIR: dataDir, PARLEY_MODELS_DIR: modelsDir, PARLEY_INTENTS_DIR: intentsDir, LOG_LEVEL: 'warn', MODELS_RELOAD_MS: '0', SESSION_SECRET: 'child-server-test-secret-0123456789', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${err}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /parley listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}${err}`)));
  });
  return { child, url };
}

export function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

/** For afterAll: no server outlives its test file. */
export function killChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
