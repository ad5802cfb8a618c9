import { AppError, isAppError } from '../../errors.ts';
import { classifyUpstream, type UpstreamFailure } from '../../openai/errors.ts';

/** Whether an error counts against the upstream's health (opens the breaker): outages, not our mistakes. */
export function isUpstreamOutage(error: unknown, signal: AbortSignal): boolean {
  const failure = classifyUpstream(error);
  if (!failure) return false;
  if (failure.kind === 'aborted') return signal.aborted; // our deadline passed while waiting for it
  return (
    failure.kind === 'server_error' ||
    failure.kind === 'timeout' ||
    failure.kind === 'connection' ||
    failure.kind === 'rate_limited'
  );
}

export const analysisTimedOut = (timeoutMs: number, cause?: unknown) =>
  new AppError(
    'analysis_timeout',
    `The model did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped. Try again; if it keeps happening, ask the operator to raise DATASTORY_ANALYSIS_TIMEOUT_MS or use DATASTORY_ANALYST=builtin.`,
    { cause, retryable: true },
  );

const statusText = (failure: UpstreamFailure) => ('status' in failure ? ` (HTTP ${failure.status})` : '');

/** Our error for an upstream failure: the status a client should see, and a message that says what to do. */
export function toAppError(error: unknown, signal: AbortSignal, timeoutMs: number): unknown {
  if (signal.aborted && isAppError(signal.reason)) return signal.reason;
  if (isAppError(error)) return error;
  const failure = classifyUpstream(error);
  if (!failure) return error;
  switch (failure.kind) {
    case 'aborted':
    case 'timeout':
      return analysisTimedOut(timeoutMs, error);
    case 'rate_limited': {
      const seconds = Math.max(1, Math.ceil(failure.retryAfterSeconds ?? 30));
      return new AppError('rate_limited', `OpenAI is rate-limiting our requests. Try again in ${seconds} s.`, {
        cause: error,
        retryable: true,
        retryAfterSeconds: seconds,
      });
    }
    case 'container_expired':
      return new AppError(
        'upstream_error',
        'The hosted code container expired again while we were recovering it. Try again in a minute.',
        { cause: error, retryable: true },
      );
    case 'server_error':
    case 'connection':
      return new AppError(
        'upstream_error',
        `OpenAI's API failed${statusText(failure)}. Try again in a minute; if it keeps failing, use DATASTORY_ANALYST=builtin.`,
        { cause: error, retryable: true },
      );
    case 'rejected':
      return new AppError(
        'upstream_error',
        failure.status === 401 || failure.status === 403
          ? 'OpenAI rejected our credentials: check OPENAI_API_KEY (and OPENAI_BASE_URL), or use DATASTORY_ANALYST=builtin.'
          : `OpenAI rejected the request (HTTP ${failure.status}): ${(error as Error).message}`,
        { cause: error },
      );
  }
}
