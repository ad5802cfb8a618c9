import { randomBytes } from 'node:crypto';
import type { ContainerFile, LocalContainerService } from '../../src/containers/index.ts';

const seconds = (ms: number) => Math.floor(ms / 1000);

/** What OpenAI keeps about a container; the files and the kernel live in our local sandbox under the same id. */
export interface EmulatedContainer {
  id: string;
  name: string;
  createdAt: number;
  lastActiveAt: number;
  minutes: number;
  memoryLimit: string;
  status: 'running' | 'expired';
  /** Ids of files uploaded through the API (`source: user`); everything else the code wrote. */
  uploads: Set<string>;
}

/** A failure the HTTP layer turns into OpenAI's error body. */
export class EmulatorError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

export const containerExpired = () => new EmulatorError(400, 'Container is expired.');

/**
 * Containers with OpenAI's lifecycle: `expires_after {anchor: last_active_at, minutes}`; any operation
 * on a running container refreshes `last_active_at`; once expired, its data is discarded (the local
 * sandbox container is deleted) but its metadata stays retrievable with `status: "expired"`, and it
 * can never run again.
 */
export class ContainerRegistry {
  readonly containers = new Map<string, EmulatedContainer>();

  constructor(
    private readonly local: LocalContainerService,
    private readonly now: () => number,
  ) {}

  async create(name: string, minutes: number, memoryLimit: string): Promise<EmulatedContainer> {
    // The local sandbox never sweeps these by itself: expiry is decided here, on OpenAI's clock.
    const info = await this.local.create({ name, ttlMinutes: 24 * 60 });
    const at = this.now();
    const container: EmulatedContainer = {
      id: info.id,
      name,
      createdAt: at,
      lastActiveAt: at,
      minutes,
      memoryLimit,
      status: 'running',
      uploads: new Set(),
    };
    this.containers.set(container.id, container);
    return container;
  }

  /** The container, checked against its TTL; `touch` refreshes `last_active_at` when it is still running. */
  async get(id: string, touch: boolean): Promise<EmulatedContainer> {
    const container = this.containers.get(id);
    if (!container) throw new EmulatorError(404, `Container with id '${id}' not found.`);
    if (container.status === 'running' && this.now() - container.lastActiveAt >= container.minutes * 60_000)
      await this.expire(container);
    if (touch && container.status === 'running') container.lastActiveAt = this.now();
    return container;
  }

  /** Running or it throws 400 "Container is expired." (what `POST /responses` and file calls answer). */
  async running(id: string): Promise<EmulatedContainer> {
    const container = await this.get(id, true);
    if (container.status !== 'running') throw containerExpired();
    return container;
  }

  async expire(container: EmulatedContainer): Promise<void> {
    if (container.status === 'expired') return;
    container.status = 'expired';
    await this.local.delete(container.id);
  }

  async delete(id: string): Promise<void> {
    const container = this.containers.get(id);
    if (!container) throw new EmulatorError(404, `Container with id '${id}' not found.`);
    this.containers.delete(id);
    await this.local.delete(id);
  }

  async upload(id: string, fileName: string, bytes: Uint8Array): Promise<ContainerFile> {
    const container = await this.running(id);
    // Uploads get a hash-prefixed name, like the real API: /mnt/data/<32 hex>-<name>.
    const safe = fileName.replace(/[^\w.-]/g, '_').slice(-120) || 'file';
    const file = await this.local.uploadFile(id, `${randomBytes(16).toString('hex')}-${safe}`, bytes);
    container.uploads.add(file.id);
    return file;
  }

  async files(id: string): Promise<ContainerFile[]> {
    await this.running(id);
    return this.local.listFiles(id);
  }

  async file(id: string, fileId: string): Promise<ContainerFile> {
    const found = (await this.files(id)).find((file) => file.id === fileId);
    if (!found) throw new EmulatorError(404, `File ${fileId} not found on container ${id}.`);
    return found;
  }

  toJson(container: EmulatedContainer) {
    return {
      id: container.id,
      object: 'container',
      created_at: seconds(container.createdAt),
      status: container.status,
      expires_after: { anchor: 'last_active_at', minutes: container.minutes },
      last_active_at: seconds(container.lastActiveAt),
      memory_limit: container.memoryLimit,
      name: container.name,
    };
  }

  fileJson(container: EmulatedContainer, file: ContainerFile) {
    return {
      id: file.id,
      object: 'container.file',
      created_at: seconds(file.createdAt),
      bytes: file.bytes,
      container_id: container.id,
      path: file.path,
      source: container.uploads.has(file.id) ? 'user' : 'assistant',
    };
  }
}
