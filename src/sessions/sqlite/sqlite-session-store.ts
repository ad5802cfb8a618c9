import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ArtifactMeta, Refinement, Session, SessionStore, StoredStory } from '../types.ts';

const schema = `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  file_name TEXT NOT NULL,
  original_path TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  reading_json TEXT NOT NULL,
  roles_json TEXT NOT NULL DEFAULT '{}',
  backend_container_id TEXT,
  created_at INTEGER NOT NULL,
  last_activity_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS analyses (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  steering_prompt TEXT,
  stories_json TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS analyses_by_session ON analyses(session_id, seq);
CREATE TABLE IF NOT EXISTS refinements (
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  story_id TEXT NOT NULL,
  refinement_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, story_id)
);
CREATE TABLE IF NOT EXISTS analyst_state (
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value_json TEXT NOT NULL,
  PRIMARY KEY (session_id, key)
);
CREATE TABLE IF NOT EXISTS artifacts (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  file_name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
`;

interface SessionRow {
  id: string;
  file_name: string;
  original_path: string;
  size_bytes: number;
  reading_json: string;
  roles_json: string;
  backend_container_id: string | null;
  created_at: number;
  last_activity_at: number;
}

interface ArtifactRow {
  id: string;
  session_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  created_at: number;
}

/** Sessions in one SQLite file (WAL mode, so a reader never waits for a writer). */
export class SqliteSessionStore implements SessionStore {
  private readonly db: Database.Database;

  constructor(filePath: string) {
    if (filePath !== ':memory:') fs.mkdirSync(path.dirname(filePath), { recursive: true });
    this.db = new Database(filePath);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(schema);
  }

  async createSession(session: Session): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO sessions (id, file_name, original_path, size_bytes, reading_json, roles_json, backend_container_id, created_at, last_activity_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        session.id,
        session.fileName,
        session.originalPath,
        session.sizeBytes,
        JSON.stringify(session.reading),
        JSON.stringify(session.roles),
        session.backendContainerId,
        session.createdAt,
        session.lastActivityAt,
      );
  }

  async getSession(id: string): Promise<Session | null> {
    const row = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
    if (!row) return null;
    return {
      id: row.id,
      fileName: row.file_name,
      originalPath: row.original_path,
      sizeBytes: row.size_bytes,
      reading: JSON.parse(row.reading_json),
      roles: JSON.parse(row.roles_json),
      backendContainerId: row.backend_container_id,
      createdAt: row.created_at,
      lastActivityAt: row.last_activity_at,
    };
  }

  async touchSession(id: string, at: number, backendContainerId?: string | null): Promise<void> {
    if (backendContainerId === undefined) {
      this.db.prepare('UPDATE sessions SET last_activity_at = ? WHERE id = ?').run(at, id);
    } else {
      this.db
        .prepare('UPDATE sessions SET last_activity_at = ?, backend_container_id = ? WHERE id = ?')
        .run(at, backendContainerId, id);
    }
  }

  async saveStories(
    sessionId: string,
    steeringPrompt: string | null,
    stories: StoredStory[],
    at: number,
  ): Promise<void> {
    this.db
      .prepare('INSERT INTO analyses (session_id, steering_prompt, stories_json, created_at) VALUES (?, ?, ?, ?)')
      .run(sessionId, steeringPrompt, JSON.stringify(stories), at);
  }

  async listRefinements(sessionId: string): Promise<Refinement[]> {
    const rows = this.db
      .prepare('SELECT refinement_json FROM refinements WHERE session_id = ? ORDER BY created_at, story_id')
      .all(sessionId) as { refinement_json: string }[];
    return rows.map((row) => JSON.parse(row.refinement_json) as Refinement);
  }

  async listStories(sessionId: string): Promise<StoredStory[]> {
    const rows = this.db
      .prepare('SELECT stories_json FROM analyses WHERE session_id = ? ORDER BY seq DESC')
      .all(sessionId) as { stories_json: string }[];
    return rows.flatMap((row) => JSON.parse(row.stories_json) as StoredStory[]);
  }

  async saveRefinement(sessionId: string, refinement: Refinement, at: number): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO refinements (session_id, story_id, refinement_json, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (session_id, story_id) DO UPDATE SET refinement_json = excluded.refinement_json, created_at = excluded.created_at`,
      )
      .run(sessionId, refinement.storyId, JSON.stringify(refinement), at);
  }

  async getRefinement(sessionId: string, storyId: string): Promise<Refinement | null> {
    const row = this.db
      .prepare('SELECT refinement_json FROM refinements WHERE session_id = ? AND story_id = ?')
      .get(sessionId, storyId) as { refinement_json: string } | undefined;
    return row ? (JSON.parse(row.refinement_json) as Refinement) : null;
  }

  async getAnalystState(sessionId: string): Promise<Record<string, unknown>> {
    const rows = this.db.prepare('SELECT key, value_json FROM analyst_state WHERE session_id = ?').all(sessionId) as {
      key: string;
      value_json: string;
    }[];
    return Object.fromEntries(rows.map((row) => [row.key, JSON.parse(row.value_json)]));
  }

  async setAnalystState(sessionId: string, key: string, value: unknown): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO analyst_state (session_id, key, value_json) VALUES (?, ?, ?)
         ON CONFLICT (session_id, key) DO UPDATE SET value_json = excluded.value_json`,
      )
      .run(sessionId, key, JSON.stringify(value ?? null));
  }

  async saveArtifact(meta: ArtifactMeta): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO artifacts (id, session_id, file_name, content_type, size_bytes, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(meta.id, meta.sessionId, meta.fileName, meta.contentType, meta.sizeBytes, meta.createdAt);
  }

  async getArtifact(sessionId: string, fileId: string): Promise<ArtifactMeta | null> {
    const row = this.db.prepare('SELECT * FROM artifacts WHERE id = ? AND session_id = ?').get(fileId, sessionId) as
      | ArtifactRow
      | undefined;
    if (!row) return null;
    return {
      id: row.id,
      sessionId: row.session_id,
      fileName: row.file_name,
      contentType: row.content_type,
      sizeBytes: row.size_bytes,
      createdAt: row.created_at,
    };
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
