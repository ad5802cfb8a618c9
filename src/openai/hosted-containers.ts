import fs from 'node:fs';
import type OpenAI from 'openai';
import { toFile } from 'openai';
import { classifyUpstream, HostedContainerExpired } from './errors.ts';

/** Per-call options every request carries: our deadline and signal; the SDK never retries on its own. */
export interface CallOptions {
  signal: AbortSignal;
  timeoutMs: number;
}

export interface HostedFile {
  id: string;
  path: string;
  bytes: number;
  source: string;
  createdAt: number;
}

export const requestOptions = (call: CallOptions) => ({
  signal: call.signal,
  timeout: Math.max(1, Math.round(call.timeoutMs)),
  maxRetries: 0,
});

/**
 * OpenAI's hosted containers as our analyst uses them: create one per session, upload the kept original,
 * list and download what the model wrote. Container-scoped failures that mean "gone" become
 * `HostedContainerExpired`, so the caller can recover instead of reporting an error.
 */
export class HostedContainers {
  constructor(
    private readonly client: OpenAI,
    private readonly options: { ttlMinutes: number; memoryLimit: '1g' | '4g' | '16g' | '64g' },
  ) {}

  async create(name: string, call: CallOptions): Promise<{ id: string }> {
    const container = await this.client.containers.create(
      {
        name: name.slice(0, 64),
        // The API's only anchor is `last_active_at` (OpenAPI enum): every use of the container resets the clock.
        expires_after: { anchor: 'last_active_at', minutes: Math.max(1, Math.round(this.options.ttlMinutes)) },
        memory_limit: this.options.memoryLimit,
      },
      requestOptions(call),
    );
    return { id: container.id };
  }

  /** Uploads a local file; the answer's `path` (hash-prefixed, e.g. `/mnt/data/88e1…-sales.csv`) is what the model must read. */
  async upload(containerId: string, localPath: string, fileName: string, call: CallOptions): Promise<HostedFile> {
    return this.scoped(containerId, async () => {
      const file = await this.client.containers.files.create(
        containerId,
        { file: await toFile(fs.createReadStream(localPath), fileName, { type: 'text/csv' }) },
        requestOptions(call),
      );
      return { id: file.id, path: file.path, bytes: file.bytes, source: file.source, createdAt: file.created_at };
    });
  }

  async listFiles(containerId: string, call: CallOptions): Promise<HostedFile[]> {
    return this.scoped(containerId, async () => {
      const files: HostedFile[] = [];
      for await (const file of this.client.containers.files.list(containerId, { limit: 100 }, requestOptions(call))) {
        files.push({
          id: file.id,
          path: file.path,
          bytes: file.bytes,
          source: file.source,
          createdAt: file.created_at,
        });
        if (files.length >= 500) break;
      }
      return files;
    });
  }

  /** The file's bytes, in memory (the caller stores them before answering). */
  async download(containerId: string, fileId: string, call: CallOptions): Promise<Buffer> {
    return this.scoped(containerId, async () => {
      const response = await this.client.containers.files.content.retrieve(
        fileId,
        { container_id: containerId },
        requestOptions(call),
      );
      return Buffer.from(await response.arrayBuffer());
    });
  }

  /** Best effort: a container we replaced or no longer need stops costing money. */
  async delete(containerId: string, call: CallOptions): Promise<void> {
    await this.client.containers.delete(containerId, requestOptions(call)).catch(() => {});
  }

  private async scoped<T>(containerId: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (classifyUpstream(error, true)?.kind === 'container_expired')
        throw new HostedContainerExpired(containerId, { cause: error });
      throw error;
    }
  }
}
