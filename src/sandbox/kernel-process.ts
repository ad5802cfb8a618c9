import { type ChildProcess, spawn } from 'node:child_process';
import type { SandboxCommand } from './command.ts';

/** What the kernel answers for one cell (see kernel.py). */
export interface KernelReply {
  stdout: string;
  stderr: string;
  result: string | null;
  error: { name: string; value: string; traceback: string } | null;
  timedOut: boolean;
  truncated: boolean;
}

export type KernelOutcome =
  | { kind: 'reply'; reply: KernelReply }
  /** The process is gone; `reason` is said to the user (it goes into a `KernelDied` error). */
  | { kind: 'died'; reason: string; killed: boolean; timedOut: boolean };

export interface RunOptions {
  /** Soft timeout, enforced inside the kernel (ExecutionTimeout, state kept). */
  timeoutMs: number;
  /** Extra time after the soft timeout before SIGKILL of the whole sandbox. */
  graceMs: number;
  /** Bytes of stdout / stderr / result kept per execution. */
  outputCapBytes: number;
  signal?: AbortSignal | undefined;
}

type KillReason = 'timeout' | 'aborted' | 'protocol' | 'shutdown';

const STARTUP_TIMEOUT_MS = 30_000;
const STDERR_KEPT_BYTES = 64 * 1024;

/**
 * One sandboxed Python kernel: spawns the launcher with an empty environment in its own process
 * group, speaks JSON lines, runs one cell at a time, and SIGKILLs the group when a cell outlives its
 * soft timeout plus the grace period. Every line from the kernel is untrusted (user code can write
 * to the reply fd): lines are size-capped, parsed defensively and matched by request id.
 */
export class KernelProcess {
  readonly ready: Promise<{ python: string }>;
  private readonly child: ChildProcess;
  private exited = false;
  private readonly exitPromise: Promise<void>;
  private killReason: KillReason | null = null;
  private stderrTail = '';
  private pendingLine: Buffer[] = [];
  private pendingBytes = 0;
  private onLine: ((line: string) => void) | null = null;
  private readonly onExit = new Set<() => void>();
  private exitCode: number | null = null;
  private exitSignal: NodeJS.Signals | null = null;
  private nextId = 1;
  private busy = false;

  /**
   * @param describeDeath how an unexpected exit is worded (e.g. "out of memory" from the cgroup), given the code/signal.
   */
  constructor(
    command: SandboxCommand,
    private readonly maxLineBytes: number,
    private readonly describeDeath: (code: number | null, signal: NodeJS.Signals | null) => string,
  ) {
    this.child = spawn(command.file, command.args, {
      env: {}, // NOT process.env: bwrap's pid 1 keeps its environment readable in /proc/1/environ
      cwd: '/',
      detached: true, // own process group: kill(-pid) reaches the whole launcher chain
      stdio: ['pipe', 'pipe', 'pipe', ...command.extraFds.map(() => 'pipe' as const)],
    });
    // EPIPE/ECONNRESET on a pipe of a dying kernel must never crash the service.
    for (const stream of this.child.stdio) stream?.on('error', () => {});
    command.extraFds.forEach((content, index) => {
      const stream = this.child.stdio[3 + index] as NodeJS.WritableStream | null;
      stream?.end(content);
    });
    this.child.stdout?.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_KEPT_BYTES);
    });
    this.exitPromise = new Promise((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.exited) return;
        this.exited = true;
        this.exitCode = code;
        this.exitSignal = signal;
        for (const listener of this.onExit) listener();
        this.onExit.clear();
        resolve();
      };
      this.child.once('exit', finish);
      this.child.once('error', (error) => {
        this.stderrTail += `\n${error.message}`;
        finish(null, null);
      });
    });
    this.ready = this.waitForReady();
    this.ready.catch(() => {});
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return !this.exited && this.killReason === null;
  }

  /** The kernel's stderr outside executions (import errors, crashes), last 64 KiB. */
  get diagnostics(): string {
    return this.stderrTail.trim();
  }

  /** Runs one cell. Resolves with the reply, or with `died` when the process ended; rejects only on abort. */
  async run(code: string, options: RunOptions): Promise<KernelOutcome> {
    if (this.busy) throw new Error('one execution at a time per kernel');
    options.signal?.throwIfAborted();
    await this.ready;
    if (!this.alive) return this.death();
    this.busy = true;
    const id = this.nextId++;
    const timers: NodeJS.Timeout[] = [];
    let abortListener: (() => void) | undefined;
    let exitListener: (() => void) | undefined;
    try {
      return await new Promise<KernelOutcome>((resolve, reject) => {
        this.onLine = (line) => {
          const reply = parseReply(line, id);
          if (reply) resolve({ kind: 'reply', reply });
        };
        exitListener = () => resolve(this.death());
        this.onExit.add(exitListener);
        timers.push(setTimeout(() => void this.kill('timeout'), options.timeoutMs + options.graceMs));
        if (options.signal) {
          const signal = options.signal;
          abortListener = () => {
            void this.kill('aborted');
            reject(signal.reason);
          };
          signal.addEventListener('abort', abortListener, { once: true });
        }
        const request = { id, code, timeout: options.timeoutMs / 1000, output_cap: options.outputCapBytes };
        this.child.stdin?.write(`${JSON.stringify(request)}\n`);
      });
    } finally {
      for (const timer of timers) clearTimeout(timer);
      if (abortListener) options.signal?.removeEventListener('abort', abortListener);
      if (exitListener) this.onExit.delete(exitListener);
      this.onLine = null;
      this.busy = false;
    }
  }

  /** SIGKILLs the whole sandbox and waits for the launcher to exit (its tree follows within milliseconds). */
  async kill(reason: KillReason = 'shutdown'): Promise<void> {
    this.killReason ??= reason;
    if (!this.exited && this.child.pid !== undefined) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await this.exitPromise;
  }

  private death(): KernelOutcome {
    const reason = this.killReason;
    const text =
      reason === 'timeout'
        ? 'killed: it did not stop at the soft timeout and was killed after the grace period (a long C call, or code that ignores the signal)'
        : reason === 'protocol'
          ? 'killed: its reply was larger than allowed or malformed'
          : reason === 'aborted'
            ? 'killed: the execution was cancelled'
            : reason === 'shutdown'
              ? 'killed: the container is shutting down'
              : this.describeDeath(this.exitCode, this.exitSignal);
    return {
      kind: 'died',
      reason: text,
      killed: reason === 'timeout' || reason === 'protocol',
      timedOut: reason === 'timeout',
    };
  }

  private async waitForReady(): Promise<{ python: string }> {
    let timer: NodeJS.Timeout | undefined;
    let exitListener: (() => void) | undefined;
    try {
      return await new Promise((resolve, reject) => {
        this.onLine = (line) => {
          const message = safeParse(line) as { ready?: unknown; python?: unknown } | null;
          if (message?.ready === true) resolve({ python: String(message.python ?? '') });
        };
        exitListener = () =>
          reject(new Error(`the Python kernel did not start: ${this.diagnostics || 'it exited at once'}`));
        this.onExit.add(exitListener);
        timer = setTimeout(() => {
          void this.kill('shutdown');
          reject(new Error(`the Python kernel did not start within ${STARTUP_TIMEOUT_MS} ms`));
        }, STARTUP_TIMEOUT_MS);
      });
    } finally {
      clearTimeout(timer);
      if (exitListener) this.onExit.delete(exitListener);
      this.onLine = null;
    }
  }

  private receive(chunk: Buffer) {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      this.pendingLine.push(chunk.subarray(start, newline));
      const line = Buffer.concat(this.pendingLine).toString('utf8');
      this.pendingLine = [];
      this.pendingBytes = 0;
      start = newline + 1;
      this.onLine?.(line);
    }
    if (start < chunk.length) {
      this.pendingLine.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxLineBytes) {
        this.pendingLine = [];
        this.pendingBytes = 0;
        void this.kill('protocol');
      }
    }
  }
}

function safeParse(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** A well-formed reply to request `id`, or `null` (anything else on the channel is ignored). */
function parseReply(line: string, id: number): KernelReply | null {
  const message = safeParse(line) as Record<string, unknown> | null;
  if (!message || typeof message !== 'object' || message.id !== id) return null;
  if (typeof message.protocol_error === 'string') {
    return {
      stdout: '',
      stderr: '',
      result: null,
      error: { name: 'KernelError', value: message.protocol_error, traceback: '' },
      timedOut: false,
      truncated: false,
    };
  }
  const error = message.error as Record<string, unknown> | null | undefined;
  return {
    stdout: text(message.stdout),
    stderr: text(message.stderr),
    result: typeof message.result === 'string' ? message.result : null,
    error:
      error && typeof error === 'object'
        ? { name: text(error.name) || 'Error', value: text(error.value), traceback: text(error.traceback) }
        : null,
    timedOut: message.timed_out === true,
    truncated: message.truncated === true,
  };
}
