/**
 * One closed catalogue of error codes, one HTTP status each, one response shape:
 * `{"error": {"code", "message", "requestId"}}`. Messages say what to do next.
 */
export const errorStatus = {
  invalid_request: 400,
  session_not_found: 404,
  file_not_found: 404,
  story_not_found: 404,
  file_too_large: 413,
  unsupported_file: 415,
  unreadable_file: 422,
  rate_limited: 429,
  internal_error: 500,
  upstream_error: 502,
  unavailable: 503,
  analysis_timeout: 504,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  /** Seconds a client should wait before retrying (sent as `Retry-After`), when known. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; retryable?: boolean; retryAfterSeconds?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
