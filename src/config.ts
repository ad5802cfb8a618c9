import path from 'node:path';
import { z } from 'zod';

/** The only reader of process.env: every setting, its default and its unit. */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATASTORY_DATA_DIR: z.string().min(1).default('./data'),
  DATASTORY_ANALYST: z.enum(['builtin']).default('builtin'),
  DATASTORY_MAX_UPLOAD_MB: z.coerce.number().positive().max(10_000).default(50),
  DATASTORY_LARGE_UPLOAD_MB: z.coerce.number().positive().default(15),
  DATASTORY_SAMPLE_ROWS: z.coerce.number().int().min(1000).default(500_000),
  DATASTORY_CONTAINER_TTL_MINUTES: z.coerce.number().positive().default(20),
  DATASTORY_ANALYSIS_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
  DATASTORY_MAX_WORKSPACES: z.coerce.number().int().min(1).default(6),
  DATASTORY_IDEMPOTENCY_TTL_MINUTES: z.coerce.number().positive().default(10),
  DATASTORY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  analyst: 'builtin';
  maxUploadBytes: number;
  largeUploadBytes: number;
  /** Row-level statistics (correlations, distributions) use a repeatable sample above this many rows. */
  sampleRows: number;
  workspaceTtlMs: number;
  /** Sessions kept loaded in memory at once; the least recently used is closed (and reloaded on demand). */
  maxWorkspaces: number;
  analysisTimeoutMs: number;
  idempotencyTtlMs: number;
  logLevel: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid setting — ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const config: Config = {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATASTORY_DATA_DIR),
    analyst: e.DATASTORY_ANALYST,
    maxUploadBytes: Math.round(e.DATASTORY_MAX_UPLOAD_MB * 1024 * 1024),
    largeUploadBytes: Math.round(e.DATASTORY_LARGE_UPLOAD_MB * 1024 * 1024),
    sampleRows: e.DATASTORY_SAMPLE_ROWS,
    workspaceTtlMs: e.DATASTORY_CONTAINER_TTL_MINUTES * 60_000,
    maxWorkspaces: e.DATASTORY_MAX_WORKSPACES,
    analysisTimeoutMs: e.DATASTORY_ANALYSIS_TIMEOUT_MS,
    idempotencyTtlMs: e.DATASTORY_IDEMPOTENCY_TTL_MINUTES * 60_000,
    logLevel: e.DATASTORY_LOG_LEVEL,
    ...overrides,
  };
  return Object.freeze(config);
}
