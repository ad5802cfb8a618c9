// The HTTP API as the page uses it. The shapes are the server's own types (type-only imports: nothing
// of the server is bundled), so the page and the API cannot drift apart.
import type { Progress, UploadColumn, UploadResult } from '../../src/service/story-service.ts';
import type { ChartRef, Refinement, Story } from '../../src/sessions/types.ts';

export type { ChartRef, Refinement, Story };
export type Column = UploadColumn;
export type Upload = UploadResult;
export type CsvFormat = UploadResult['format'];
export type ProgressEvent = Parameters<Progress>[0];

export interface SessionState extends Upload {
  stories: Story[];
  refinements: Refinement[];
}

/** A failed call: `status` 0 means the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

export const fileUrl = (containerId: string, fileId: string) =>
  `/api/files/${encodeURIComponent(containerId)}/${encodeURIComponent(fileId)}`;

function errorFromBody(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string; requestId?: string } };
    if (body.error?.message)
      return new ApiError(status, body.error.code ?? 'error', body.error.message, body.error.requestId);
  } catch {
    // Not our JSON (a proxy's error page, say): fall through to a generic message.
  }
  return new ApiError(status, 'error', `The server answered with status ${status}.`);
}

const unreachable = () =>
  new ApiError(0, 'network', 'We could not reach the server. Check your connection and that the server is running.');

/** Uploads with XMLHttpRequest, because fetch cannot report upload progress. */
export function uploadCsv(file: File, onProgress: (fraction: number) => void): Promise<Upload> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', '/api/upload');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.upload.onload = () => onProgress(1);
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) resolve(JSON.parse(request.responseText) as Upload);
      else reject(errorFromBody(request.status, request.responseText));
    };
    request.onerror = () => reject(unreachable());
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}

export async function getSession(containerId: string): Promise<SessionState> {
  let response: Response;
  try {
    response = await fetch(`/api/sessions/${encodeURIComponent(containerId)}`);
  } catch {
    throw unreachable();
  }
  const text = await response.text();
  if (!response.ok) throw errorFromBody(response.status, text);
  return JSON.parse(text) as SessionState;
}

/**
 * POSTs JSON and reads the answer as Server-Sent Events: `progress` events go to onProgress,
 * `result` resolves, `error` rejects. (EventSource cannot POST, so the stream is parsed here.)
 */
export async function streamCall<T>(
  route: string,
  body: unknown,
  onProgress: (event: ProgressEvent) => void,
  signal?: AbortSignal,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(route, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw unreachable();
  }
  if (!response.ok || !response.body || !response.headers.get('content-type')?.includes('text/event-stream')) {
    throw errorFromBody(response.status, await response.text());
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    let chunk: ReadableStreamReadResult<string>;
    try {
      chunk = await reader.read();
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new ApiError(0, 'network', 'The connection dropped before the work finished. Try again.');
    }
    if (chunk.done) break;
    buffer += chunk.value;
    const blocks = buffer.split(/\r?\n\r?\n/);
    buffer = blocks.pop() ?? '';
    for (const block of blocks) {
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length === 0) continue;
      const payload = JSON.parse(data.join('\n'));
      if (event === 'progress') onProgress(payload as ProgressEvent);
      else if (event === 'result') {
        await reader.cancel();
        return payload as T;
      } else if (event === 'error') {
        const { error, status } = payload as {
          error: { code: string; message: string; requestId?: string };
          status: number;
        };
        throw new ApiError(status, error.code, error.message, error.requestId);
      }
    }
  }
  throw new ApiError(0, 'network', 'The connection closed before the work finished. Try again.');
}
