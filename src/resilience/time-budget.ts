/**
 * One deadline shared by every step of an analysis (grounding, upstream calls, downloads), so that the
 * HTTP client's timeout and the retry wait never add up to more than the analysis timeout.
 */
export class TimeBudget {
  private readonly deadline: number;

  constructor(
    readonly totalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.deadline = now() + totalMs;
  }

  /** Milliseconds left (never negative). */
  remainingMs(): number {
    return Math.max(0, this.deadline - this.now());
  }

  /** Whether waiting `ms` and then doing at least `minimumWorkMs` of work still fits. */
  fits(ms: number, minimumWorkMs = 1000): boolean {
    return ms + minimumWorkMs <= this.remainingMs();
  }
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
