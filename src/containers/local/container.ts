import type { KernelOutcome, KernelProcess } from '../../sandbox/kernel-process.ts';
import type { SandboxSeat } from '../../sandbox/sandbox.ts';
import type { ContainerFile, ContainerInfo, Execution } from '../types.ts';
import { type FileStat, walkFiles } from './safe-files.ts';

/** One live local container: its directory, its seat in the sandbox, its kernel and its clock. */
export class LocalContainer {
  lastActiveAt: number;
  kernel: KernelProcess | null = null;
  /** Executions running or waiting their turn; the sweeper never destroys a busy container. */
  busy = 0;
  destroyed = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** File ids by relative path: stable while the file exists. */
  private readonly known = new Map<string, { id: string; createdAt: number; source: ContainerFile['source'] }>();

  constructor(
    readonly id: string,
    readonly name: string,
    /** Real path of the directory bound at /mnt/data. */
    readonly root: string,
    /** `null` when the sandbox is unavailable: the container still holds files, but cannot run code. */
    readonly seat: SandboxSeat | null,
    readonly createdAt: number,
    readonly ttlMs: number,
    private readonly newFileId: () => string,
  ) {
    this.lastActiveAt = createdAt;
  }

  get expiresAt(): number {
    return this.lastActiveAt + this.ttlMs;
  }

  info(): ContainerInfo {
    return {
      id: this.id,
      name: this.name,
      createdAt: this.createdAt,
      lastActiveAt: this.lastActiveAt,
      expiresAt: this.expiresAt,
      ttlMinutes: this.ttlMs / 60_000,
      status: 'running',
    };
  }

  /** Runs `task` after every earlier one (one execution at a time per kernel). */
  serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => {});
    return run;
  }

  /** A `ContainerFile` for each path, assigning ids to files seen for the first time. */
  describe(files: Map<string, FileStat>, now: number, source: ContainerFile['source'] = 'sandbox'): ContainerFile[] {
    return [...files].map(([relative, stat]) => {
      let entry = this.known.get(relative);
      if (!entry) {
        entry = { id: this.newFileId(), createdAt: now, source };
        this.known.set(relative, entry);
      }
      return {
        id: entry.id,
        path: `/mnt/data/${relative}`,
        bytes: stat.bytes,
        createdAt: entry.createdAt,
        source: entry.source,
      };
    });
  }

  /** Every regular file now, with ids; forgets files that are gone. */
  async listFiles(now: number): Promise<ContainerFile[]> {
    const files = await walkFiles(this.root);
    for (const relative of this.known.keys()) if (!files.has(relative)) this.known.delete(relative);
    return this.describe(files, now).sort((a, b) => a.path.localeCompare(b.path));
  }

  /** The relative path of a file id, if we know it. */
  pathOf(fileId: string): string | null {
    for (const [relative, entry] of this.known) if (entry.id === fileId) return relative;
    return null;
  }

  forget(relative: string): void {
    this.known.delete(relative);
  }

  /** Marks `relative` as uploaded (a new id: it is a new file, even when it replaced one). */
  uploaded(relative: string, stat: FileStat, now: number): ContainerFile {
    this.known.delete(relative);
    return this.describe(new Map([[relative, stat]]), now, 'user')[0]!;
  }
}

/** Files created or changed between two snapshots of the directory. */
export function changedFiles(before: Map<string, FileStat>, after: Map<string, FileStat>): Map<string, FileStat> {
  const changed = new Map<string, FileStat>();
  for (const [relative, stat] of after) {
    const earlier = before.get(relative);
    if (!earlier || earlier.modified !== stat.modified || earlier.bytes !== stat.bytes) changed.set(relative, stat);
  }
  return changed;
}

/** What the caller sees of one kernel run; a dead kernel becomes a `KernelDied` error, as data. */
export function toExecution(outcome: KernelOutcome, files: ContainerFile[], durationMs: number): Execution {
  if (outcome.kind === 'reply') return { ...outcome.reply, files, killed: false, restarted: false, durationMs };
  return {
    stdout: '',
    stderr: '',
    result: null,
    error: {
      name: 'KernelDied',
      value: `The Python process ended (${outcome.reason}); variables and imports were lost, files in /mnt/data were kept.`,
      traceback: '',
    },
    files,
    timedOut: outcome.timedOut,
    killed: outcome.killed,
    restarted: true,
    truncated: false,
    durationMs,
  };
}
