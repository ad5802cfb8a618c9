import { sleep } from './time-budget.ts';

/** What to do after a failed attempt: give up, or try once more after `delayMs` (and after `prepare`). */
export type RetryDecision =
  | { retry: false }
  | {
      retry: true;
      /** Why, for the log line. */
      reason: string;
      delayMs?: number;
      /** Work before the second attempt, e.g. replacing an expired container. */
      prepare?: () => Promise<void>;
    };

/**
 * Runs `attempt` and, when `decide` says so, exactly one more time: never more, so a failing upstream
 * costs at most two calls per user request (the breaker stops the rest).
 */
export async function withOneRetry<T>(
  attempt: (attemptNumber: 1 | 2) => Promise<T>,
  decide: (error: unknown) => RetryDecision | Promise<RetryDecision>,
  options: { signal?: AbortSignal; onRetry?: (reason: string, error: unknown, delayMs: number) => void } = {},
): Promise<T> {
  try {
    return await attempt(1);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const decision = await decide(error);
    if (!decision.retry) throw error;
    const delayMs = decision.delayMs ?? 0;
    options.onRetry?.(decision.reason, error, delayMs);
    if (delayMs > 0) await sleep(delayMs, options.signal);
    await decision.prepare?.();
    return attempt(2);
  }
}
