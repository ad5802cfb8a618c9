import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from 'pino';
import { type AnalysisContext, type Analyst, fileLink } from '../analysts/types.ts';
import type { ArtifactStore } from '../artifacts/types.ts';
import type { Config } from '../config.ts';
import { databaseLimits, openDatabase } from '../db/duckdb.ts';
import { AppError, isAppError } from '../errors.ts';
import { readCsv, sanitizeFileName } from '../ingest/index.ts';
import type { CsvFormat, IngestWarning } from '../ingest/types.ts';
import { profileDataset } from '../insights/profile.ts';
import { reportHtml, reportMarkdown } from '../reports/report.ts';
import type { ChartRef, Refinement, Session, SessionStore, StoredStory, Story } from '../sessions/types.ts';
import { newWorkspace, type Workspace, type WorkspacePool } from '../workspaces/workspace-pool.ts';
import { IdempotencyStore } from './idempotency.ts';

export interface UploadColumn {
  name: string;
  type: string;
  /** How the analysis treats the column: time, category, measure, binary, identifier, text, ignored. */
  role: string;
  missing: number;
  distinct: number;
  examples: string[];
}

export interface UploadResult {
  containerId: string;
  fileName: string;
  sizeBytes: number;
  rowCount: number;
  columns: UploadColumn[];
  format: CsvFormat;
  warnings: IngestWarning[];
}

export interface StoryServiceDeps {
  config: Config;
  store: SessionStore;
  artifacts: ArtifactStore;
  workspaces: WorkspacePool;
  analyst: Analyst;
  logger: Logger;
  now?: () => number;
}

export type Progress = (event: { step: string; elapsedMs: number }) => void;

const newId = (prefix: string) => `${prefix}_${randomBytes(16).toString('base64url')}`;
const validId = /^[A-Za-z0-9_-]{4,80}$/;
const publicStory = ({ detail: _detail, ...story }: StoredStory): Story => story;

/** What POST /api/upload answers (and GET /api/sessions/{id} repeats): how the file was read. */
function uploadAnswer(session: Session): UploadResult {
  const { reading } = session;
  return {
    containerId: session.id,
    fileName: session.fileName,
    sizeBytes: session.sizeBytes,
    rowCount: reading.rowCount,
    columns: reading.columns.map((column) => ({
      name: column.name,
      type: column.type,
      role: session.roles[column.name] ?? 'ignored',
      missing: column.nullCount,
      distinct: column.distinctCount,
      examples: column.examples,
    })),
    format: reading.format,
    warnings: reading.warnings,
  };
}

/** Counts bytes on the way to disk and stops the upload at the limit (multipart would silently truncate). */
function byteLimit(maxBytes: number): Transform & { bytes: () => number } {
  let bytes = 0;
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        callback(tooLarge(maxBytes));
        return;
      }
      callback(null, chunk);
    },
  });
  return Object.assign(transform, { bytes: () => bytes });
}

/** "50 MB", "200 KB": sizes as people read them. */
export const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${Number((bytes / 1024 / 1024).toFixed(1))} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;

export const tooLarge = (maxBytes: number) =>
  new AppError(
    'file_too_large',
    `The file is larger than the ${sizeText(maxBytes)} limit. Upload a smaller extract (filter rows or drop columns) or ask the operator to raise DATASTORY_MAX_UPLOAD_MB.`,
  );

/** The use cases behind both front doors (HTTP and CLI): upload, analyze, refine, files, health. */
export class StoryService {
  private readonly idempotency: IdempotencyStore;
  private readonly now: () => number;

  constructor(private readonly deps: StoryServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.idempotency = new IdempotencyStore(deps.config.idempotencyTtlMs, this.now);
  }

  private get config() {
    return this.deps.config;
  }

  /** Streams the file to disk under the byte limit, validates and reads it, and opens a session. */
  async upload(input: { stream: Readable; fileName: string }): Promise<UploadResult> {
    const sessionId = newId('ds');
    const log = this.deps.logger.child({ sessionId });
    const fileName = sanitizeFileName(input.fileName);
    const relative = path.join('uploads', `${sessionId}.csv`);
    const target = path.join(this.config.dataDir, relative);
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const limit = byteLimit(this.config.maxUploadBytes);
    const db = await openDatabase(databaseLimits(this.config.dbMemoryMb));
    try {
      await pipeline(input.stream, limit, fs.createWriteStream(target, { flags: 'wx' }));
      const sizeBytes = limit.bytes();
      const reading = await readCsv(db.connection, target, {
        tableName: 'data',
        fileName,
        largeFileBytes: this.config.largeUploadBytes,
        sampleRows: this.config.sampleRows,
      });
      const profile = await profileDataset(db.connection, 'data', reading, { sampleRows: this.config.sampleRows });
      const workspace = newWorkspace(sessionId, db, reading, this.now(), new Map([['profile', profile]]));
      const at = this.now();
      const roles = Object.fromEntries(profile.fields.map((field) => [field.name, field.role]));
      const session: Session = {
        id: sessionId,
        fileName,
        originalPath: relative,
        sizeBytes,
        reading,
        roles,
        backendContainerId: workspace.id,
        createdAt: at,
        lastActivityAt: at,
      };
      await this.deps.store.createSession(session);
      this.deps.workspaces.adopt(workspace);
      log.info(
        { event: 'upload.completed', containerId: workspace.id, sizeBytes, rows: reading.rowCount },
        'upload read',
      );
      return uploadAnswer(session);
    } catch (error) {
      // Nothing half-written: no session, no file, no open database.
      db.close();
      await fs.promises.rm(target, { force: true });
      log.info(
        { event: 'upload.rejected', containerId: null, code: isAppError(error) ? error.code : 'internal_error' },
        'upload rejected',
      );
      throw error;
    }
  }

  private async session(containerId: unknown): Promise<Session> {
    if (typeof containerId !== 'string' || !validId.test(containerId)) {
      throw new AppError(
        'invalid_request',
        'containerId is missing or malformed: pass the containerId that POST /api/upload returned.',
      );
    }
    const session = await this.deps.store.getSession(containerId);
    if (!session) {
      throw new AppError(
        'session_not_found',
        `No session ${containerId}. It may have been deleted; upload the file again to start a new one.`,
      );
    }
    return session;
  }

  /**
   * Runs analyst work on the session's workspace within the analysis timeout. The workspace is
   * re-created from the original upload if it expired; the public containerId never changes.
   */
  private async withWorkspace<T>(
    session: Session,
    event: string,
    onProgress: Progress | undefined,
    work: (context: AnalysisContext) => Promise<T>,
  ): Promise<T> {
    const started = this.now();
    let workspace: Workspace;
    try {
      workspace = await this.deps.workspaces.acquire(
        session.id,
        path.join(this.config.dataDir, session.originalPath),
        session.reading,
        session.backendContainerId,
      );
    } catch (error) {
      this.deps.logger.error(
        {
          event: 'container.recovery_failed',
          sessionId: session.id,
          containerId: session.backendContainerId,
          err: error,
        },
        'workspace recovery failed',
      );
      throw new AppError(
        'internal_error',
        "We could not reload this session's data. Upload the file again to start a new session.",
        { cause: error },
      );
    }
    const log = this.deps.logger.child({ sessionId: session.id, containerId: workspace.id });
    if (workspace.id !== session.backendContainerId)
      await this.deps.store.touchSession(session.id, this.now(), workspace.id);
    const controller = new AbortController();
    const timeoutMs = this.config.analysisTimeoutMs;
    const timer = setTimeout(() => {
      controller.abort(
        new AppError(
          'analysis_timeout',
          `The analysis took longer than ${Math.round(timeoutMs / 1000)} s and was stopped. Try again with a smaller file, or ask the operator to raise DATASTORY_ANALYSIS_TIMEOUT_MS.`,
        ),
      );
      // DuckDB runs queries on its own threads: interrupt them so the abort takes effect now.
      workspace.db.connection.interrupt();
    }, timeoutMs);
    log.info({ event: `${event}.started` }, `${event} started`);
    try {
      const result = await work({
        workspace,
        session: {
          id: session.id,
          fileName: session.fileName,
          originalPath: path.join(this.config.dataDir, session.originalPath),
        },
        state: {
          get: async <T>(key: string) => (await this.deps.store.getAnalystState(session.id))[key] as T | undefined,
          set: (key: string, value: unknown) => this.deps.store.setAnalystState(session.id, key, value),
        },
        log,
        signal: controller.signal,
        onProgress: (step) => {
          log.debug({ event: `${event}.progress`, step }, step);
          onProgress?.({ step, elapsedMs: this.now() - started });
        },
      });
      controller.signal.throwIfAborted();
      workspace.lastUsedAt = this.now();
      await this.deps.store.touchSession(session.id, this.now());
      log.info({ event: `${event}.completed`, elapsedMs: this.now() - started }, `${event} completed`);
      return result;
    } catch (error) {
      const reason = controller.signal.aborted ? controller.signal.reason : error;
      log.warn(
        {
          event: `${event}.failed`,
          elapsedMs: this.now() - started,
          code: isAppError(reason) ? reason.code : 'internal_error',
          err: reason,
        },
        `${event} failed`,
      );
      throw reason;
    } finally {
      clearTimeout(timer);
    }
  }

  async analyze(input: {
    containerId: unknown;
    steeringPrompt?: unknown;
    idempotencyKey?: string;
    onProgress?: Progress;
  }): Promise<Story[]> {
    if (
      input.steeringPrompt !== undefined &&
      input.steeringPrompt !== null &&
      typeof input.steeringPrompt !== 'string'
    ) {
      throw new AppError('invalid_request', 'steeringPrompt must be a string, e.g. "focus on retention".');
    }
    const steeringPrompt =
      typeof input.steeringPrompt === 'string' && input.steeringPrompt.trim()
        ? input.steeringPrompt.trim().slice(0, 2000)
        : undefined;
    const session = await this.session(input.containerId);
    const key = input.idempotencyKey ? `analyze:${session.id}:${input.idempotencyKey}` : undefined;
    return this.idempotency.run(key, JSON.stringify({ steeringPrompt: steeringPrompt ?? null }), async () => {
      const stories = await this.withWorkspace(session, 'analysis', input.onProgress, (context) =>
        this.deps.analyst.discover(context, steeringPrompt),
      );
      await this.deps.store.saveStories(session.id, steeringPrompt ?? null, stories, this.now());
      return stories.map(publicStory);
    });
  }

  async refine(input: {
    containerId: unknown;
    selectedStoryTitle: unknown;
    idempotencyKey?: string;
    onProgress?: Progress;
  }): Promise<Refinement> {
    if (typeof input.selectedStoryTitle !== 'string' || !input.selectedStoryTitle.trim()) {
      throw new AppError(
        'invalid_request',
        'selectedStoryTitle is missing: pass the title of one of the stories POST /api/analyze returned.',
      );
    }
    const session = await this.session(input.containerId);
    const title = input.selectedStoryTitle.trim();
    const stories = await this.deps.store.listStories(session.id);
    if (stories.length === 0) {
      throw new AppError(
        'story_not_found',
        'This session has no stories yet: call POST /api/analyze first, then refine one of the titles it returns.',
      );
    }
    const normalized = (text: string) => text.toLowerCase().replace(/\s+/g, ' ').trim();
    const story =
      stories.find((s) => s.title === title) ?? stories.find((s) => normalized(s.title) === normalized(title));
    if (!story) {
      const titles = [...new Set(stories.slice(0, 3).map((s) => `"${s.title}"`))].join(', ');
      throw new AppError(
        'story_not_found',
        `No story titled "${title.slice(0, 200)}" in this session. Pick one of: ${titles}.`,
      );
    }
    const key = input.idempotencyKey ? `refine:${session.id}:${input.idempotencyKey}` : undefined;
    return this.idempotency.run(key, JSON.stringify({ story: story.id }), async () => {
      const cached = await this.deps.store.getRefinement(session.id, story.id);
      if (cached) return cached;
      return this.withWorkspace(session, 'refinement', input.onProgress, async (context) => {
        const result = await this.deps.analyst.refine(context, story);
        return this.storeRefinement(session, story, result);
      });
    });
  }

  /** Writes every generated file into our artifact store before answering; the answer only points at our copies. */
  private async storeRefinement(
    session: Session,
    story: StoredStory,
    result: Awaited<ReturnType<Analyst['refine']>>,
  ): Promise<Refinement> {
    const save = async (bytes: Uint8Array | string, fileName: string, contentType: string) => {
      const id = newId('file');
      await this.deps.artifacts.put(session.id, id, bytes);
      await this.deps.store.saveArtifact({
        id,
        sessionId: session.id,
        fileName,
        contentType,
        sizeBytes: typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.byteLength,
        createdAt: this.now(),
      });
      return id;
    };
    const url = (fileId: string) => `/api/files/${session.id}/${fileId}`;
    // Downloads are named after the story, so three stories' charts do not all save as chart-1.png.
    const stem =
      result.title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 48)
        .replace(/-$/, '') || 'story';
    const charts: ChartRef[] = [];
    for (const [i, chart] of result.charts.entries()) {
      const base = `${stem}-chart-${i + 1}`;
      const fileId = await save(chart.png, `${base}.png`, 'image/png');
      const svgFileId = chart.svg ? await save(chart.svg, `${base}.svg`, 'image/svg+xml') : undefined;
      const specFileId = chart.spec
        ? await save(JSON.stringify(chart.spec, null, 2), `${base}.vl.json`, 'application/json')
        : undefined;
      charts.push({
        fileId,
        title: chart.title,
        caption: chart.caption,
        url: url(fileId),
        ...(specFileId ? { specFileId } : {}),
        ...(svgFileId ? { svgFileId } : {}),
        type: chart.type,
        alt: chart.alt,
      });
    }
    let resultDataset: Refinement['resultDataset'];
    if (result.dataset) {
      const fileId = await save(result.dataset.csv, result.dataset.fileName, 'text/csv; charset=utf-8');
      resultDataset = { fileId, fileName: result.dataset.fileName, rows: result.dataset.rows, url: url(fileId) };
    }
    // An LLM analyst's links to its own files (see `fileLink`) become our URLs now that the files have ids.
    let narrative = result.narrative;
    for (const [i, chart] of charts.entries()) narrative = narrative.replaceAll(fileLink.chart(i), chart.url);
    if (resultDataset) narrative = narrative.replaceAll(fileLink.dataset, resultDataset.url);
    const section = {
      narrative,
      charts: charts.map((c) => ({ title: c.title, caption: c.caption, href: c.url })),
      dataset: resultDataset
        ? { fileName: resultDataset.fileName, href: resultDataset.url, rows: resultDataset.rows }
        : undefined,
    };
    const markdownFileId = await save(reportMarkdown([section]), `${stem}-report.md`, 'text/markdown; charset=utf-8');
    const htmlFileId = await save(
      reportHtml(result.title, [section]),
      `${stem}-report.html`,
      'text/html; charset=utf-8',
    );
    const refinement: Refinement = {
      containerId: session.id,
      storyId: story.id,
      title: result.title,
      narrative,
      charts,
      ...(resultDataset ? { resultDataset } : {}),
      report: { markdownFileId, htmlFileId },
      warnings: result.warnings,
    };
    await this.deps.store.saveRefinement(session.id, refinement, this.now());
    return refinement;
  }

  /** A session as a page reloading it needs it: how the file was read, its current stories, its refinements. */
  async describe(containerId: unknown) {
    const session = await this.session(containerId);
    const stories = await this.deps.store.listStories(session.id);
    const latest = stories.slice(0, 3).map(publicStory);
    return {
      ...uploadAnswer(session),
      stories: latest,
      refinements: await this.deps.store.listRefinements(session.id),
    };
  }

  /** A stored file of a session: metadata and a stream. Never reads from a workspace. */
  async openFile(containerId: unknown, fileId: unknown) {
    if (
      typeof containerId !== 'string' ||
      !validId.test(containerId) ||
      typeof fileId !== 'string' ||
      !validId.test(fileId)
    ) {
      throw new AppError('file_not_found', 'No such file. Use the url or fileId that POST /api/refine returned.');
    }
    const meta = await this.deps.store.getArtifact(containerId, fileId);
    const stream = meta ? await this.deps.artifacts.open(containerId, fileId) : null;
    if (!meta || !stream)
      throw new AppError('file_not_found', 'No such file. Use the url or fileId that POST /api/refine returned.');
    return { meta, stream };
  }
}
