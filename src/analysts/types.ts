import type { StoredStory } from '../sessions/types.ts';
import type { Workspace } from '../workspaces/workspace-pool.ts';

export interface AnalysisContext {
  workspace: Workspace;
  signal: AbortSignal;
  /** Progress steps for streams ("profiling columns", "ranking angles"). */
  onProgress: (step: string) => void;
}

export interface RenderedStoryChart {
  title: string;
  caption: string;
  alt: string;
  type: string;
  spec: Record<string, unknown>;
  png: Uint8Array;
  svg: string;
}

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
