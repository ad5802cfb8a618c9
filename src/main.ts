import path from 'node:path';
import type { Logger } from 'pino';
import { BuiltinAnalyst } from './analysts/builtin/builtin-analyst.ts';
import type { Analyst } from './analysts/types.ts';
import { buildServer } from './api/server.ts';
import { DiskArtifactStore } from './artifacts/disk-artifact-store.ts';
import type { Config } from './config.ts';
import { checkHealth } from './service/health.ts';
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
  const workspaces = new WorkspacePool({ ttlMs: config.workspaceTtlMs, maxLive: config.maxWorkspaces, logger });
  const analyst = new BuiltinAnalyst({ sampleRows: config.sampleRows });
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

/** Starts the HTTP server and the playground; resolves with a function that stops both. */
export async function startServer(config: Config, logger: Logger) {
  const app = createApp(config, logger);
  const server = await buildServer({
    config,
    service: app.service,
    logger,
    health: () => checkHealth(app.analyst, Math.min(config.analysisTimeoutMs, 30_000)),
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
    async stop() {
      await server.close();
      await app.close();
    },
  };
}
