#!/usr/bin/env -S MALLOC_ARENA_MAX=2 node --max-semi-space-size=4 --heap-growing-percent=100 --expose-gc
// The CLI from the compiled build (`npm run build` writes dist/): no TypeScript loader in the
// process, for servers in production. `bin/parley.js` runs the sources directly instead.
//
// The node flags on the first line trade a little garbage-collection work for memory, measured
// with `npm run bench:server` (README, "Memory"): a young generation of two 4 MB semispaces
// instead of 16 (the model loading and a burst of turns grow it to the maximum, and V8 keeps
// it), and an old generation allowed to double between full collections instead of V8's up to
// fourfold (garbage promoted from turns in flight otherwise waits there for the next one).
// `--expose-gc` lets the server collect its garbage when it goes quiet after a burst
// (src/server/idle-collector.ts). `MALLOC_ARENA_MAX=2` keeps glibc's malloc to two arenas
// instead of up to eight per core: the memory a thread frees (the WAL checkpoint thread, which
// ends when the server goes quiet) is reused by the others instead of kept apart. V8 sizes the
// young generation when the process starts, and glibc reads its setting then, hence the
// command line; embedding Parley in a process of your own, set them yourself.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('parley: no compiled build in dist/; run `npm run build` first (or use bin/parley.js)\n');
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv);
