import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createRequire } from 'node:module';

/**
 * Compiles the TypeScript sources into dist/ (tsconfig.build.json, the `tsc` half of
 * `npm run build`), for what runs `bin/parley-compiled.js`: the server benchmark and the
 * compiled-build test. The output is returned, not printed.
 *
 * @example const built = compileServer(repoRoot); if (built.status !== 0) throw new Error(built.stderr);
 */
export function compileServer(repoRoot: string): SpawnSyncReturns<string> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  return spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: repoRoot, encoding: 'utf8' });
}
