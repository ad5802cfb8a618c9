import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { ContainerSettings } from '../../config.ts';
import { AppError } from '../../errors.ts';
import { waitForProcesses } from '../../sandbox/host-processes.ts';
import type { KernelOutcome, KernelProcess } from '../../sandbox/kernel-process.ts';
import { CPU_SECONDS_PER_KERNEL, MAX_OPEN_FILES, MiB } from '../../sandbox/limits.ts';
import { Sandbox, type SandboxSeat, type SandboxStatus } from '../../sandbox/sandbox.ts';
import { ContainerExpired, ContainerFileNotFound, ContainerNotFound, SandboxUnavailable } from '../errors.ts';
import type { ContainerFile, ContainerInfo, ContainerService, ExecOptions, Execution } from '../types.ts';
import { changedFiles, LocalContainer, toExecution } from './container.ts';
import {
  isPlainFileName,
  readFileInside,
  relativePath,
  removeFileInside,
  walkFiles,
  writeFileInside,
} from './safe-files.ts';
import { type WarmKernel, WarmPool } from './warm-pool.ts';

export interface LocalContainerServiceOptions {
  /** The service's data directory; containers live in `<dataDir>/containers/<id>` (created if missing). */
  dataDir: string;
  settings: ContainerSettings;
  /** Clock in ms since the epoch; inject a fake one to test TTLs without sleeping. */
  now?: () => number;
  /** Ids for containers (`cntr_…`, also a directory name: [A-Za-z0-9_-]) and files (`cfile_…`). */
  idFactory?: (kind: 'container' | 'file') => string;
  logger?: Logger;
  /** How often the sweeper runs; 0 = never by itself (call `sweep()`). Default 30000. */
  sweepIntervalMs?: number;
  /** Default: one built from `settings`. */
  sandbox?: Sandbox;
}

const defaultIds = (kind: 'container' | 'file') =>
  `${kind === 'container' ? 'cntr' : 'cfile'}_${randomBytes(16).toString('hex')}`;
const TOMBSTONES_KEPT = 10_000;
/**
 * After a kill, a new kernel of the same uid waits until the old tree is reaped (milliseconds), except
 * the old outer bwrap, which stays a zombie for ~1.5 s while its namespaces are torn down (measured).
 */
const REAP_WAIT_MS = 5000;
const LINGERING_ZOMBIES = 1;
/** Executions are usually short: a client told "busy" can come back soon. */
const BUSY_RETRY_AFTER_SECONDS = 2;

/** The `local` container backend: bubblewrap sandboxes with a persistent Python kernel (docs/sandbox.md). */
export class LocalContainerService implements ContainerService {
  private readonly containers = new Map<string, LocalContainer>();
  /** Ids of containers that expired (for `ContainerExpired` instead of `ContainerNotFound`), oldest first. */
  private readonly expired = new Set<string>();
  private readonly now: () => number;
  private readonly newId: (kind: 'container' | 'file') => string;
  private readonly sandbox: Sandbox;
  private readonly pool: WarmPool;
  private readonly containersDir: string;
  private readonly pendingCleanups = new Set<Promise<void>>();
  private sweeper: NodeJS.Timeout | null = null;
  private creating = 0;
  private running = 0;
  private closed = false;

  constructor(private readonly options: LocalContainerServiceOptions) {
    const { settings } = options;
    this.now = options.now ?? Date.now;
    this.newId = options.idFactory ?? defaultIds;
    this.containersDir = path.join(path.resolve(options.dataDir), 'containers');
    this.sandbox =
      options.sandbox ??
      new Sandbox({
        limits: {
          memoryBytes: settings.memoryMb * MiB,
          maxProcesses: settings.maxProcesses,
          maxFileBytes: settings.maxFileMb * MiB,
          tmpBytes: settings.tmpMb * MiB,
          cpuSeconds: CPU_SECONDS_PER_KERNEL,
          maxOpenFiles: MAX_OPEN_FILES,
        },
        uidStart: settings.uidStart,
        cgroups: settings.cgroups,
        outputCapBytes: settings.outputKb * 1024,
      });
    this.pool = new WarmPool(
      settings.warmKernels,
      () => this.startWarmKernel(),
      (warm) => this.cleanUp(warm.root, warm.seat, warm.kernel),
    );
  }

  /** Checks the sandbox, fills the warm pool and starts the sweeper; returns `this`. */
  start(): this {
    void this.sandboxStatus().then((status) => {
      if (!status.available) {
        this.options.logger?.warn(
          { event: 'sandbox.unavailable', problems: status.problems },
          'code execution is disabled',
        );
      } else this.pool.refill();
    });
    const interval = this.options.sweepIntervalMs ?? 30_000;
    if (interval > 0) this.sweeper = setInterval(() => void this.sweep(), interval).unref();
    return this;
  }

  /** Whether code can run here, and if not, what is missing. */
  sandboxStatus(): Promise<SandboxStatus> {
    return this.sandbox.status();
  }

  /** Live containers (for capacity dashboards and tests). */
  get liveCount(): number {
    return this.containers.size;
  }

  /** Kernels started and waiting in the warm pool. */
  get warmCount(): number {
    return this.pool.count;
  }

  async create(options: { name: string; ttlMinutes?: number }): Promise<ContainerInfo> {
    if (this.closed) throw new Error('the container service is closed');
    const ttlMinutes = options.ttlMinutes ?? this.options.settings.ttlMinutes;
    if (!(ttlMinutes > 0)) throw new AppError('invalid_request', 'ttlMinutes must be a positive number of minutes.');
    if (this.containers.size + this.creating >= this.options.settings.maxContainers) await this.sweep();
    if (this.containers.size + this.creating >= this.options.settings.maxContainers) throw this.full();
    this.creating++;
    try {
      const status = await this.sandbox.status();
      const warm = status.available ? this.pool.take() : null;
      let id: string;
      let root: string;
      let seat: SandboxSeat | null = null;
      let kernel: KernelProcess | null = null;
      if (warm) ({ id, root, seat, kernel } = warm);
      else {
        id = this.containerId();
        if (status.available) {
          seat = await this.sandbox.seat(id);
          if (!seat) throw new AppError('unavailable', 'No free sandbox uid.', { retryAfterSeconds: 10 });
        }
        try {
          root = await this.makeDirectory(id, seat?.uid ?? 0);
        } catch (error) {
          if (seat) await this.sandbox.releaseSeat(seat);
          throw error;
        }
        // Started now, not at the first exec: an upload usually comes first and hides the imports.
        if (seat) kernel = this.sandbox.startKernel(seat, root);
      }
      const container = new LocalContainer(id, options.name, root, seat, this.now(), ttlMinutes * 60_000, () =>
        this.newId('file'),
      );
      container.kernel = kernel;
      this.containers.set(id, container);
      this.options.logger?.info(
        { event: 'container.created', containerId: id, warm: Boolean(warm), uid: seat?.uid },
        'container created',
      );
      return container.info();
    } finally {
      this.creating--;
    }
  }

  async retrieve(id: string): Promise<ContainerInfo> {
    return (await this.touch(id)).info();
  }

  async delete(id: string): Promise<boolean> {
    const container = this.containers.get(id);
    if (!container) return false;
    await this.destroy(container, 'deleted');
    return true;
  }

  async uploadFile(id: string, name: string, bytes: Uint8Array | Readable): Promise<ContainerFile> {
    const container = await this.touch(id);
    if (!isPlainFileName(name)) {
      throw new AppError('invalid_request', `"${name}" is not a plain file name (no "/", at most 255 bytes).`);
    }
    const size = await writeFileInside(container.root, name, bytes, container.seat?.uid ?? 0).catch((error) => {
      if (!['EISDIR', 'ENOTEMPTY', 'ENOTDIR'].includes(error.code)) throw error;
      throw new AppError('invalid_request', `/mnt/data/${name} is a directory; upload under another name.`);
    });
    container.lastActiveAt = this.now();
    return container.uploaded(name, { bytes: size, modified: '' }, this.now());
  }

  async listFiles(id: string): Promise<ContainerFile[]> {
    return (await this.touch(id)).listFiles(this.now());
  }

  async readFile(id: string, fileIdOrPath: string): Promise<Buffer> {
    const container = await this.touch(id);
    const relative = container.pathOf(fileIdOrPath) ?? relativePath(fileIdOrPath);
    if (!relative) throw new ContainerFileNotFound(id, fileIdOrPath);
    try {
      return await readFileInside(container.root, relative);
    } catch (error) {
      throw Object.assign(new ContainerFileNotFound(id, fileIdOrPath), { cause: error });
    }
  }

  async deleteFile(id: string, fileIdOrPath: string): Promise<boolean> {
    const container = await this.touch(id);
    const relative = container.pathOf(fileIdOrPath) ?? relativePath(fileIdOrPath);
    if (!relative) return false;
    const removed = await removeFileInside(container.root, relative).catch(() => false);
    container.forget(relative);
    return removed;
  }

  async exec(id: string, code: string, options: ExecOptions = {}): Promise<Execution> {
    const container = await this.touch(id);
    const status = await this.sandbox.status();
    if (!status.available || !container.seat) throw new SandboxUnavailable(status.problems);
    const timeoutMs = options.timeoutMs ?? this.options.settings.execTimeoutMs;
    if (!(timeoutMs > 0)) throw new AppError('invalid_request', 'timeoutMs must be a positive number.');
    container.busy++;
    try {
      return await container.serialize(async () => {
        if (container.destroyed) throw new ContainerNotFound(id);
        options.signal?.throwIfAborted();
        if (this.running >= this.options.settings.maxConcurrentExecutions) {
          throw new AppError(
            'unavailable',
            `The sandbox is busy (${this.running} executions running); try again in a moment.`,
            { retryable: true, retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS },
          );
        }
        this.running++;
        try {
          return await this.run(container, code, timeoutMs, options.signal);
        } finally {
          this.running--;
        }
      });
    } finally {
      container.busy--;
      container.lastActiveAt = this.now();
    }
  }

  async sweep(): Promise<number> {
    const now = this.now();
    const due = [...this.containers.values()].filter((c) => c.busy === 0 && now >= c.expiresAt);
    await Promise.all(due.map((container) => this.destroy(container, 'expired')));
    return due.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    await this.pool.close();
    await Promise.all([...this.containers.values()].map((container) => this.destroy(container, 'closed')));
    await Promise.all(this.pendingCleanups);
    if (!this.options.sandbox) await this.sandbox.close();
  }

  private async run(container: LocalContainer, code: string, timeoutMs: number, signal?: AbortSignal) {
    const started = performance.now();
    const before = await walkFiles(container.root);
    const kernel = await this.liveKernel(container);
    const { settings } = this.options;
    let outcome: KernelOutcome;
    try {
      outcome = await kernel.run(code, {
        timeoutMs,
        graceMs: settings.killGraceMs,
        outputCapBytes: settings.outputKb * 1024,
        signal,
      });
    } finally {
      if (!kernel.alive) container.kernel = null;
    }
    const files = container.describe(changedFiles(before, await walkFiles(container.root)), this.now());
    const durationMs = Math.round(performance.now() - started);
    if (outcome.kind === 'died') {
      this.options.logger?.warn(
        { event: 'kernel.died', containerId: container.id, reason: outcome.reason, diagnostics: kernel.diagnostics },
        'kernel died',
      );
    }
    return toExecution(outcome, files, durationMs);
  }

  /** The container's kernel, started anew when there is none (first use, or after one died). */
  private async liveKernel(container: LocalContainer): Promise<KernelProcess> {
    let kernel = container.kernel;
    if (!kernel?.alive) {
      const seat = container.seat!;
      await waitForProcesses(seat.uid, LINGERING_ZOMBIES, REAP_WAIT_MS);
      kernel = this.sandbox.startKernel(seat, container.root);
      container.kernel = kernel;
    }
    try {
      await kernel.ready;
    } catch (error) {
      container.kernel = null;
      throw new AppError('unavailable', `The Python kernel did not start: ${(error as Error).message}`, {
        cause: error,
        retryable: true,
        retryAfterSeconds: 5,
      });
    }
    return kernel;
  }

  /** The live container, its clock reset; destroys it first when it is past its TTL. */
  private async touch(id: string): Promise<LocalContainer> {
    const container = this.containers.get(id);
    if (!container) throw this.expired.has(id) ? new ContainerExpired(id) : new ContainerNotFound(id);
    if (container.busy === 0 && this.now() >= container.expiresAt) {
      await this.destroy(container, 'expired');
      throw new ContainerExpired(id);
    }
    container.lastActiveAt = this.now();
    return container;
  }

  private async destroy(container: LocalContainer, why: 'expired' | 'deleted' | 'closed'): Promise<void> {
    if (container.destroyed) return;
    container.destroyed = true;
    this.containers.delete(container.id);
    if (why === 'expired') {
      this.expired.add(container.id);
      if (this.expired.size > TOMBSTONES_KEPT) this.expired.delete(this.expired.values().next().value!);
    }
    this.options.logger?.info(
      { event: `container.${why === 'closed' ? 'deleted' : why}`, containerId: container.id },
      `container ${why}`,
    );
    await this.cleanUp(container.root, container.seat, container.kernel);
  }

  /** Kills the kernel, removes the files; the seat (uid, cgroup) is freed in the background once the tree is gone. */
  private async cleanUp(root: string, seat: SandboxSeat | null, kernel: KernelProcess | null): Promise<void> {
    await kernel?.kill('shutdown');
    await fs.promises.rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
    if (seat) {
      const release: Promise<void> = this.sandbox
        .releaseSeat(seat)
        .catch(() => {})
        .finally(() => this.pendingCleanups.delete(release));
      this.pendingCleanups.add(release);
    }
  }

  private async startWarmKernel(): Promise<WarmKernel | null> {
    if (this.closed || !(await this.sandbox.status()).available) return null;
    const id = this.containerId();
    const seat = await this.sandbox.seat(id);
    if (!seat) return null;
    try {
      const root = await this.makeDirectory(id, seat.uid);
      return { id, root, seat, kernel: this.sandbox.startKernel(seat, root) };
    } catch (error) {
      await this.sandbox.releaseSeat(seat);
      throw error;
    }
  }

  /** `<dataDir>/containers/<id>`, mode 0700, owned by the container's uid; returns its real path. */
  private async makeDirectory(id: string, uid: number): Promise<string> {
    await fs.promises.mkdir(this.containersDir, { recursive: true, mode: 0o700 });
    const dir = path.join(this.containersDir, id);
    await fs.promises.mkdir(dir, { mode: 0o700 });
    await fs.promises.chown(dir, uid, uid);
    return fs.promises.realpath(dir);
  }

  private containerId(): string {
    const id = this.newId('container');
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(id)) throw new Error(`container id "${id}" is not a safe directory name`);
    return id;
  }

  private full(): AppError {
    const now = this.now();
    const soonest = Math.min(...[...this.containers.values()].map((c) => c.expiresAt));
    const retryAfterSeconds = Math.max(1, Math.ceil((soonest - now) / 1000));
    return new AppError(
      'unavailable',
      `All ${this.options.settings.maxContainers} sandbox containers are in use; try again in ${retryAfterSeconds} s.`,
      { retryable: true, retryAfterSeconds: Number.isFinite(retryAfterSeconds) ? retryAfterSeconds : 60 },
    );
  }
}

/** Builds the service and starts it (self-test, warm pool, sweeper). */
export function createLocalContainerService(options: LocalContainerServiceOptions): LocalContainerService {
  return new LocalContainerService(options).start();
}
