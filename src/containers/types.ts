import type { Readable } from 'node:stream';

/**
 * Containers: a private `/mnt/data` plus (for `local`) a persistent Python kernel, destroyed after
 * `ttlMinutes` without activity. Shaped after OpenAI's Containers API and E2B's sandbox: user-code
 * failures come back as data (`Execution.error`); only the container's own state throws
 * (`ContainerExpired`, `ContainerNotFound`, `SandboxUnavailable`, or `AppError('unavailable')` when full).
 */
export interface ContainerService {
  /** A new container; its idle clock starts now. Throws `AppError('unavailable')` (503 + Retry-After) when full. */
  create(options: { name: string; ttlMinutes?: number }): Promise<ContainerInfo>;
  /** The container's state; counts as activity. Throws `ContainerExpired` or `ContainerNotFound`. */
  retrieve(id: string): Promise<ContainerInfo>;
  /** Kills the kernel and removes the files; `false` when the container was already gone. */
  delete(id: string): Promise<boolean>;
  /** Writes `/mnt/data/<name>` (a plain file name; an existing file of that name is replaced). */
  uploadFile(id: string, name: string, bytes: Uint8Array | Readable): Promise<ContainerFile>;
  /** Regular files under `/mnt/data`; symlinks and other special files are left out. */
  listFiles(id: string): Promise<ContainerFile[]>;
  /** A file's bytes, by id or path (`/mnt/data/x.png` or `x.png`). Never follows a symlink out of the container. */
  readFile(id: string, fileIdOrPath: string): Promise<Buffer>;
  /** `false` when there was no such file. */
  deleteFile(id: string, fileIdOrPath: string): Promise<boolean>;
  /**
   * Runs `code` in the container's kernel (one execution at a time per container; later calls wait their turn).
   * Aborting `signal` kills the kernel (its state is lost, files are kept) and rejects with the signal's reason.
   */
  exec(id: string, code: string, options?: ExecOptions): Promise<Execution>;
  /** Destroys every container idle past its TTL; returns how many. A timer also calls it. */
  sweep(): Promise<number>;
  /** Destroys every container and stops the timers. */
  close(): Promise<void>;
}

export interface ExecOptions {
  /** Soft timeout: the kernel raises `ExecutionTimeout` and keeps its state. Default: the configured one (60000). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ContainerInfo {
  id: string;
  name: string;
  /** Milliseconds since the epoch, like `lastActiveAt` and `expiresAt`. */
  createdAt: number;
  lastActiveAt: number;
  /** When the container is destroyed if nothing touches it before. */
  expiresAt: number;
  ttlMinutes: number;
  status: 'running';
}

export interface ContainerFile {
  /** Stable for as long as the file exists at this path. */
  id: string;
  /** Absolute inside the container: `/mnt/data/<name>`. */
  path: string;
  bytes: number;
  /** When the service first saw the file (ms since the epoch). */
  createdAt: number;
  /** `user` for uploads, `sandbox` for files the code wrote. */
  source: 'user' | 'sandbox';
}

export interface ExecutionError {
  /** The exception's class, e.g. `ZeroDivisionError`, `ExecutionTimeout`, or `KernelDied` when the process ended. */
  name: string;
  value: string;
  /** Only the user's frames (`<cell>`), never the kernel's. Empty for `KernelDied`. */
  traceback: string;
}

export interface Execution {
  stdout: string;
  stderr: string;
  /** `repr()` of the cell's last expression, like a notebook; `null` when it was a statement or `None`. */
  result: string | null;
  /** The exception the code raised, as data; `null` when it ran to the end. */
  error: ExecutionError | null;
  /** Files created or changed under `/mnt/data` by this call (also when it was killed). */
  files: ContainerFile[];
  /** The soft timeout fired (`error.name` is `ExecutionTimeout`, or `KernelDied` when the hard kill followed). */
  timedOut: boolean;
  /** The kernel was SIGKILLed after the grace period (or because the reply broke the protocol). */
  killed: boolean;
  /** The kernel is gone (killed or died): variables and imports are lost, the next call starts a new one. */
  restarted: boolean;
  /** stdout, stderr, the result or the traceback was cut at the output cap. */
  truncated: boolean;
  durationMs: number;
}
