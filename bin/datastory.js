#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step): tsx registers a loader, then the CLI takes over.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
