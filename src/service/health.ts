import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Analyst, AnalystState } from '../analysts/types.ts';
import { openDatabase } from '../db/duckdb.ts';
import { readCsv } from '../ingest/index.ts';
import { newWorkspace } from '../workspaces/workspace-pool.ts';

export type Health =
  | { status: 'healthy'; analyst: string; latencyMs: number; timestamp: string }
  | { status: 'degraded'; analyst: string; error: string; latencyMs: number; timestamp: string };

const silentLogger = pino({ level: 'silent' });

function memoryState(): AnalystState {
  const values = new Map<string, unknown>();
  return {
    get: async <T>(key: string) => values.get(key) as T | undefined,
    set: async (key: string, value: unknown) => {
      values.set(key, value);
    },
  };
}

/** Eight weeks of daily orders in two regions with a weekend lift: small, but every detector has something to chew on. */
function tinyCsv(): string {
  const lines = ['date,region,orders'];
  const start = Date.UTC(2024, 0, 1);
  for (let day = 0; day < 56; day++) {
    const date = new Date(start + day * 86_400_000);
    const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
    for (const [i, region] of ['North', 'South'].entries()) {
      lines.push(`${date.toISOString().slice(0, 10)},${region},${(weekend ? 30 : 20) + ((day * 7 + i * 3) % 5)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Runs a tiny real analysis with the configured analyst: healthy means the whole path works, not just the port. */
export async function checkHealth(analyst: Analyst, timeoutMs: number, now: () => number = Date.now): Promise<Health> {
  const started = now();
  const directory = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'datastory-health-'));
  const file = path.join(directory, 'health.csv');
  const db = await openDatabase({ threads: 1 });
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new Error(`health analysis exceeded ${timeoutMs} ms`));
    db.connection.interrupt();
  }, timeoutMs);
  try {
    await fs.promises.writeFile(file, tinyCsv());
    const reading = await readCsv(db.connection, file, { tableName: 'data' });
    const stories = await analyst.discover(
      {
        workspace: newWorkspace('health', db, reading, now()),
        session: { id: 'health', fileName: 'health.csv', originalPath: file },
        state: memoryState(),
        log: silentLogger,
        signal: controller.signal,
        onProgress: () => {},
      },
      undefined,
    );
    if (stories.length !== 3) throw new Error(`expected 3 stories, got ${stories.length}`);
    return {
      status: 'healthy',
      analyst: analyst.name,
      latencyMs: now() - started,
      timestamp: new Date().toISOString(),
    };
  } catch (error) {
    const message = controller.signal.aborted
      ? String((controller.signal.reason as Error).message)
      : (error as Error).message;
    return {
      status: 'degraded',
      analyst: analyst.name,
      error: message,
      latencyMs: now() - started,
      timestamp: new Date().toISOString(),
    };
  } finally {
    clearTimeout(timer);
    db.close();
    await fs.promises.rm(directory, { recursive: true, force: true });
  }
}
