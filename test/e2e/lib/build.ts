import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * Builds the web assets (widget.js) the way `npm run build:web` does, so browser tests
 * always run against the current sources. Throws with esbuild's output when it fails.
 */
export function buildWebAssets(): void {
  execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build-web.mjs')], { cwd: repoRoot, stdio: 'pipe' });
}
