import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { isOutOfMemory, outOfMemoryError } from '../db/duckdb.ts';
import { AppError, isAppError } from '../errors.ts';
import type { Health } from '../service/health.ts';
import { type Progress, type StoryService, tooLarge } from '../service/story-service.ts';

export interface ServerDeps {
  config: Config;
  service: StoryService;
  logger: Logger;
  health: () => Promise<Health>;
  /** The backend container currently serving a session, for log lines. */
  backendIdOf: (sessionId: string) => string | null;
}

const playgroundDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');
const fallbackPage = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fallback-page.html');
const assetTypes: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};
/**
 * The playground shows CSV text and model text: no inline scripts, nothing fetched from elsewhere.
 * Vega compiles chart expressions with `new Function`, hence 'unsafe-eval'.
 */
const playgroundPolicy = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Maps framework and plugin errors onto our catalogue, so every failure has one shape. */
function toAppError(error: unknown, config: Config): AppError {
  if (isAppError(error)) return error;
  const code = (error as { code?: string }).code;
  const status = (error as { statusCode?: number }).statusCode;
  if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413)
    return tooLarge(config.maxUploadBytes);
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
    return new AppError('invalid_request', 'Send the file as multipart/form-data with the field name "file".');
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new AppError(
      'invalid_request',
      'Send JSON (Content-Type: application/json), or multipart/form-data for uploads.',
    );
  }
  if (
    code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    (error instanceof SyntaxError && status === 400)
  ) {
    return new AppError('invalid_request', 'The request body is not valid JSON.');
  }
  if (status && status >= 400 && status < 500) return new AppError('invalid_request', (error as Error).message);
  if (isOutOfMemory(error)) {
    return outOfMemoryError(error, 'for this analysis');
  }
  return new AppError(
    'internal_error',
    'Something went wrong on our side. Try again; if it keeps failing, report the requestId.',
    { cause: error },
  );
}

function sendError(reply: FastifyReply, request: FastifyRequest, error: AppError) {
  if (error.retryAfterSeconds) reply.header('retry-after', String(error.retryAfterSeconds));
  return reply.code(error.status).send({ error: { code: error.code, message: error.message, requestId: request.id } });
}

const wantsStream = (request: FastifyRequest) => String(request.headers.accept ?? '').includes('text/event-stream');

/** Server-Sent Events: progress lines while the work runs, then the same JSON the plain call returns. */
async function stream(
  request: FastifyRequest,
  reply: FastifyReply,
  run: (progress: Progress) => Promise<unknown>,
  config: Config,
) {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  const send = (event: string, data: unknown) => raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), 10_000);
  try {
    const result = await run((progress) => send('progress', progress));
    send('result', result);
  } catch (error) {
    const appError = toAppError(error, config);
    send('error', {
      error: { code: appError.code, message: appError.message, requestId: request.id },
      status: appError.status,
    });
  } finally {
    clearInterval(heartbeat);
    raw.end();
  }
}

export async function buildServer(deps: ServerDeps) {
  const { config, service, logger } = deps;
  const app = Fastify({
    // Fastify's own lines (listening, framework errors) get an event name like every other line.
    loggerInstance: logger.child({ event: 'server.framework', sessionId: null, containerId: null }),
    // Our own request log lines carry the session and container ids; Fastify's per-request lines would not.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    // Longer than the analysis budget, so a slow analysis ends in our 504, not a dropped socket.
    requestTimeout: config.analysisTimeoutMs + 15_000,
    bodyLimit: 1024 * 1024,
    // On shutdown, idle keep-alive sockets are closed instead of waited for.
    forceCloseConnections: 'idle',
  });

  await app.register(multipart, { limits: { fileSize: config.maxUploadBytes + 1, files: 1, fields: 10, parts: 20 } });

  app.addHook('onRequest', async (request, reply) => {
    // Refuse an oversized upload before reading its body.
    const length = Number(request.headers['content-length'] ?? 0);
    if (request.url.startsWith('/api/upload') && length > config.maxUploadBytes + 1024 * 1024) {
      reply.header('connection', 'close');
      return sendError(reply, request, tooLarge(config.maxUploadBytes));
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    const body = request.body as { containerId?: unknown } | undefined;
    const params = request.params as { containerId?: unknown } | undefined;
    const sessionId =
      typeof body?.containerId === 'string'
        ? body.containerId
        : typeof params?.containerId === 'string'
          ? params.containerId
          : null;
    logger.info(
      {
        event: 'request.completed',
        requestId: request.id,
        sessionId,
        containerId: sessionId ? deps.backendIdOf(sessionId) : null,
        method: request.method,
        url: request.url.split('?')[0],
        status: reply.statusCode,
        elapsedMs: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
  });

  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error, config);
    if (appError.status >= 500)
      logger.error(
        { event: 'request.failed', requestId: request.id, sessionId: null, containerId: null, err: error },
        'request failed',
      );
    return sendError(reply, request, appError);
  });

  app.setNotFoundHandler((request, reply) =>
    sendError(
      reply,
      request,
      new AppError(
        'invalid_request',
        `No route ${request.method} ${request.url.split('?')[0]}. See the API table in the README.`,
      ),
    ),
  );

  app.post('/api/upload', async (request, reply) => {
    if (!request.isMultipart())
      throw new AppError('invalid_request', 'Send the file as multipart/form-data with the field name "file".');
    const file = await request.file();
    if (!file || file.fieldname !== 'file') {
      file?.file.resume();
      throw new AppError('invalid_request', 'No file found: send the CSV in a multipart field named "file".');
    }
    try {
      const result = await service.upload({ stream: file.file, fileName: file.filename });
      if (file.file.truncated) throw tooLarge(config.maxUploadBytes);
      return result;
    } catch (error) {
      // The rest of the body may still be on its way: drain it, and close the connection so a
      // half-read request can never block the next one on the same socket.
      file.file.resume();
      reply.header('connection', 'close');
      throw error;
    }
  });

  const idempotencyKey = (request: FastifyRequest) => {
    const key = request.headers['idempotency-key'];
    return typeof key === 'string' && key.length > 0 && key.length <= 200 ? key : undefined;
  };

  app.post('/api/analyze', async (request, reply) => {
    const body = (request.body ?? {}) as { containerId?: unknown; steeringPrompt?: unknown };
    const run = (onProgress?: Progress) =>
      service.analyze({
        containerId: body.containerId,
        steeringPrompt: body.steeringPrompt,
        idempotencyKey: idempotencyKey(request),
        ...(onProgress ? { onProgress } : {}),
      });
    if (wantsStream(request)) return stream(request, reply, run, config);
    return run();
  });

  app.post('/api/refine', async (request, reply) => {
    const body = (request.body ?? {}) as { containerId?: unknown; selectedStoryTitle?: unknown };
    const run = (onProgress?: Progress) =>
      service.refine({
        containerId: body.containerId,
        selectedStoryTitle: body.selectedStoryTitle,
        idempotencyKey: idempotencyKey(request),
        ...(onProgress ? { onProgress } : {}),
      });
    if (wantsStream(request)) return stream(request, reply, run, config);
    return run();
  });

  app.get('/api/sessions/:containerId', async (request) => {
    const { containerId } = request.params as { containerId: string };
    return service.describe(containerId);
  });

  app.get('/api/files/:containerId/:fileId', async (request, reply) => {
    const { containerId, fileId } = request.params as { containerId: string; fileId: string };
    const { meta, stream: body } = await service.openFile(containerId, fileId);
    const inline = meta.contentType.startsWith('image/') || meta.contentType.startsWith('application/json');
    const safeName = meta.fileName.replace(/[^\w.-]/g, '_');
    reply
      .header('content-type', meta.contentType)
      .header('content-length', String(meta.sizeBytes))
      .header('x-content-type-options', 'nosniff')
      // Generated SVG and HTML are ours, but they carry CSV text: no scripts, no requests out.
      .header('content-security-policy', "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox")
      .header('cache-control', 'private, max-age=31536000, immutable')
      .header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename="${safeName}"`);
    return reply.send(body);
  });

  app.get('/health', async (_request, reply) => {
    const health = await deps.health();
    return reply.code(health.status === 'healthy' ? 200 : 503).send(health);
  });

  app.get('/', async (_request, reply) => {
    const built = path.join(playgroundDir, 'index.html');
    if (!fs.existsSync(built))
      return reply.type('text/html; charset=utf-8').send(await fs.promises.readFile(fallbackPage));
    return (
      reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .header('content-security-policy', playgroundPolicy)
        .header('x-content-type-options', 'nosniff')
        // The page names the upload limit before anyone uploads (and in its 413 message).
        .send(
          (await fs.promises.readFile(built, 'utf8')).replace('__MAX_UPLOAD_BYTES__', String(config.maxUploadBytes)),
        )
    );
  });

  // The playground's bundles: hashed names, so they can be cached for good.
  app.get('/samples/:name', async (request, reply) => {
    const { name } = request.params as { name: string };
    const file = path.join(playgroundDir, 'samples', name);
    if (!/^[\w.-]+\.csv$/.test(name) || !fs.existsSync(file))
      return sendError(reply, request, new AppError('file_not_found', `No sample file ${name}.`));
    return reply
      .type('text/csv; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .send(fs.createReadStream(file));
  });

  app.get('/assets/:name', async (request, reply) => {
    const { name } = request.params as { name: string };
    const type = assetTypes[path.extname(name)];
    const file = path.join(playgroundDir, 'assets', name);
    if (!/^[\w.-]+$/.test(name) || !type || !fs.existsSync(file))
      return sendError(reply, request, new AppError('file_not_found', `No playground file ${name}. Run make start.`));
    return reply
      .type(type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(fs.createReadStream(file));
  });

  return app;
}
