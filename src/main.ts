import path from 'node:path';
import OpenAI from 'openai';
import type { Logger } from 'pino';
import { BuiltinAnalyst } from './analysts/builtin/builtin-analyst.ts';
import { OpenAIAnalyst } from './analysts/openai/openai-analyst.ts';
import type { Analyst } from './analysts/types.ts';
import { buildServer } from './api/server.ts';
import { DiskArtifactStore } from './artifacts/disk-artifact-store.ts';
import { type Config, ConfigError } from './config.ts';
import { checkHealth, type Health } from './service/health.ts';
import { StoryService } from './service/story-service.ts';
import { SqliteSessionStore } from './sessions/sqlite/sqlite-session-store.ts';
import { WorkspacePool } from './workspaces/workspace-pool.ts';

export interface App {
  service: StoryService;
  analyst: Analyst;
  workspaces: WorkspacePool;
  close(): Promise<void>;
}

/** Composition root: the one place that chooses implementations from the config. */
export function createApp(config: Config, logger: Logger): App {
  const store = new SqliteSessionStore(path.join(config.dataDir, 'sessions.sqlite'));
  const artifacts = new DiskArtifactStore(path.join(config.dataDir, 'artifacts'));
  const workspaces = new WorkspacePool({
    ttlMs: config.workspaceTtlMs,
    maxLive: config.maxWorkspaces,
    memoryMb: config.dbMemoryMb,
    logger,
  });
  const analyst = chooseAnalyst(config, logger);
  const service = new StoryService({ config, store, artifacts, workspaces, analyst, logger });
  const sweeper = setInterval(() => workspaces.sweep(), 60_000);
  sweeper.unref();
  return {
    service,
    analyst,
    workspaces,
    async close() {
      clearInterval(sweeper);
      workspaces.closeAll();
      await store.close();
    },
  };
}

/** The analyst `DATASTORY_ANALYST` names; builtin is the default and needs nothing. */
function chooseAnalyst(config: Config, logger: Logger): Analyst {
  if (config.analyst === 'builtin') return new BuiltinAnalyst({ sampleRows: config.sampleRows });
  const { apiKey, baseUrl, model, containerMemory } = config.openai;
  if (!apiKey)
    throw new ConfigError('Invalid setting — OPENAI_API_KEY: required when DATASTORY_ANALYST=openai (or use builtin).');
  const client = new OpenAI({
    apiKey,
    ...(baseUrl ? { baseURL: baseUrl } : {}),
    // One budget for the whole analysis; each call passes what is left of it. We retry at most once ourselves.
    timeout: config.analysisTimeoutMs,
    maxRetries: 0,
  });
  return new OpenAIAnalyst({
    client,
    model,
    containerTtlMinutes: config.containers.ttlMinutes,
    containerMemory,
    sampleRows: config.sampleRows,
    analysisTimeoutMs: config.analysisTimeoutMs,
    breaker: config.breaker,
    logger,
  });
}

/**
 * One real analysis per health check, at most every `ttlMs`: a probe hitting /health every few seconds
 * must not start a paid OpenAI container each time. Concurrent checks share one run.
 */
function cachedHealth(check: () => Promise<Health>, ttlMs: number): () => Promise<Health> {
  let last: { at: number; result: Promise<Health> } | null = null;
  return () => {
    const now = Date.now();
    if (!last || now - last.at >= ttlMs) last = { at: now, result: check() };
    return last.result;
  };
}

/** Starts the HTTP server and the playground; resolves with a function that stops both. */
export async function startServer(config: Config, logger: Logger) {
  const app = createApp(config, logger);
  const server = await buildServer({
    config,
    service: app.service,
    logger,
    health: cachedHealth(
      () => checkHealth(app.analyst, Math.min(config.analysisTimeoutMs, 30_000)),
      config.healthCacheMs,
    ),
    backendIdOf: (sessionId) => app.workspaces.idOf(sessionId),
  });
  const address = await server.listen({ port: config.port, host: config.host });
  logger.info(
    { event: 'server.started', sessionId: null, containerId: null, address, analyst: app.analyst.name },
    `datastory listening on ${address}`,
  );
  return {
    server,
    address,
    async stop(graceMs = 3000) {
      // Let requests in flight finish for a moment, then close every socket: a keep-alive connection
      // that Node does not count as idle would otherwise hold shutdown for the 72 s keep-alive timeout.
      const closing = server.close();
      const force = setTimeout(() => server.server.closeAllConnections(), graceMs);
      await closing;
      clearTimeout(force);
      await app.close();
    },
  };
}
