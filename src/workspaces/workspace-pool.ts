import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { type Database, databaseLimits, openDatabase } from '../db/duckdb.ts';
import { reloadCsv } from '../ingest/index.ts';
import type { CsvReading } from '../ingest/types.ts';

/** A session's data loaded and ready to query: the in-process "container" of the builtin analyst. */
export interface Workspace {
  /** Backend id; a new one each time the workspace is re-created for the same session. */
  id: string;
  sessionId: string;
  db: Database;
  table: string;
  reading: CsvReading;
  lastUsedAt: number;
  /** Anything an analyst caches between calls (the builtin keeps its profile here). */
  memo: Map<string, unknown>;
}

export interface WorkspacePoolOptions {
  /** Idle time after which a workspace is closed; the session reloads it from the original upload. */
  ttlMs: number;
  /** Live workspaces at most; the least recently used one is closed first. */
  maxLive: number;
  /** DuckDB memory limit of each workspace, in MB (unlimited when absent). */
  memoryMb?: number;
  now?: () => number;
  logger: Logger;
}

export const newWorkspaceId = () => `ws_${randomBytes(12).toString('base64url')}`;

/** A fresh workspace around a database whose table `data` holds the session's file. */
export function newWorkspace(
  sessionId: string,
  db: Database,
  reading: CsvReading,
  now: number,
  memo = new Map<string, unknown>(),
): Workspace {
  return { id: newWorkspaceId(), sessionId, db, table: 'data', reading, lastUsedAt: now, memo };
}

/**
 * Loaded sessions by id. A workspace that idled past its TTL (or was evicted for room) is gone; the next
 * call loads the kept original again, transparently, and logs `container.recovered` with both ids.
 */
export class WorkspacePool {
  private readonly live = new Map<string, Workspace>();
  private readonly now: () => number;

  constructor(private readonly options: WorkspacePoolOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Adds a workspace that was just loaded (by an upload). */
  adopt(workspace: Workspace): void {
    this.evictIfFull();
    this.live.set(workspace.sessionId, workspace);
    this.options.logger.info(
      { event: 'container.created', sessionId: workspace.sessionId, containerId: workspace.id },
      'workspace created',
    );
  }

  /** The session's workspace, re-created from the original upload when it expired or was never loaded here. */
  async acquire(
    sessionId: string,
    originalPath: string,
    reading: CsvReading,
    previousId: string | null,
  ): Promise<Workspace> {
    this.sweep();
    const existing = this.live.get(sessionId);
    if (existing) {
      existing.lastUsedAt = this.now();
      return existing;
    }
    if (previousId) {
      this.options.logger.info({ event: 'container.expired', sessionId, containerId: previousId }, 'workspace expired');
    }
    const db = await openDatabase(databaseLimits(this.options.memoryMb));
    try {
      await reloadCsv(db.connection, originalPath, reading, 'data');
    } catch (error) {
      db.close();
      throw error;
    }
    const workspace = newWorkspace(sessionId, db, reading, this.now());
    this.evictIfFull();
    this.live.set(sessionId, workspace);
    this.options.logger.info(
      { event: 'container.recovered', sessionId, containerId: workspace.id, previousContainerId: previousId },
      'workspace re-created from the original upload',
    );
    return workspace;
  }

  idOf(sessionId: string): string | null {
    return this.live.get(sessionId)?.id ?? null;
  }

  /** Closes workspaces idle longer than the TTL. */
  sweep(): void {
    const cutoff = this.now() - this.options.ttlMs;
    for (const [sessionId, workspace] of this.live) {
      if (workspace.lastUsedAt <= cutoff) this.close(sessionId, 'expired');
    }
  }

  private evictIfFull(): void {
    while (this.live.size >= this.options.maxLive) {
      let oldest: Workspace | null = null;
      for (const workspace of this.live.values())
        if (!oldest || workspace.lastUsedAt < oldest.lastUsedAt) oldest = workspace;
      if (!oldest) return;
      this.close(oldest.sessionId, 'evicted');
    }
  }

  private close(sessionId: string, reason: 'expired' | 'evicted' | 'shutdown'): void {
    const workspace = this.live.get(sessionId);
    if (!workspace) return;
    this.live.delete(sessionId);
    workspace.db.close();
    this.options.logger.info(
      { event: 'container.closed', sessionId, containerId: workspace.id, reason },
      'workspace closed',
    );
  }

  closeAll(): void {
    for (const sessionId of [...this.live.keys()]) this.close(sessionId, 'shutdown');
  }
}
