import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

/**
 * The hosted container is gone: OpenAI answers 400 "Container is expired." on `POST /responses`, and a
 * container-scoped call (files, content) on a dead container answers 404. Recover by creating a new
 * container and uploading the original again; the old one cannot be revived.
 */
export class HostedContainerExpired extends Error {
  override readonly name = 'HostedContainerExpired';
  constructor(
    readonly containerId: string,
    options: { cause?: unknown } = {},
  ) {
    super(`Hosted container ${containerId} expired or no longer exists.`, options);
  }
}

/** How an upstream error should be treated: recover, retry, give up with a status of our own. */
export type UpstreamFailure =
  | { kind: 'container_expired' }
  | { kind: 'rate_limited'; retryAfterSeconds: number | undefined }
  | { kind: 'server_error'; status: number }
  | { kind: 'timeout' }
  | { kind: 'connection' }
  | { kind: 'aborted' }
  | { kind: 'rejected'; status: number };

const expiredMessage = /container is expired/i;
/** A 404 about a missing *file* on a live container is not an expiry. */
const missingFileMessage = /^(\d+ )?file .* not found/i;

/** Reads `retry-after-ms` or `retry-after` (seconds or an HTTP date) from an SDK error's headers. */
export function retryAfterSeconds(error: APIError): number | undefined {
  const headers = error.headers;
  const ms = headers?.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms) / 1000);
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  if (Number.isFinite(Number(value))) return Math.max(0, Number(value));
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, (date - Date.now()) / 1000) : undefined;
}

/**
 * Classifies an error from the SDK. `containerScoped` marks calls addressed to one container
 * (`/containers/{id}/…`), where a 404 means the container is gone.
 */
export function classifyUpstream(error: unknown, containerScoped = false): UpstreamFailure | null {
  if (error instanceof HostedContainerExpired) return { kind: 'container_expired' };
  if (error instanceof APIUserAbortError) return { kind: 'aborted' };
  if (error instanceof APIConnectionTimeoutError) return { kind: 'timeout' };
  if (error instanceof APIConnectionError) return { kind: 'connection' };
  if (!(error instanceof APIError)) return null;
  const status = error.status ?? 0;
  const message = String(
    error.error && typeof error.error === 'object'
      ? ((error.error as { message?: unknown }).message ?? '')
      : error.message,
  );
  if (status === 400 && expiredMessage.test(message)) return { kind: 'container_expired' };
  if (status === 404 && (containerScoped || /container/i.test(message)) && !missingFileMessage.test(message))
    return { kind: 'container_expired' };
  if (status === 429) return { kind: 'rate_limited', retryAfterSeconds: retryAfterSeconds(error) };
  if (status >= 500 || status === 408 || status === 409) return { kind: 'server_error', status };
  if (status === 0 && error.message) return { kind: 'connection' };
  return { kind: 'rejected', status };
}

/** The request id OpenAI gave a failed call (`x-request-id`), for logs and support tickets. */
export const upstreamRequestId = (error: unknown): string | undefined =>
  error instanceof APIError ? (error.requestID ?? undefined) : undefined;
