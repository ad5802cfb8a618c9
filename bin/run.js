#!/usr/bin/env node
// Runs one TypeScript script (eval, bench, tools) from source: `node bin/run.js scripts/eval.ts [args]`.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node bin/run.js SCRIPT.ts [args]');
  process.exit(2);
}
process.argv = [process.argv[0], script, ...args];
await import(pathToFileURL(resolve(script)).href);
