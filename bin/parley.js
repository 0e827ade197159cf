#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader, so a clone works without a build step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv);
