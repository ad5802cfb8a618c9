import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isAlive } from './host-processes.ts';

/**
 * Per-container memory + pids cgroups, where the host lets us make them. RLIMIT_AS is per process, so
 * only a cgroup bounds the sum (multiprocessing workers, tmpfs pages). Measured: this machine has the
 * cgroup v1 controllers (writable as root) and a v2 mount without controllers. We nest under our own
 * cgroup (`<own>/datastory-<pid>-<tag>/<container>`), so limits only ever tighten what we already have.
 * cgroup v2 needs a delegated subtree (systemd `Delegate=yes`); without one we report it and rely on
 * rlimits + the per-container uid + wall-clock timeouts.
 */
export interface CgroupSupport {
  kind: 'v1' | 'none';
  /** Human-readable: what is used, or why nothing is. */
  detail: string;
}

export interface ContainerCgroup {
  /** `cgroup.procs` files the launcher writes its pid to. */
  procs: string[];
  /** The memory cgroup OOM-killed a process (v1 `memory.oom_control`: `oom_kill N`). */
  oomKilled(): boolean;
  remove(): Promise<void>;
}

interface V1Paths {
  memory: string;
  pids: string;
}

export class Cgroups {
  readonly support: CgroupSupport;
  private readonly base: V1Paths | null;
  private parentsMade = false;

  constructor(mode: 'auto' | 'off') {
    if (mode === 'off') {
      this.support = { kind: 'none', detail: 'off (DATASTORY_SANDBOX_CGROUPS=off)' };
      this.base = null;
      return;
    }
    const found = findV1();
    this.base = 'memory' in found ? found : null;
    this.support =
      'memory' in found
        ? { kind: 'v1', detail: `cgroup v1 memory + pids under ${found.memory} and ${found.pids}` }
        : { kind: 'none', detail: found.reason };
    if (this.base) removeStaleGroups(this.base);
  }

  /** A group for one container, or `null` when cgroups are not in use. */
  create(name: string, limits: { memoryBytes: number; maxProcesses: number }): ContainerCgroup | null {
    if (!this.base) return null;
    const { memory, pids } = this.base;
    if (!this.parentsMade) {
      fs.mkdirSync(memory, { recursive: true });
      fs.mkdirSync(pids, { recursive: true });
      this.parentsMade = true;
    }
    const memoryDir = path.join(memory, name);
    const pidsDir = path.join(pids, name);
    fs.mkdirSync(memoryDir);
    fs.mkdirSync(pidsDir);
    fs.writeFileSync(path.join(memoryDir, 'memory.limit_in_bytes'), String(limits.memoryBytes));
    // No swap either (the file exists only when swap accounting is on).
    writeIfExists(path.join(memoryDir, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
    fs.writeFileSync(path.join(pidsDir, 'pids.max'), String(limits.maxProcesses));
    return {
      procs: [path.join(memoryDir, 'cgroup.procs'), path.join(pidsDir, 'cgroup.procs')],
      oomKilled: () => /oom_kill [1-9]/.test(readOrEmpty(path.join(memoryDir, 'memory.oom_control'))),
      remove: () => removeWhenEmpty([memoryDir, pidsDir]),
    };
  }

  /** Removes this service's parent groups (their children are removed with their containers). */
  async close(): Promise<void> {
    if (this.base && this.parentsMade) await removeWhenEmpty([this.base.memory, this.base.pids]);
  }
}

function findV1(): V1Paths | { reason: string } {
  const own = new Map<string, string>();
  for (const line of readOrEmpty('/proc/self/cgroup').split('\n')) {
    const [, controllers, where] = line.split(':');
    if (controllers && where) for (const controller of controllers.split(',')) own.set(controller, where);
  }
  const memory = own.get('memory');
  const pids = own.get('pids');
  if (memory === undefined || pids === undefined) {
    return {
      reason: own.has('')
        ? 'cgroup v2 only, and no delegated subtree: limits rely on rlimits + the per-container uid'
        : 'no cgroup v1 memory/pids controllers: limits rely on rlimits + the per-container uid',
    };
  }
  const memoryDir = path.join('/sys/fs/cgroup/memory', memory);
  const pidsDir = path.join('/sys/fs/cgroup/pids', pids);
  try {
    fs.accessSync(path.join(memoryDir, 'memory.limit_in_bytes'), fs.constants.W_OK);
    fs.accessSync(path.join(pidsDir, 'cgroup.procs'), fs.constants.W_OK);
  } catch {
    return { reason: `cgroup v1 controllers are present but not writable by us (${memoryDir}, ${pidsDir})` };
  }
  // One parent per service instance (tests run several in one process).
  const name = `datastory-${process.pid}-${randomBytes(3).toString('hex')}`;
  return { memory: path.join(memoryDir, name), pids: path.join(pidsDir, name) };
}

/** Groups left by a datastory process that died without cleaning up (empty groups only: rmdir refuses others). */
function removeStaleGroups(base: V1Paths) {
  for (const own of [base.memory, base.pids]) {
    const parent = path.dirname(own);
    for (const entry of safeReaddir(parent)) {
      const pid = /^datastory-(\d+)-[0-9a-f]+$/.exec(entry)?.[1];
      if (!pid || isAlive(Number(pid))) continue;
      const dir = path.join(parent, entry);
      for (const child of safeReaddir(dir)) rmdirQuietly(path.join(dir, child));
      rmdirQuietly(dir);
    }
  }
}

/** rmdir, retrying while the killed tree finishes exiting (up to ~5 s, in the background of the caller). */
async function removeWhenEmpty(dirs: string[]): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const left = dirs.filter((dir) => fs.existsSync(dir) && !rmdirQuietly(dir));
    if (left.length === 0) return;
    dirs = left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function rmdirQuietly(dir: string): boolean {
  try {
    fs.rmdirSync(dir);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).filter((entry) => fs.statSync(path.join(dir, entry)).isDirectory());
  } catch {
    return [];
  }
}

function writeIfExists(file: string, value: string) {
  if (fs.existsSync(file)) fs.writeFileSync(file, value);
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
