import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { type CgroupSupport, Cgroups, type ContainerCgroup } from './cgroups.ts';
import { type SandboxFiles, sandboxCommand } from './command.ts';
import { KernelProcess } from './kernel-process.ts';
import type { SandboxLimits } from './limits.ts';
import { sandboxPrerequisites } from './prerequisites.ts';
import { seccompFilter } from './seccomp.ts';
import { UidLeases } from './uid-leases.ts';

export interface SandboxOptions {
  limits: SandboxLimits;
  /** First host uid of the per-container range. */
  uidStart: number;
  cgroups: 'auto' | 'off';
  /** Output cap per stream; bounds the size of a reply line. */
  outputCapBytes: number;
  /** Where uid leases live (host-wide). Default `/run/datastory/uid-leases`. */
  leaseDirectory?: string;
}

export interface SandboxStatus {
  /** `false`: code execution is disabled, `problems` say why. Never a fallback to unsandboxed code. */
  available: boolean;
  problems: string[];
  /** `on`, or why not (the namespaces still isolate without it). */
  seccomp: string;
  cgroups: CgroupSupport;
  python: string | null;
  libraries: Record<string, string>;
  /** How long the self-test sandbox took, start to exit. */
  selfTestMs: number | null;
}

/** One container's place in the sandbox: its host uid and (when available) its cgroup. */
export interface SandboxSeat {
  uid: number;
  cgroup: ContainerCgroup | null;
}

const ALLOWED_ENVIRONMENT = new Set([
  'PATH',
  'HOME',
  'LANG',
  'MPLBACKEND',
  'MPLCONFIGDIR',
  'OPENBLAS_NUM_THREADS',
  'OMP_NUM_THREADS',
  'PWD',
]);

/**
 * The sandbox on this host: checks what it needs once (tools, privileges, namespaces, a real self-test
 * run), then launches kernels, each as its container's own uid inside bubblewrap.
 */
export class Sandbox {
  private prepared: Promise<SandboxStatus> | null = null;
  private files: SandboxFiles | null = null;
  private cgroups: Cgroups | null = null;
  private readonly leases: UidLeases;
  private readonly kernelProgram = readSibling('kernel.py');

  constructor(readonly options: SandboxOptions) {
    this.leases = new UidLeases(options.uidStart, options.leaseDirectory);
  }

  /** Prepared once (≈0.5 s: one sandbox run); later calls share the answer. */
  status(): Promise<SandboxStatus> {
    this.prepared ??= this.prepare().catch((error: Error) =>
      unavailable([`the sandbox could not be prepared: ${error.message}`]),
    );
    return this.prepared;
  }

  /** A uid (and cgroup) for a container; `null` when every uid of the range is taken. */
  async seat(name: string): Promise<SandboxSeat | null> {
    const uid = await this.leases.acquire();
    if (uid === null) return null;
    try {
      const cgroup = this.cgroups?.create(name, this.options.limits) ?? null;
      return { uid, cgroup };
    } catch (error) {
      this.leases.release(uid);
      throw error;
    }
  }

  async releaseSeat(seat: SandboxSeat): Promise<void> {
    await seat.cgroup?.remove();
    this.leases.release(seat.uid);
  }

  /** Starts a kernel for `seat` with `dataDir` at /mnt/data. Await `kernel.ready` before using it. */
  startKernel(seat: SandboxSeat, dataDir: string): KernelProcess {
    if (!this.files) throw new Error('the sandbox is not prepared');
    const command = sandboxCommand({
      uid: seat.uid,
      dataDir,
      limits: this.options.limits,
      files: this.files,
      cgroupProcs: seat.cgroup?.procs ?? [],
    });
    // A reply holds three capped texts; JSON escaping can grow each to 6× (\u0000), plus some slack.
    const maxLineBytes = 18 * this.options.outputCapBytes + 256 * 1024;
    return new KernelProcess(command, maxLineBytes, (code, signal) => {
      if (seat.cgroup?.oomKilled()) {
        return `killed: out of memory (the container's limit is ${Math.round(this.options.limits.memoryBytes / 1024 / 1024)} MB)`;
      }
      if (signal) return `killed by ${signal}`;
      if (code === 137) return 'killed (SIGKILL: out of memory or out of its CPU-time budget)';
      return `exited with code ${code}`;
    });
  }

  async close(): Promise<void> {
    this.leases.releaseAll();
    await this.cgroups?.close();
  }

  private async prepare(): Promise<SandboxStatus> {
    const seccomp = seccompFilter();
    const status = unavailable(sandboxPrerequisites());
    status.seccomp = seccomp ? 'on' : `off: no syscall table for ${process.arch} (the namespaces still isolate)`;
    if (status.problems.length > 0) return status;
    this.cgroups = new Cgroups(this.options.cgroups);
    status.cgroups = this.cgroups.support;
    const started = performance.now();
    let report: SelfTestReport;
    try {
      report = await this.selfTest({ program: readSibling('self-test.py'), seccomp, fontCache: null });
    } catch (error) {
      status.problems.push(`bubblewrap could not start a sandbox: ${(error as Error).message}`);
      return status;
    }
    status.selfTestMs = Math.round(performance.now() - started);
    status.python = report.python;
    status.libraries = report.libraries;
    status.problems.push(...isolationProblems(report, seccomp !== null));
    this.files = { program: this.kernelProgram, seccomp, fontCache: report.font_cache };
    status.available = status.problems.length === 0;
    return status;
  }

  private async selfTest(files: SandboxFiles): Promise<SelfTestReport> {
    const seat = await this.seat(`self-test-${randomBytes(4).toString('hex')}`);
    if (!seat) throw new Error('no free host uid');
    try {
      const command = sandboxCommand({
        uid: seat.uid,
        dataDir: null,
        limits: this.options.limits,
        files,
        cgroupProcs: seat.cgroup?.procs ?? [],
      });
      const { code, stdout, stderr } = await runToEnd(command, 30_000);
      if (code !== 0) throw new Error(stderr.trim().split('\n').slice(-3).join(' ') || `exit code ${code}`);
      return JSON.parse(stdout) as SelfTestReport;
    } finally {
      await this.releaseSeat(seat);
    }
  }
}

function unavailable(problems: string[]): SandboxStatus {
  return {
    available: false,
    problems,
    seccomp: 'not checked',
    cgroups: { kind: 'none', detail: 'not checked' },
    python: null,
    libraries: {},
    selfTestMs: null,
  };
}

interface SelfTestReport {
  python: string;
  libraries: Record<string, string>;
  missing: string[];
  pid1_environ: string;
  environ: string[];
  interfaces: string[];
  inet_socket: string;
  font_cache: { fileName: string; json: string } | null;
}

/** Anything the self-test saw that means the sandbox does not isolate as designed. */
function isolationProblems(report: SelfTestReport, seccomp: boolean): string[] {
  const problems: string[] = [];
  const debianPackage: Record<string, string> = {
    numpy: 'python3-numpy',
    pandas: 'python3-pandas',
    matplotlib: 'python3-matplotlib',
  };
  for (const missing of report.missing) {
    const name = missing.split(':')[0] ?? missing;
    problems.push(
      `${name} cannot be imported (${missing}): apt-get install ${debianPackage[name] ?? `python3-${name}`}`,
    );
  }
  if (report.pid1_environ !== '') problems.push('the host environment leaks into the sandbox (/proc/1/environ)');
  const leaked = report.environ.filter((name) => !ALLOWED_ENVIRONMENT.has(name));
  if (leaked.length > 0) problems.push(`unexpected environment variables in the sandbox: ${leaked.join(', ')}`);
  if (report.interfaces.some((name) => name !== 'lo')) {
    problems.push(`the sandbox sees network interfaces: ${report.interfaces.join(', ')}`);
  }
  if (seccomp && report.inet_socket === 'allowed') problems.push('the seccomp filter did not block AF_INET sockets');
  return problems;
}

/** Runs a sandbox command that is not a kernel; collects its output (capped at 8 MiB). */
function runToEnd(
  command: ReturnType<typeof sandboxCommand>,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.file, command.args, {
      env: {},
      cwd: '/',
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', ...command.extraFds.map(() => 'pipe' as const)],
    });
    for (const stream of child.stdio) stream?.on('error', () => {});
    for (const [index, content] of command.extraFds.entries()) {
      (child.stdio[3 + index] as NodeJS.WritableStream | null)?.end(content);
    }
    const output = { stdout: '', stderr: '' };
    const keep = (key: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (output[key].length < 8 * 1024 * 1024) output[key] += chunk.toString('utf8');
    };
    child.stdout?.on('data', keep('stdout'));
    child.stderr?.on('data', keep('stderr'));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ...output });
    });
  });
}

function readSibling(name: string): string {
  return fs.readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
}
