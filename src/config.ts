import path from 'node:path';
import { z } from 'zod';

/** The only reader of process.env: every setting, its default and its unit. */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATASTORY_DATA_DIR: z.string().min(1).default('./data'),
  DATASTORY_ANALYST: z.enum(['builtin', 'openai']).default('builtin'),
  DATASTORY_MAX_UPLOAD_MB: z.coerce.number().positive().max(10_000).default(50),
  DATASTORY_LARGE_UPLOAD_MB: z.coerce.number().positive().default(15),
  DATASTORY_SAMPLE_ROWS: z.coerce.number().int().min(1000).default(500_000),
  DATASTORY_CONTAINER_TTL_MINUTES: z.coerce.number().positive().default(20),
  DATASTORY_ANALYSIS_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
  DATASTORY_MAX_WORKSPACES: z.coerce.number().int().min(1).default(6),
  DATASTORY_DB_MEMORY_MB: z.coerce.number().int().min(64).default(2048),
  DATASTORY_IDEMPOTENCY_TTL_MINUTES: z.coerce.number().positive().default(10),
  DATASTORY_HEALTH_CACHE_SECONDS: z.coerce.number().min(0).default(15),
  DATASTORY_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // ── Code sandbox (local containers). Defaults sized for 2 cores / 24 GiB; see docs/sandbox.md. ──
  DATASTORY_MAX_CONTAINERS: z.coerce.number().int().min(1).default(10),
  DATASTORY_SANDBOX_MAX_EXECUTIONS: z.coerce.number().int().min(1).default(2),
  DATASTORY_SANDBOX_MEMORY_MB: z.coerce.number().int().min(256).default(2048),
  DATASTORY_SANDBOX_MAX_PROCESSES: z.coerce.number().int().min(8).default(128),
  DATASTORY_SANDBOX_MAX_FILE_MB: z.coerce.number().int().min(1).default(512),
  DATASTORY_SANDBOX_TMP_MB: z.coerce.number().int().min(16).default(512),
  DATASTORY_SANDBOX_OUTPUT_KB: z.coerce.number().int().min(1).default(64),
  DATASTORY_SANDBOX_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  DATASTORY_SANDBOX_KILL_GRACE_MS: z.coerce.number().int().min(100).default(3000),
  DATASTORY_SANDBOX_WARM_KERNELS: z.coerce.number().int().min(0).max(16).default(1),
  DATASTORY_SANDBOX_UID_START: z.coerce.number().int().min(1000).max(4_000_000_000).default(200_000),
  DATASTORY_SANDBOX_CGROUPS: z.enum(['auto', 'off']).default('auto'),
  // ── OpenAI analyst (Responses API + code_interpreter on hosted containers); see docs/openai.md. ──
  OPENAI_API_KEY: z.string().trim().min(1).optional(),
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  OPENAI_MODEL: z.string().trim().min(1).default('gpt-4o'),
  OPENAI_CONTAINER_MEMORY: z.enum(['1g', '4g', '16g', '64g']).default('1g'),
  DATASTORY_BREAKER_FAILURES: z.coerce.number().int().min(1).default(5),
  DATASTORY_BREAKER_COOLDOWN_MS: z.coerce.number().int().min(100).default(120_000),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  analyst: 'builtin' | 'openai';
  maxUploadBytes: number;
  largeUploadBytes: number;
  /** Row-level statistics (correlations, distributions) use a repeatable sample above this many rows. */
  sampleRows: number;
  workspaceTtlMs: number;
  /** Sessions kept loaded in memory at once; the least recently used is closed (and reloaded on demand). */
  maxWorkspaces: number;
  /** DuckDB memory limit of each loaded session (and of an upload being read), in MB. Default 2048. */
  dbMemoryMb: number;
  analysisTimeoutMs: number;
  idempotencyTtlMs: number;
  logLevel: string;
  /** A health check's real analysis is reused for this long (0 = run it on every call). */
  healthCacheMs: number;
  /** The local code sandbox: containers with a persistent Python kernel (docs/sandbox.md). */
  containers: ContainerSettings;
  /** The `openai` analyst (docs/openai.md). */
  openai: OpenAISettings;
  /** The circuit breaker around an LLM upstream (the OpenAI Responses API). */
  breaker: BreakerSettings;
}

export interface OpenAISettings {
  /** `OPENAI_API_KEY`; required when `DATASTORY_ANALYST=openai`. */
  apiKey: string | undefined;
  /** `OPENAI_BASE_URL`; undefined = https://api.openai.com/v1 (point it at `npm run emulate:openai` offline). */
  baseUrl: string | undefined;
  /** `OPENAI_MODEL`. Default `gpt-4o`. */
  model: string;
  /** Memory tier of each hosted container (priced per tier, see docs/openai.md). Default `1g`. */
  containerMemory: '1g' | '4g' | '16g' | '64g';
}

export interface BreakerSettings {
  /** Upstream failures in a row that open the circuit (503 at once). Default 5. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call (half-open). Default 120000. */
  cooldownMs: number;
}

/** Limits and capacity of the local containers; each maps to one `DATASTORY_*` variable. */
export interface ContainerSettings {
  /** Idle minutes after which a container (kernel and files) is destroyed. Default 20. */
  ttlMinutes: number;
  /** Live containers at most; beyond it `create` answers 503 with Retry-After. Default 10. */
  maxContainers: number;
  /** Executions running at once across all containers; beyond it 503. Default 2 (the core count). */
  maxConcurrentExecutions: number;
  /** Memory per container: RLIMIT_AS of each process, and the memory cgroup when one is available. Default 2048. */
  memoryMb: number;
  /** Processes per container (RLIMIT_NPROC on its own host uid, and pids cgroup). Default 128. */
  maxProcesses: number;
  /** Largest file a container may write (RLIMIT_FSIZE). Default 512. */
  maxFileMb: number;
  /** Size of the container's private /tmp (tmpfs, counts as memory). Default 512. */
  tmpMb: number;
  /** Each of stdout, stderr and the last expression's repr is cut at this size per execution. Default 64. */
  outputKb: number;
  /** Per-execution soft timeout (the kernel raises ExecutionTimeout, state is kept). Default 60000. */
  execTimeoutMs: number;
  /** After the soft timeout, how long before the kernel is SIGKILLed (state lost, files kept). Default 3000. */
  killGraceMs: number;
  /** Kernels started ahead of time so a new container's first execution skips the imports. Default 1. */
  warmKernels: number;
  /** First host uid of the per-container range (start … start+9999). Default 200000. */
  uidStart: number;
  /** `auto` puts each container in its own memory + pids cgroup when the host allows it; `off` never. */
  cgroups: 'auto' | 'off';
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid setting — ${problems.join('; ')}`);
  }
  const e = parsed.data;
  if (e.DATASTORY_ANALYST === 'openai' && !e.OPENAI_API_KEY && !overrides.openai?.apiKey) {
    throw new ConfigError(
      'Invalid setting — OPENAI_API_KEY: required when DATASTORY_ANALYST=openai. Set it (for the offline emulator any value works), or use DATASTORY_ANALYST=builtin.',
    );
  }
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
    dbMemoryMb: e.DATASTORY_DB_MEMORY_MB,
    analysisTimeoutMs: e.DATASTORY_ANALYSIS_TIMEOUT_MS,
    idempotencyTtlMs: e.DATASTORY_IDEMPOTENCY_TTL_MINUTES * 60_000,
    logLevel: e.DATASTORY_LOG_LEVEL,
    healthCacheMs: e.DATASTORY_HEALTH_CACHE_SECONDS * 1000,
    containers: {
      ttlMinutes: e.DATASTORY_CONTAINER_TTL_MINUTES,
      maxContainers: e.DATASTORY_MAX_CONTAINERS,
      maxConcurrentExecutions: e.DATASTORY_SANDBOX_MAX_EXECUTIONS,
      memoryMb: e.DATASTORY_SANDBOX_MEMORY_MB,
      maxProcesses: e.DATASTORY_SANDBOX_MAX_PROCESSES,
      maxFileMb: e.DATASTORY_SANDBOX_MAX_FILE_MB,
      tmpMb: e.DATASTORY_SANDBOX_TMP_MB,
      outputKb: e.DATASTORY_SANDBOX_OUTPUT_KB,
      execTimeoutMs: e.DATASTORY_SANDBOX_TIMEOUT_MS,
      killGraceMs: e.DATASTORY_SANDBOX_KILL_GRACE_MS,
      warmKernels: e.DATASTORY_SANDBOX_WARM_KERNELS,
      uidStart: e.DATASTORY_SANDBOX_UID_START,
      cgroups: e.DATASTORY_SANDBOX_CGROUPS,
    },
    openai: {
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL,
      model: e.OPENAI_MODEL,
      containerMemory: e.OPENAI_CONTAINER_MEMORY,
    },
    breaker: { failureThreshold: e.DATASTORY_BREAKER_FAILURES, cooldownMs: e.DATASTORY_BREAKER_COOLDOWN_MS },
    ...overrides,
  };
  return Object.freeze(config);
}
