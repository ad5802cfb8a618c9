import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { type ContainerSettings, loadConfig } from '../../config.ts';
import { createLogger } from '../../logger.ts';
import { LocalContainerService, type LocalContainerServiceOptions } from './local-container-service.ts';

/** Small limits so that the breakout and limit tests finish in seconds. */
export const testSettings: Partial<ContainerSettings> = {
  memoryMb: 1024,
  maxProcesses: 32,
  maxFileMb: 8,
  tmpMb: 64,
  outputKb: 4,
  execTimeoutMs: 10_000,
  killGraceMs: 500,
  warmKernels: 0,
};

export interface TestContainers {
  service: LocalContainerService;
  dataDir: string;
  /** The fake clock the service reads; move it with `advance`. */
  clock: { now: number; advance(ms: number): void };
  /** Every JSON log line. */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * A real local container service (real bubblewrap, real Python) with its own data dir and a fake clock.
 * `close()` destroys every container and kernel; call it in `afterAll`/`afterEach` so failures clean up too.
 */
export function startTestContainers(
  settings: Partial<ContainerSettings> = {},
  options: Partial<LocalContainerServiceOptions> = {},
): TestContainers {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'datastory-sandbox-test-'));
  const clock = {
    now: Date.UTC(2026, 0, 1),
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const service = new LocalContainerService({
    dataDir,
    settings: { ...loadConfig({}).containers, ...testSettings, ...settings },
    now: () => clock.now,
    sweepIntervalMs: 0,
    logger: createLogger('info', sink),
    ...options,
  }).start();
  return {
    service,
    dataDir,
    clock,
    logs,
    async close() {
      await service.close();
      await fs.promises.rm(dataDir, { recursive: true, force: true });
    },
  };
}
