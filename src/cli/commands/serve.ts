import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { config as loadDotenv } from 'dotenv';
import { UserError } from '../user-error.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** `parley serve [--port N] [--host H]`: the bot server (web chat, health, metrics). Settings come from the environment and .env. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('Start the bot server: web chat widget and socket, /healthz, /readyz, /metrics (settings: environment and .env, see .env.example)')
    .option('--port <port>', 'port to listen on (overrides PORT)')
    .option('--host <host>', 'address to bind (overrides HOST)')
    .action(async (opts: { port?: string; host?: string }) => {
      // .env is read here, at the entry point, and never overrides the real environment.
      loadDotenv({ quiet: true } as Parameters<typeof loadDotenv>[0]);
      // Loaded here, not at the top: the server pulls in every channel SDK, and `parley --help` should not wait for them.
      const { ConfigError, loadConfig } = await import('../../server/config.js');
      const { startServer } = await import('../../server/server.js');
      let config;
      try {
        config = loadConfig({ ...process.env, ...(opts.port !== undefined ? { PORT: opts.port } : {}), ...(opts.host !== undefined ? { HOST: opts.host } : {}) });
      } catch (error) {
        if (error instanceof ConfigError) throw new UserError(error.message);
        throw error;
      }
      buildWidgetIfMissing();
      const server = await startServer(config);
      // Tests and process managers read this line to find the port when PORT=0.
      process.stdout.write(`parley listening on ${server.url}\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          server.logger.info({ signal }, 'signal received');
          server.close().then(resolve, (err) => {
            server.logger.error({ err }, 'shutdown failed');
            process.exitCode = 1;
            resolve();
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}

/** The widget is a build artefact; a fresh clone has none, so build it once before serving. */
function buildWidgetIfMissing(): void {
  if (existsSync(path.join(repoRoot, 'web/dist/widget.js'))) return;
  const script = path.join(repoRoot, 'scripts/build-web.mjs');
  if (!existsSync(script)) return;
  const result = spawnSync(process.execPath, [script], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) process.stderr.write('parley: building the widget failed; /widget.js will answer 503 until `npm run build:web` succeeds\n');
}
