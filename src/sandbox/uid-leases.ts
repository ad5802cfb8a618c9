import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isAlive, processesOfUid } from './host-processes.ts';

/** Host uids per service: start … start + UID_RANGE_SIZE - 1. */
export const UID_RANGE_SIZE = 10_000;

/**
 * One host uid per container, leased host-wide: RLIMIT_NPROC counts processes per uid across every
 * sandbox, so two containers (or the server and `datastory doctor`) sharing one would starve each
 * other. A lease is a file holding the owner's pid; a dead owner's lease is taken over. Uids are
 * handed out round-robin and skipped while any process of theirs is alive (a killed sandbox takes
 * ~2 s to be reaped), so a fresh container never inherits a dying one's process count.
 */
export class UidLeases {
  private readonly held = new Set<number>();
  private next = 0;

  constructor(
    private readonly start: number,
    readonly directory: string = defaultLeaseDirectory(),
  ) {}

  async acquire(): Promise<number | null> {
    await fs.promises.mkdir(this.directory, { recursive: true, mode: 0o700 });
    for (let tried = 0; tried < UID_RANGE_SIZE; tried++) {
      const uid = this.start + ((this.next + tried) % UID_RANGE_SIZE);
      if (this.held.has(uid) || !this.tryLease(uid)) continue;
      if ((await processesOfUid(uid)).length > 0) {
        this.unlease(uid);
        continue;
      }
      this.next = (this.next + tried + 1) % UID_RANGE_SIZE;
      this.held.add(uid);
      return uid;
    }
    return null;
  }

  release(uid: number): void {
    if (this.held.delete(uid)) this.unlease(uid);
  }

  releaseAll(): void {
    for (const uid of [...this.held]) this.release(uid);
  }

  private file(uid: number) {
    return path.join(this.directory, String(uid));
  }

  private tryLease(uid: number): boolean {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(this.file(uid), String(process.pid), { flag: 'wx', mode: 0o600 });
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number(readOrEmpty(this.file(uid)));
        if (owner && isAlive(owner)) return false;
        fs.rmSync(this.file(uid), { force: true }); // the owner died without releasing
      }
    }
    return false;
  }

  private unlease(uid: number) {
    if (readOrEmpty(this.file(uid)) === String(process.pid)) fs.rmSync(this.file(uid), { force: true });
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function defaultLeaseDirectory(): string {
  try {
    fs.accessSync('/run', fs.constants.W_OK);
    return '/run/datastory/uid-leases';
  } catch {
    return path.join(os.tmpdir(), 'datastory-uid-leases');
  }
}
