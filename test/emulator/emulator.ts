import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyReply } from 'fastify';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { type ContainerFile, LocalContainerService } from '../../src/containers/index.ts';
import { ContainerRegistry, type EmulatedContainer, EmulatorError } from './container-registry.ts';
import { type Fault, FaultQueue } from './faults.ts';
import { datastoryModel } from './fixtures/datastory-analyst.ts';
import type { CellOutput, ModelTurn, ScriptedModel } from './model.ts';
import { type ContainerFileCitation, ResponseWriter } from './response-writer.ts';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  /** The scripted "model"; default: the DataStoryBot sessions (`fixtures/datastory-analyst.ts`). */
  model?: ScriptedModel;
  /** OpenAI's clock for container expiry (ms); move it to expire containers without waiting. */
  now?: () => number;
  faults?: Fault[];
  /** Where the local sandbox keeps container directories; default a fresh temp dir. */
  dataDir?: string;
  /** Log lines of the emulator itself (default silent). */
  logLevel?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  stream: boolean;
  body: Record<string, unknown> | null;
}

export interface Emulator {
  /** `http://127.0.0.1:<port>/v1`: pass as `baseURL` / `OPENAI_BASE_URL`. */
  baseUrl: string;
  port: number;
  faults: FaultQueue;
  registry: ContainerRegistry;
  requests: RecordedRequest[];
  /** Expires every running container now (as if 20 idle minutes had passed). */
  expireAll(): Promise<number>;
  close(): Promise<void>;
}

const malformedText =
  'I looked at the data and there are several interesting patterns: revenue differs a lot by region and moves over time. Which one would you like me to dig into?';

function sendError(reply: FastifyReply, error: EmulatorError, headers: Record<string, string> = {}) {
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  const type = error.status === 429 ? 'requests' : error.status >= 500 ? 'server_error' : 'invalid_request_error';
  return reply
    .code(error.status)
    .send({ error: { message: error.message, type, param: error.param, code: error.code } });
}

/** Logs as the code interpreter shows them: output, then the last value or the traceback. */
function logsOf(execution: {
  stdout: string;
  stderr: string;
  result: string | null;
  error: { name: string; value: string; traceback: string } | null;
}) {
  let logs = execution.stdout + execution.stderr;
  if (execution.error) {
    const { name, value, traceback } = execution.error;
    const last = `${name}: ${value}`;
    logs += `---------------------------------------------------------------------------\n${name.padEnd(42)}Traceback (most recent call last)\n${traceback.trimEnd()}\n${traceback.includes(last) ? '' : last}`;
  } else if (execution.result !== null) logs += execution.result;
  return logs;
}

function listPage<T extends { id: string; created_at: number }>(items: T[], query: Record<string, string | undefined>) {
  const order = query.order === 'asc' ? 1 : -1;
  const sorted = [...items].sort((a, b) => order * (a.created_at - b.created_at) || (a.id < b.id ? -order : order));
  const start = query.after ? sorted.findIndex((item) => item.id === query.after) + 1 : 0;
  const limit = Math.min(100, Math.max(1, Number(query.limit ?? 20) || 20));
  const data = sorted.slice(start, start + limit);
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: start + limit < sorted.length,
  };
}

/**
 * A local stand-in for OpenAI's Containers and Responses APIs (wire notes in research/openai-wire.md):
 * the official SDK talks to it through `baseURL`; code cells run for real in our bubblewrap sandbox.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const now = options.now ?? Date.now;
  const model = options.model ?? datastoryModel;
  const dataDir = options.dataDir ?? (await fs.promises.mkdtemp(path.join(os.tmpdir(), 'openai-emulator-')));
  const ownsDataDir = !options.dataDir;
  const logger = pino({ level: options.logLevel ?? 'silent' });
  const local = new LocalContainerService({
    dataDir,
    settings: { ...loadConfig({}).containers, maxContainers: 50, warmKernels: 1, execTimeoutMs: 60_000 },
    logger,
    sweepIntervalMs: 0,
  }).start();
  const registry = new ContainerRegistry(local, now);
  const faults = new FaultQueue();
  for (const fault of options.faults ?? []) faults.add(fault);
  const responses = new Map<string, Record<string, unknown>>();
  const requests: RecordedRequest[] = [];
  const hanging = new Set<() => void>();

  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 * 1024 });
  await app.register(multipart, { limits: { fileSize: 512 * 1024 * 1024, files: 1 } });

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', `req_${randomUUID().replace(/-/g, '')}`);
    if (request.url.startsWith('/_emulator')) return;
    const auth = request.headers.authorization;
    if (!auth || !/^Bearer \S+/.test(auth))
      return sendError(
        reply,
        new EmulatorError(
          401,
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        ),
      );
    const target = request.url.startsWith('/v1/responses')
      ? 'responses'
      : request.url.startsWith('/v1/containers')
        ? 'containers'
        : null;
    const fault = target ? faults.takeHttp(target) : null;
    if (fault?.kind === 'rate_limit')
      return sendError(
        reply,
        new EmulatorError(
          429,
          'Rate limit reached for gpt-4o in organization org-emulator on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again later.',
          null,
          'rate_limit_exceeded',
        ),
        {
          'retry-after': String(fault.retryAfterSeconds ?? 1),
          'x-should-retry': 'true',
        },
      );
    if (fault?.kind === 'server_error')
      return sendError(
        reply,
        new EmulatorError(
          fault.status ?? 500,
          'The server had an error while processing your request. Sorry about that!',
        ),
      );
    if (fault?.kind === 'hang') {
      reply.hijack();
      await new Promise<void>((resolve) => {
        const release = () => {
          hanging.delete(release);
          request.raw.socket.destroy();
          resolve();
        };
        hanging.add(release);
        request.raw.socket.once('close', release);
      });
    }
  });

  app.addHook('onResponse', async (request, reply) => {
    if (request.url.startsWith('/_emulator')) return;
    const body =
      request.body && typeof request.body === 'object' && !request.isMultipart()
        ? (request.body as Record<string, unknown>)
        : null;
    requests.push({
      method: request.method,
      path: request.url.split('?')[0]!,
      status: reply.statusCode,
      stream: body?.stream === true,
      body,
    });
  });

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof EmulatorError) return sendError(reply, error);
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status < 500) return sendError(reply, new EmulatorError(status, (error as Error).message));
    logger.error({ err: error }, 'emulator failure');
    return sendError(
      reply,
      new EmulatorError(500, 'The server had an error while processing your request. Sorry about that!'),
    );
  });

  // ── Containers ──
  app.post('/v1/containers', async (request) => {
    const body = (request.body ?? {}) as Record<string, any>;
    if (typeof body.name !== 'string' || !body.name)
      throw new EmulatorError(400, "Missing required parameter: 'name'.", 'name', 'missing_required_parameter');
    const expires = body.expires_after ?? { anchor: 'last_active_at', minutes: 20 };
    if (expires.anchor !== 'last_active_at')
      throw new EmulatorError(
        400,
        `Invalid value: '${expires.anchor}'. Supported values are: 'last_active_at'.`,
        'expires_after.anchor',
        'invalid_value',
      );
    if (!Number.isInteger(expires.minutes) || expires.minutes < 1)
      throw new EmulatorError(
        400,
        'Invalid expires_after.minutes: expected a positive integer.',
        'expires_after.minutes',
        'invalid_value',
      );
    const memory = body.memory_limit ?? '1g';
    if (!['1g', '4g', '16g', '64g'].includes(memory))
      throw new EmulatorError(
        400,
        `Invalid value: '${memory}'. Supported values are: '1g', '4g', '16g', and '64g'.`,
        'memory_limit',
        'invalid_value',
      );
    return registry.toJson(await registry.create(body.name, expires.minutes, memory));
  });

  app.get('/v1/containers', async (request) => {
    const query = request.query as Record<string, string | undefined>;
    const all = [];
    for (const id of registry.containers.keys()) {
      const container = await registry.get(id, false);
      if (!query.name || container.name === query.name) all.push(registry.toJson(container));
    }
    return listPage(all, query);
  });

  app.get('/v1/containers/:id', async (request) =>
    registry.toJson(await registry.get((request.params as { id: string }).id, true)),
  );

  app.delete('/v1/containers/:id', async (request) => {
    const { id } = request.params as { id: string };
    await registry.delete(id);
    return { id, object: 'container.deleted', deleted: true };
  });

  // ── Container files ──
  app.post('/v1/containers/:id/files', async (request) => {
    const { id } = request.params as { id: string };
    if (!request.isMultipart()) {
      const fileId = (request.body as { file_id?: string } | null)?.file_id;
      throw new EmulatorError(
        404,
        `No such File object: ${fileId ?? '(none)'}. The emulator has no Files API: upload the bytes as multipart.`,
        'file_id',
      );
    }
    const part = await request.file();
    if (part?.fieldname !== 'file') throw new EmulatorError(400, "Missing required parameter: 'file'.", 'file');
    const bytes = await part.toBuffer();
    const file = await registry.upload(id, part.filename || 'upload', bytes);
    return registry.fileJson(await registry.get(id, false), file);
  });

  app.get('/v1/containers/:id/files', async (request) => {
    const { id } = request.params as { id: string };
    const files = await registry.files(id);
    const container = await registry.get(id, false);
    return listPage(
      files.map((file) => registry.fileJson(container, file)),
      request.query as Record<string, string | undefined>,
    );
  });

  app.get('/v1/containers/:id/files/:fileId', async (request) => {
    const { id, fileId } = request.params as { id: string; fileId: string };
    const file = await registry.file(id, fileId);
    return registry.fileJson(await registry.get(id, false), file);
  });

  app.delete('/v1/containers/:id/files/:fileId', async (request) => {
    const { id, fileId } = request.params as { id: string; fileId: string };
    await registry.file(id, fileId);
    await local.deleteFile(id, fileId);
    return { id: fileId, object: 'container.file.deleted', deleted: true };
  });

  app.get('/v1/containers/:id/files/:fileId/content', async (request, reply) => {
    const { id, fileId } = request.params as { id: string; fileId: string };
    await registry.file(id, fileId);
    const bytes = await local.readFile(id, fileId);
    return reply.type('application/octet-stream').send(bytes);
  });

  // ── Responses ──
  app.post('/v1/responses', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, any>;
    if (typeof body.model !== 'string' || !body.model)
      throw new EmulatorError(400, "Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
    const tools: Record<string, any>[] = Array.isArray(body.tools) ? body.tools : [];
    const toolIndex = tools.findIndex((tool) => tool.type === 'code_interpreter');
    let container: EmulatedContainer | null = null;
    if (toolIndex >= 0) {
      const spec = tools[toolIndex]!.container;
      if (spec === undefined)
        throw new EmulatorError(
          400,
          `Missing required parameter: 'tools[${toolIndex}].container'.`,
          `tools[${toolIndex}].container`,
          'missing_required_parameter',
        );
      if (typeof spec === 'string') {
        if (faults.takeModel('expire_container')) {
          const target = registry.containers.get(spec);
          if (target) await registry.expire(target);
        }
        container = await registry.running(spec);
      } else container = await registry.create(`auto-${randomUUID().slice(0, 8)}`, 20, spec?.memory_limit ?? '1g');
    }
    let previous: Record<string, unknown> | null = null;
    if (body.previous_response_id !== undefined) {
      previous = responses.get(body.previous_response_id) ?? null;
      if (!previous)
        throw new EmulatorError(
          404,
          `Previous response with id '${body.previous_response_id}' not found.`,
          'previous_response_id',
          'previous_response_not_found',
        );
    }
    const malformed = faults.takeModel('malformed') !== null;
    const empty = faults.takeModel('empty') !== null;
    const include: string[] = Array.isArray(body.include) ? body.include : [];
    const streaming = body.stream === true;
    const abort = new AbortController();
    // The response socket closing before we finished means the client gave up (its timeout, a hang fault).
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) abort.abort(new Error('client went away'));
    });
    const emit = streaming
      ? (event: Record<string, unknown>) => {
          if (!reply.raw.writableEnded) reply.raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        }
      : () => {};
    if (streaming) {
      reply.hijack();
      reply.raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        'x-request-id': String(reply.getHeader('x-request-id')),
      });
    }
    const writer = new ResponseWriter(body, emit, now, include.includes('code_interpreter_call.outputs'));
    writer.start();
    const created = new Map<string, ContainerFile>();
    const cited = new Set<string>();
    const input = typeof body.input === 'string' ? body.input : JSON.stringify(body.input ?? '');
    const turn: ModelTurn = {
      request: body,
      prompt: `${body.instructions ?? ''}\n\n${input}`,
      previous,
      structured: body.text?.format?.type === 'json_schema',
      containerId: container?.id ?? '',
      async python(code: string): Promise<CellOutput> {
        if (!container) throw new Error('the scripted model used python without the code_interpreter tool');
        const live = container;
        const logs = await writer.codeCall(live.id, code, async () => {
          await registry.running(live.id);
          const execution = await local.exec(live.id, code, { signal: abort.signal });
          for (const file of execution.files) created.set(file.path, file);
          return logsOf(execution);
        });
        return {
          logs,
          stdout: logs,
          failed: /Traceback \(most recent call last\)/.test(logs),
          files: [...created.keys()],
        };
      },
      say(text: string) {
        const finalText = malformed && turn.structured ? malformedText : text;
        const linked = [...created.values()].filter((file) => finalText.includes(file.path) && !cited.has(file.id));
        const files = linked.length > 0 ? linked : [...created.values()].filter((file) => !cited.has(file.id));
        const annotations: ContainerFileCitation[] = files.map((file) => {
          cited.add(file.id);
          const at = finalText.indexOf(file.path);
          return {
            type: 'container_file_citation',
            container_id: container?.id ?? '',
            file_id: file.id,
            // As in the CI guide's real example: the file id plus the extension, not the name the code used.
            filename: `${file.id}${path.extname(file.path)}`,
            start_index: at >= 0 ? at : 0,
            end_index: at >= 0 ? at + file.path.length : 0,
          };
        });
        writer.message(finalText, annotations);
      },
    };
    try {
      if (!empty) await model(turn);
    } catch (error) {
      if (abort.signal.aborted) return;
      if (!streaming) throw error;
      logger.error({ err: error }, 'scripted model failed');
      emit({ type: 'response.failed', response: writer.snapshot('failed'), sequence_number: 0 });
      reply.raw.end();
      return;
    }
    if (abort.signal.aborted) return;
    const response = writer.complete();
    responses.set(writer.id, response);
    if (streaming) {
      reply.raw.end();
      return;
    }
    return reply.type('application/json').send(response);
  });

  app.get('/v1/responses/:id', async (request) => {
    const found = responses.get((request.params as { id: string }).id);
    if (!found) throw new EmulatorError(404, `Response with id '${(request.params as { id: string }).id}' not found.`);
    return found;
  });

  // ── Admin (fault switches and time) ──
  app.get('/_emulator/state', async () => ({
    containers: [...registry.containers.values()].map((container) => registry.toJson(container)),
    faults: faults.list(),
    requests: requests.length,
  }));
  app.post('/_emulator/faults', async (request) => {
    const fault = request.body as Fault;
    faults.add(fault);
    return { faults: faults.list() };
  });
  app.delete('/_emulator/faults', async () => {
    faults.clear();
    return { faults: [] };
  });
  app.post('/_emulator/containers/:id/expire', async (request) => {
    const container = await registry.get((request.params as { id: string }).id, false);
    await registry.expire(container);
    return registry.toJson(container);
  });
  app.post('/_emulator/expire-all', async () => ({ expired: await expireAll() }));

  async function expireAll(): Promise<number> {
    let count = 0;
    for (const container of registry.containers.values())
      if (container.status === 'running') {
        await registry.expire(container);
        count += 1;
      }
    return count;
  }

  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const port = Number(new URL(address).port);
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    faults,
    registry,
    requests,
    expireAll,
    async close() {
      for (const release of [...hanging]) release();
      await app.close();
      await local.close();
      if (ownsDataDir) await fs.promises.rm(dataDir, { recursive: true, force: true });
    },
  };
}

export type { Fault } from './faults.ts';
