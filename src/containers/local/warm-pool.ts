import type { KernelProcess } from '../../sandbox/kernel-process.ts';
import type { SandboxSeat } from '../../sandbox/sandbox.ts';

/** A kernel started ahead of time with its own directory and seat: a container waiting for a name. */
export interface WarmKernel {
  id: string;
  root: string;
  seat: SandboxSeat;
  kernel: KernelProcess;
}

/**
 * Keeps `size` kernels started, so a new container's first execution does not wait for the imports
 * (≈0.3–0.6 s here). A kernel is bound to its directory when it starts (bwrap binds /mnt/data at
 * launch), so the pool hands out whole containers-to-be. Refills in the background after each take;
 * after a failed start it waits for the next take instead of retrying in a loop.
 */
export class WarmPool {
  private readonly idle: WarmKernel[] = [];
  private readonly starting = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly size: number,
    private readonly start: () => Promise<WarmKernel | null>,
    private readonly discard: (warm: WarmKernel) => Promise<void>,
  ) {}

  /** A started (or starting) kernel, or `null` when the pool is empty. */
  take(): WarmKernel | null {
    let warm = this.idle.shift();
    while (warm && !warm.kernel.alive) {
      void this.discard(warm);
      warm = this.idle.shift();
    }
    this.refill();
    return warm ?? null;
  }

  refill(): void {
    while (!this.closed && this.idle.length + this.starting.size < this.size) {
      const starting: Promise<void> = this.startOne().finally(() => this.starting.delete(starting));
      this.starting.add(starting);
    }
  }

  private async startOne(): Promise<void> {
    let warm: WarmKernel | null = null;
    try {
      warm = await this.start();
      if (!warm) return;
      await warm.kernel.ready;
      if (this.closed) throw new Error('the pool closed');
      this.idle.push(warm);
    } catch {
      if (warm) await this.discard(warm); // retried on the next take, not in a loop
    }
  }

  get count(): number {
    return this.idle.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.starting);
    await Promise.all(this.idle.splice(0).map((warm) => this.discard(warm)));
  }
}
