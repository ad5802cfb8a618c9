import path from 'node:path';
import type OpenAI from 'openai';
import type { Logger } from 'pino';
import type { BreakerSettings } from '../../config.ts';
import { AppError, isAppError } from '../../errors.ts';
import { verifyNarrative } from '../../insights/verify.ts';
import { classifyUpstream } from '../../openai/errors.ts';
import { type CallOptions, HostedContainers } from '../../openai/hosted-containers.ts';
import { CircuitBreaker, type RetryDecision, TimeBudget, withOneRetry } from '../../resilience/index.ts';
import type { StoredStory } from '../../sessions/types.ts';
import type { AnalysisContext, Analyst, AnalystRefinement } from '../types.ts';
import { findDeliverables, rewriteLinks, withoutLinks } from './deliverables.ts';
import { type Grounding, groundingFor } from './grounding.ts';
import { HostedSession, type HostedState } from './hosted-session.ts';
import {
  type DatasetFacts,
  deepDiveInput,
  deepDiveInstructions,
  discoveryInstructions,
  repairInput,
} from './prompts.ts';
import { parseStories, storiesFormat, storyIdOf } from './stories.ts';
import { runTurn, type TurnRequest, type TurnResult } from './turn.ts';
import { analysisTimedOut, isUpstreamOutage, toAppError } from './upstream-errors.ts';

export interface OpenAIAnalystOptions {
  /** An SDK client; its own retries are off (`maxRetries: 0`): we retry at most once per analysis. */
  client: OpenAI;
  model: string;
  containerTtlMinutes: number;
  containerMemory: '1g' | '4g' | '16g' | '64g';
  sampleRows: number;
  /** The analysis budget (`DATASTORY_ANALYSIS_TIMEOUT_MS`): every upstream call gets what is left of it. */
  analysisTimeoutMs: number;
  breaker: BreakerSettings;
  logger: Logger;
  now?: () => number;
}

interface OpenAIStoryDetail {
  analyst: 'openai';
  responseId: string;
  factIds: string[];
}

/** Waiting for a rate limit or a retry only makes sense if this much time is left for the work itself. */
const minimumWorkMs = 5000;

/**
 * The OpenAI analyst: phase 1 (three stories as JSON) and phase 2 (narrative, charts, dataset) as
 * Responses API calls with the code interpreter on one hosted container per session. Grounded by the
 * builtin engine's facts; narratives are verified number by number (one repair round at most).
 */
export class OpenAIAnalyst implements Analyst {
  readonly name = 'openai';
  readonly breaker: CircuitBreaker;
  private readonly containers: HostedContainers;
  private readonly now: () => number;

  constructor(private readonly options: OpenAIAnalystOptions) {
    this.now = options.now ?? Date.now;
    this.containers = new HostedContainers(options.client, {
      ttlMinutes: options.containerTtlMinutes,
      memoryLimit: options.containerMemory,
    });
    this.breaker = new CircuitBreaker({
      name: 'The OpenAI API',
      failureThreshold: options.breaker.failureThreshold,
      cooldownMs: options.breaker.cooldownMs,
      now: this.now,
      onStateChange: (state, previous) =>
        options.logger.warn(
          { event: `breaker.${state}`, sessionId: null, containerId: null, upstream: 'openai', previous },
          `circuit breaker ${state}`,
        ),
    });
  }

  async discover(context: AnalysisContext, steeringPrompt: string | undefined): Promise<StoredStory[]> {
    this.breaker.assertCallable();
    const budget = new TimeBudget(this.options.analysisTimeoutMs, this.now);
    const grounding = await groundingFor(context, this.options.sampleRows);
    return this.withRecovery(context, budget, 'discovery', async (session, hosted) => {
      const turn = await this.turn(context, budget, session, hosted, 'discovery', {
        instructions: discoveryInstructions(this.facts(context, hosted, grounding), steeringPrompt),
        input: 'Find the three best story angles in this data and answer with the JSON.',
        format: storiesFormat,
      });
      const stories = parseStories(turn.finalText);
      const evidence = [...grounding.claims, ...turn.cells.map((cell) => logClaim(cell.logs))];
      return stories.map((story, index): StoredStory => {
        const untraced = verifyNarrative(`${story.title}\n${story.summary}`, evidence, grounding.names).untraced;
        const detail: OpenAIStoryDetail = { analyst: 'openai', responseId: turn.responseId, factIds: story.factIds };
        return {
          id: storyIdOf(story.title),
          title: story.title,
          summary: story.summary,
          chartTypes: story.chartTypes.slice(0, 4),
          kind: story.kind,
          columns: story.columns,
          score: Number((1 - index * 0.1).toFixed(4)),
          strength: story.strength,
          evidence: {
            numbers: Object.fromEntries(story.keyNumbers.map((n) => [n.label, n.value])),
            facts: story.factIds,
            ...(untraced.length > 0 ? { untracedNumbers: untraced } : {}),
          },
          detail,
        };
      });
    });
  }

  async refine(context: AnalysisContext, story: StoredStory): Promise<AnalystRefinement> {
    this.breaker.assertCallable();
    const budget = new TimeBudget(this.options.analysisTimeoutMs, this.now);
    const grounding = await groundingFor(context, this.options.sampleRows);
    const draft = await this.withRecovery(context, budget, 'deep_dive', async (session, hosted) => {
      const facts = this.facts(context, hosted, grounding);
      const turn = await this.turn(context, budget, session, hosted, 'deep_dive', {
        instructions: deepDiveInstructions(facts),
        input: deepDiveInput(story),
      });
      if (!turn.finalText.trim())
        throw new AppError('upstream_error', 'The model returned an empty story. Try again.', { retryable: true });
      context.onProgress('downloading the charts and files the model made');
      const files = await this.containers.listFiles(hosted.containerId, this.call(context, budget));
      const found = findDeliverables([turn], files, turn.finalText);
      const downloads = [];
      for (const item of found.kept)
        downloads.push({
          ...item,
          bytes: await this.containers.download(hosted.containerId, item.file.id, this.call(context, budget)),
        });
      return { turn, hosted, session, facts, downloads, warnings: found.warnings };
    });

    const { text, warnings } = await this.verified(context, budget, grounding, draft);
    const narrativeText = rewriteLinks(text, draft.downloads);
    const heading = /^#\s+(.+)\n+/.exec(narrativeText.trimStart());
    const charts = draft.downloads
      .filter((item) => item.kind === 'chart')
      .map((item) => ({
        title: item.title,
        caption: item.title,
        alt: item.title,
        type: 'image',
        png: new Uint8Array(item.bytes),
      }));
    const datasetItem = draft.downloads.find((item) => item.kind === 'dataset');
    const csv = datasetItem ? datasetItem.bytes.toString('utf8') : '';
    return {
      title: heading?.[1]?.trim() || story.title,
      narrative: heading ? narrativeText.trimStart().slice(heading[0].length) : narrativeText,
      charts,
      dataset: datasetItem
        ? {
            fileName: path.basename(datasetItem.file.path).replace(/^[0-9a-f]{32}-/, ''),
            csv,
            rows: Math.max(0, csv.split('\n').filter((line) => line.trim()).length - 1),
          }
        : null,
      warnings: [...draft.warnings, ...warnings],
    };
  }

  /** Checks every number of the narrative; one repair round when some trace to nothing. */
  private async verified(
    context: AnalysisContext,
    budget: TimeBudget,
    grounding: Grounding,
    draft: { turn: TurnResult; hosted: HostedState; session: HostedSession; facts: DatasetFacts },
  ): Promise<{ text: string; warnings: string[] }> {
    const evidence = [...grounding.claims, ...draft.turn.cells.map((cell) => logClaim(cell.logs))];
    const check = (text: string) => verifyNarrative(withoutLinks(text), evidence, grounding.names).untraced;
    let text = draft.turn.finalText;
    let untraced = check(text);
    if (untraced.length > 0 && budget.fits(0, minimumWorkMs * 2) && this.breaker.state === 'closed') {
      draft.session
        .logFor(draft.hosted)
        .info({ event: 'narrative.repair', untraced }, 'asking the model to fix untraced numbers');
      try {
        const repair = await this.turn(context, budget, draft.session, draft.hosted, 'repair', {
          instructions: deepDiveInstructions(draft.facts),
          input: repairInput([...new Set(untraced)]),
          previousResponseId: draft.turn.responseId,
        });
        evidence.push(...repair.cells.map((cell) => logClaim(cell.logs)));
        if (repair.finalText.trim()) {
          text = repair.finalText;
          // A flagged number stays flagged even if the repair cell merely printed it back.
          const flagged = new Set(untraced);
          const stillThere = verifyNarrative(withoutLinks(text), []).untraced.filter((number) => flagged.has(number));
          untraced = [...check(text), ...stillThere];
        }
      } catch (error) {
        if (context.signal.aborted) throw context.signal.reason;
        draft.session
          .logFor(draft.hosted)
          .warn({ event: 'narrative.repair_failed', err: error }, 'repair round failed; keeping the draft');
      }
    }
    const unique = [...new Set(untraced)];
    return {
      text,
      warnings:
        unique.length > 0
          ? [
              `These numbers in the narrative could not be traced to the data or to the model's code output: ${unique.join(', ')}.`,
            ]
          : [],
    };
  }

  /** Runs `work` on the session's hosted container; recovers once (expiry, a transient failure, a bad answer). */
  private async withRecovery<T>(
    context: AnalysisContext,
    budget: TimeBudget,
    phase: string,
    work: (session: HostedSession, hosted: HostedState) => Promise<T>,
  ): Promise<T> {
    const session = new HostedSession(
      this.containers,
      context,
      () => this.call(context, budget),
      this.now,
      (call) => this.upstream(context, call),
    );
    try {
      let hosted = await session.current();
      return await withOneRetry(
        () => work(session, hosted),
        (error) =>
          this.decide(error, budget, session, hosted, (next) => {
            hosted = next;
          }),
        {
          signal: context.signal,
          onRetry: (reason, error, delayMs) =>
            context.log.warn(
              { event: 'analysis.retry', phase, reason, delayMs, openaiContainerId: hosted.containerId, err: error },
              `retrying ${phase} once: ${reason}`,
            ),
        },
      );
    } catch (error) {
      throw toAppError(error, context.signal, this.options.analysisTimeoutMs);
    }
  }

  private decide(
    error: unknown,
    budget: TimeBudget,
    session: HostedSession,
    hosted: HostedState,
    replace: (next: HostedState) => void,
  ): RetryDecision {
    const failure = classifyUpstream(error, false);
    if (failure?.kind === 'container_expired')
      return {
        retry: true,
        reason: 'the hosted container expired',
        prepare: async () => replace(await session.replace(hosted)),
      };
    if (failure?.kind === 'rate_limited') {
      const delayMs = Math.ceil((failure.retryAfterSeconds ?? 1) * 1000);
      return budget.fits(delayMs, minimumWorkMs) && this.breaker.state === 'closed'
        ? { retry: true, reason: `rate limited; waiting ${delayMs} ms as retry-after asks`, delayMs }
        : { retry: false };
    }
    const transient = failure?.kind === 'server_error' || failure?.kind === 'connection';
    const badAnswer = isAppError(error) && error.code === 'upstream_error' && error.retryable;
    if ((transient || badAnswer) && budget.fits(500, minimumWorkMs) && this.breaker.state === 'closed')
      return { retry: true, reason: transient ? 'upstream failure' : 'unusable model answer', delayMs: 500 };
    return { retry: false };
  }

  /** One Responses call through the breaker, logged with both container ids, the response id, usage and time. */
  private async turn(
    context: AnalysisContext,
    budget: TimeBudget,
    session: HostedSession,
    hosted: HostedState,
    phase: string,
    request: Omit<TurnRequest, 'model' | 'containerId'>,
  ): Promise<TurnResult> {
    const log = session.logFor(hosted);
    const started = this.now();
    try {
      const result = await this.upstream(context, () =>
        runTurn(
          this.options.client,
          { ...request, model: this.options.model, containerId: hosted.containerId },
          this.call(context, budget),
          context.onProgress,
        ),
      );
      log.info(
        {
          event: 'openai.response.completed',
          phase,
          responseId: result.responseId,
          status: result.status,
          usage: result.usage,
          codeCells: result.cells.length,
          filesCited: result.citations.length,
          elapsedMs: this.now() - started,
        },
        `${phase} response completed`,
      );
      return result;
    } catch (error) {
      log.warn(
        {
          event: 'openai.response.failed',
          phase,
          responseId: null,
          failure: classifyUpstream(error)?.kind ?? 'other',
          elapsedMs: this.now() - started,
          err: error,
        },
        `${phase} response failed`,
      );
      throw error;
    }
  }

  private upstream<T>(context: AnalysisContext, call: () => Promise<T>): Promise<T> {
    return this.breaker.run(call, (error) => isUpstreamOutage(error, context.signal));
  }

  private call(context: AnalysisContext, budget: TimeBudget): CallOptions {
    const timeoutMs = budget.remainingMs();
    if (timeoutMs <= 0)
      throw context.signal.aborted ? context.signal.reason : analysisTimedOut(this.options.analysisTimeoutMs);
    return { signal: context.signal, timeoutMs };
  }

  private facts(context: AnalysisContext, hosted: HostedState, grounding: Grounding): DatasetFacts {
    return {
      filePath: hosted.filePath,
      fileName: context.session.fileName,
      rowCount: grounding.profile.rowCount,
      sampleRows: this.options.sampleRows,
      grounding: grounding.text,
      format: context.workspace.reading.format,
      columns: context.workspace.reading.columns,
      time: grounding.profile.time,
    };
  }
}

/** Code output counts as evidence: a number the model computed and printed traces to a computation. */
const logClaim = (logs: string) => ({ value: 0, text: logs, kind: 'number' as const, source: 'code_interpreter' });
