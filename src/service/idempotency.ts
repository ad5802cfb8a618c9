import { AppError } from '../errors.ts';

interface Entry {
  fingerprint: string;
  result: Promise<unknown>;
  expiresAt: number;
}

/**
 * Repeated requests with the same Idempotency-Key get the first request's result, in flight or done,
 * for `ttlMs`; the work runs once. The same key with a different body is refused.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async run<T>(key: string | undefined, fingerprint: string, work: () => Promise<T>): Promise<T> {
    if (!key) return work();
    this.sweep();
    const existing = this.entries.get(key);
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        throw new AppError(
          'invalid_request',
          'This Idempotency-Key was already used for a different request. Use a new key for a new request.',
        );
      }
      return existing.result as Promise<T>;
    }
    const result = work();
    this.entries.set(key, { fingerprint, result, expiresAt: this.now() + this.ttlMs });
    // A failed attempt must not pin its failure to the key: the client may retry with the same key.
    result.catch(() => this.entries.delete(key));
    return result;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
