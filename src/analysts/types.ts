import type { Logger } from 'pino';
import type { StoredStory } from '../sessions/types.ts';
import type { Workspace } from '../workspaces/workspace-pool.ts';

/** What an analyst keeps about a session between calls (an LLM analyst's hosted container id and file path). */
export interface AnalystState {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
}

export interface AnalysisContext {
  /** The session's data loaded in DuckDB (the builtin engine's working copy; also the LLM analysts' grounding). */
  workspace: Workspace;
  session: {
    id: string;
    fileName: string;
    /** Absolute path of the kept original upload: how a lost container is rebuilt. */
    originalPath: string;
  };
  state: AnalystState;
  signal: AbortSignal;
  /** Progress steps for streams ("profiling columns", "ranking angles"). */
  onProgress: (step: string) => void;
  /** A logger already carrying sessionId and containerId; add your own ids (responseId, upstream container). */
  log: Logger;
}

export interface RenderedStoryChart {
  title: string;
  caption: string;
  alt: string;
  type: string;
  /** The Vega-Lite spec; absent for charts a model drew as an image (PNG only). */
  spec?: Record<string, unknown>;
  png: Uint8Array;
  /** Absent for charts a model drew as an image. */
  svg?: string;
}

/**
 * Links a narrative may hold to files of the same refinement: the service stores the files, then
 * replaces these with their `/api/files/…` URLs (an LLM analyst cannot know the ids in advance).
 */
export const fileLink = {
  chart: (index: number) => `datastory-file:chart-${index + 1}`,
  dataset: 'datastory-file:dataset',
} as const;

export interface AnalystRefinement {
  title: string;
  narrative: string;
  charts: RenderedStoryChart[];
  dataset: { fileName: string; csv: string; rows: number } | null;
  warnings: string[];
}

/** Who thinks: the builtin engine today; LLM analysts (openai, chat) implement the same two calls. */
export interface Analyst {
  readonly name: string;
  /** Three story candidates, best first. */
  discover(context: AnalysisContext, steeringPrompt: string | undefined): Promise<StoredStory[]>;
  /** The narrative, charts and dataset of one story. */
  refine(context: AnalysisContext, story: StoredStory): Promise<AnalystRefinement>;
}
