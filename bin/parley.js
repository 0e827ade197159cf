#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=4 --heap-growing-percent=100 --expose-gc
// The CLI is TypeScript run through tsx's loader, so a clone works without a build step.
// The node flags: see bin/parley-compiled.js.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
