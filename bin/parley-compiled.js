#!/usr/bin/env node
// The CLI from the compiled build (`npm run build` writes dist/): no TypeScript loader in the
// process, for servers in production. `bin/parley.js` runs the sources directly instead.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('parley: no compiled build in dist/; run `npm run build` first (or use bin/parley.js)\n');
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv);
