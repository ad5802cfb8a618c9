import type { CsvReading } from '../ingest/types.ts';

/** A story angle as the API returns it (DataStoryBot-compatible fields first). */
export interface Story {
  id: string;
  title: string;
  summary: string;
  chartTypes: string[];
  kind: string;
  columns: string[];
  score: number;
  strength: 'strong' | 'moderate' | 'weak';
  /** The lead chart's Vega-Lite spec, for a small preview on a story card. */
  preview?: { vegaLite: Record<string, unknown>; alt: string };
  evidence: Record<string, unknown>;
}

/** A story plus what the analyst needs to refine it later (kept server-side, never sent to clients). */
export interface StoredStory extends Story {
  /** Analyst-private state (the builtin engine keeps its angle here: facts, claims, evidence tables). */
  detail: unknown;
}

export interface ChartRef {
  fileId: string;
  title: string;
  caption: string;
  url: string;
  specFileId?: string;
  svgFileId?: string;
  type: string;
  alt: string;
}

export interface Refinement {
  containerId: string;
  storyId: string;
  title: string;
  narrative: string;
  charts: ChartRef[];
  resultDataset?: { fileId: string; fileName: string; rows: number; url: string };
  report?: { markdownFileId: string; htmlFileId: string };
  warnings: string[];
}

export interface Session {
  /** The public, stable handle (`containerId` in the API). */
  id: string;
  fileName: string;
  /** Where the original upload is kept, relative to the data dir. */
  originalPath: string;
  sizeBytes: number;
  reading: CsvReading;
  /** How the analysis treats each column (time, category, measure, …), by column name. */
  roles: Record<string, string>;
  /** The backend workspace/container currently serving this session; replaced when it expires. */
  backendContainerId: string | null;
  createdAt: number;
  lastActivityAt: number;
}

export interface ArtifactMeta {
  id: string;
  sessionId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  createdAt: number;
}

/**
 * Where sessions, their stories, refinements and artifact metadata live. Async so that SQLite
 * and PostgreSQL implementations share one contract test suite.
 */
export interface SessionStore {
  createSession(session: Session): Promise<void>;
  getSession(id: string): Promise<Session | null>;
  touchSession(id: string, at: number, backendContainerId?: string | null): Promise<void>;
  /** Records one analysis run; its stories become the session's current stories. */
  saveStories(sessionId: string, steeringPrompt: string | null, stories: StoredStory[], at: number): Promise<void>;
  /** Every story the session has had, newest analysis first. */
  listStories(sessionId: string): Promise<StoredStory[]>;
  saveRefinement(sessionId: string, refinement: Refinement, at: number): Promise<void>;
  getRefinement(sessionId: string, storyId: string): Promise<Refinement | null>;
  /** Every refinement of the session, oldest first. */
  listRefinements(sessionId: string): Promise<Refinement[]>;
  /** Analyst-private state of a session (key → JSON value). */
  getAnalystState(sessionId: string): Promise<Record<string, unknown>>;
  setAnalystState(sessionId: string, key: string, value: unknown): Promise<void>;
  saveArtifact(meta: ArtifactMeta): Promise<void>;
  getArtifact(sessionId: string, fileId: string): Promise<ArtifactMeta | null>;
  close(): Promise<void>;
}
