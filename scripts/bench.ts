/**
 * `npm run bench`: analyze + refine-all (charts rendered) on generated files of 10k, 100k and 1M rows of
 * three kinds, against the bare DuckDB load of the same file measured in the same run. Medians of
 * several runs, each in a fresh process; peak memory is that process's max RSS.
 *   npm run bench -- [--sizes 10000,100000] [--kinds sales,events,sensor] [--runs 3]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const sizes = option('--sizes', '10000,100000,1000000').split(',').map(Number);
const kinds = option('--kinds', 'sales,events,sensor').split(',');
const runs = Number(option('--runs', '3'));
const dir = path.resolve('test-results/bench');
fs.mkdirSync(dir, { recursive: true });
const generator = path.resolve('test/fixtures/dev-data/generate.mjs');
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

interface Run {
  totalMs: number;
  maxRssMb: number;
  phases: Record<string, number>;
}
const measure = (mode: string, file: string): Run =>
  JSON.parse(
    execFileSync(process.execPath, ['bin/run.js', 'scripts/bench-worker.ts', mode, file], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .pop()!,
  );

console.log(`| kind | rows | bare load | analyze + refine all | ratio | read / analyze / refine+render | peak RSS |`);
console.log('|---|---|---|---|---|---|---|');
for (const kind of kinds) {
  for (const size of sizes) {
    const file = path.join(dir, `${kind}-${size}.csv`);
    if (!fs.existsSync(file))
      execFileSync(process.execPath, [generator, '--large', String(size), file, '--kind', kind], { stdio: 'ignore' });
    const bare: Run[] = [];
    const full: Run[] = [];
    for (let i = 0; i < runs; i++) {
      bare.push(measure('bare', file));
      full.push(measure('full', file));
    }
    const bareMs = median(bare.map((r) => r.totalMs));
    const fullMs = median(full.map((r) => r.totalMs));
    const phase = (name: string) => median(full.map((r) => r.phases[name] ?? 0));
    console.log(
      `| ${kind} | ${size.toLocaleString('en-US')} | ${(bareMs / 1000).toFixed(2)} s | ${(fullMs / 1000).toFixed(2)} s | ${(fullMs / bareMs).toFixed(1)}× | ${(phase('read') / 1000).toFixed(2)} / ${(phase('analyze') / 1000).toFixed(2)} / ${(phase('refineAll') / 1000).toFixed(2)} s | ${Math.max(...full.map((r) => r.maxRssMb))} MB |`,
    );
  }
}
