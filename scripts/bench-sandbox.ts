/**
 * Sandbox cold start: time from `create()` to the first result of `exec('1 + 1')` on a new container,
 * with the warm pool off (the kernel starts and imports numpy/pandas/matplotlib on the way) and on
 * (a kernel started ahead of time; the pool refills between containers, as it would between users).
 * Also the round trip of `1 + 1` on a live kernel. p50/p95 per run, medians over several runs, each run
 * a fresh service. Run as root (the sandbox needs it):
 *   node bin/run.js scripts/bench-sandbox.ts [--containers 12] [--runs 3]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { LocalContainerService } from '../src/containers/local/local-container-service.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};
const containers = Number(option('--containers', '12'));
const runs = Number(option('--runs', '3'));
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
};
const median = (values: number[]) => quantile(values, 0.5);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Sample {
  firstExecMs: number[];
  roundTripMs: number[];
}

async function measure(warmKernels: number): Promise<Sample> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datastory-bench-sandbox-'));
  const service = new LocalContainerService({
    dataDir,
    settings: { ...loadConfig({}).containers, warmKernels, maxContainers: containers + 1 },
    sweepIntervalMs: 0,
  }).start();
  const sample: Sample = { firstExecMs: [], roundTripMs: [] };
  try {
    const status = await service.sandboxStatus();
    if (!status.available) throw new Error(`the sandbox is unavailable: ${status.problems.join('; ')}`);
    for (let i = 0; i < containers; i++) {
      // Between users the pool has time to refill; wait for it so each container meets a warm kernel.
      while (service.warmCount < warmKernels) await sleep(20);
      await sleep(100); // let the machine settle after the previous container
      const started = performance.now();
      const { id } = await service.create({ name: `bench-${i}` });
      const first = await service.exec(id, '1 + 1');
      sample.firstExecMs.push(performance.now() - started);
      if (first.result !== '2') throw new Error(`unexpected result ${first.result}`);
      const again = performance.now();
      await service.exec(id, '1 + 1');
      sample.roundTripMs.push(performance.now() - again);
      await service.delete(id);
    }
  } finally {
    await service.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return sample;
}

const rows: string[] = [];
for (const [label, warmKernels] of [
  ['pool off', 0],
  ['pool on (1 warm kernel)', 1],
] as const) {
  const p50: number[] = [];
  const p95: number[] = [];
  const trip: number[] = [];
  for (let run = 0; run < runs; run++) {
    const sample = await measure(warmKernels);
    p50.push(quantile(sample.firstExecMs, 0.5));
    p95.push(quantile(sample.firstExecMs, 0.95));
    trip.push(quantile(sample.roundTripMs, 0.5));
  }
  rows.push(
    `| ${label} | ${median(p50).toFixed(0)} ms | ${median(p95).toFixed(0)} ms | ${median(trip).toFixed(1)} ms |`,
  );
}
console.log(
  `Sandbox cold start: ${containers} new containers per run, medians of ${runs} runs (${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)})`,
);
console.log('| warm pool | first exec p50 | first exec p95 | next exec (1 + 1) p50 |');
console.log('|---|---|---|---|');
for (const row of rows) console.log(row);
