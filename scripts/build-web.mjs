#!/usr/bin/env node
// Builds the website chat widget (web/widget/index.ts) into web/dist/widget.js: one
// minified IIFE, no dependencies. Prints the gzipped size and fails above the budget,
// because every shop page that embeds the widget pays for each kilobyte.
// Then builds the agent console (web/console/index.ts -> web/dist/console.js, and the
// feedback review page web/console/review.ts -> web/dist/review.js when it exists).
//
//   node scripts/build-web.mjs            # build
//   node scripts/build-web.mjs --sourcemap
import { build } from 'esbuild';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_GZIP_BYTES = 20 * 1024;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'web/dist');
const sourcemap = process.argv.includes('--sourcemap');

let result;
try {
  result = await build({
    entryPoints: [path.join(root, 'web/widget/index.ts')],
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2020', // every browser of the last four years
    legalComments: 'none',
    sourcemap: sourcemap ? 'inline' : false,
    write: false,
    logLevel: 'warning',
  });
} catch {
  // esbuild already printed the errors with file and line.
  console.error('build-web: the widget does not compile (errors above).');
  process.exit(1);
}

const code = result.outputFiles[0].contents;
const gzipped = gzipSync(code, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`web/dist/widget.js: ${kb(code.length)} minified, ${kb(gzipped)} gzipped (budget ${kb(BUDGET_GZIP_BYTES)})`);
if (gzipped > BUDGET_GZIP_BYTES) {
  console.error(`build-web: widget.js is ${kb(gzipped)} gzipped, above the ${kb(BUDGET_GZIP_BYTES)} budget; trim the widget before shipping.`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
// Write then rename: a server (or a parallel test run) never serves a half-written file.
const tmp = path.join(outDir, `.widget.js.${process.pid}.tmp`);
writeFileSync(tmp, code);
renameSync(tmp, path.join(outDir, 'widget.js'));

// The agent console's scripts: served by the bot server itself, so no size budget, only
// the same write-then-rename.
const consoleEntries = [
  ['web/console/index.ts', 'console.js'],
  ['web/console/review.ts', 'review.js'],
].filter(([entry]) => existsSync(path.join(root, entry)));
for (const [entry, out] of consoleEntries) {
  let built;
  try {
    built = await build({
      entryPoints: [path.join(root, entry)],
      bundle: true,
      minify: true,
      format: 'iife',
      target: 'es2020',
      legalComments: 'none',
      sourcemap: sourcemap ? 'inline' : false,
      write: false,
      logLevel: 'warning',
    });
  } catch {
    console.error(`build-web: ${entry} does not compile (errors above).`);
    process.exit(1);
  }
  const bytes = built.outputFiles[0].contents;
  const tmpOut = path.join(outDir, `.${out}.${process.pid}.tmp`);
  writeFileSync(tmpOut, bytes);
  renameSync(tmpOut, path.join(outDir, out));
  console.log(`web/dist/${out}: ${kb(bytes.length)} minified, ${kb(gzipSync(bytes, { level: 9 }).length)} gzipped`);
}
