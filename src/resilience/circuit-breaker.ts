import { AppError } from '../errors.ts';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  /** Shown in messages and logs, e.g. "the OpenAI API". */
  name: string;
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call is let through (half-open). */
  cooldownMs: number;
  now?: () => number;
  /** Called on every state change (for logs). */
  onStateChange?: (state: BreakerState, previous: BreakerState) => void;
}

/**
 * A circuit breaker around one upstream: after `failureThreshold` failures in a row it answers at once
 * (503 with Retry-After) instead of making users wait for a dead upstream; after `cooldownMs` one trial
 * call goes through, and its outcome closes or re-opens the circuit.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private current: BreakerState = 'closed';
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.options.cooldownMs) this.move('half_open');
    return this.current;
  }

  /** Throws `AppError('unavailable')` when calls are refused right now; otherwise lets the caller go on. */
  assertCallable(): void {
    const state = this.state;
    if (state === 'closed') return;
    if (state === 'half_open' && !this.trialInFlight) return;
    const waitMs = state === 'open' ? this.options.cooldownMs - (this.now() - this.openedAt) : this.options.cooldownMs;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new AppError(
      'unavailable',
      `${this.options.name} is failing right now, so we stopped sending it requests for a while. Try again in a few minutes (about ${seconds} s).`,
      { retryable: true, retryAfterSeconds: seconds },
    );
  }

  /**
   * Runs one upstream call through the breaker. `isFailure` decides which errors count against the
   * upstream (a 400 for a bad request or an expired container is not the upstream being down).
   */
  async run<T>(call: () => Promise<T>, isFailure: (error: unknown) => boolean): Promise<T> {
    this.assertCallable();
    const trial = this.current === 'half_open';
    if (trial) this.trialInFlight = true;
    try {
      const result = await call();
      this.recordSuccess();
      return result;
    } catch (error) {
      if (isFailure(error)) this.recordFailure();
      else if (trial) this.move('closed');
      throw error;
    } finally {
      if (trial) this.trialInFlight = false;
    }
  }

  recordSuccess(): void {
    this.failures = 0;
    if (this.current !== 'closed') this.move('closed');
  }

  recordFailure(): void {
    this.failures += 1;
    if (this.current === 'half_open' || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.now();
      if (this.current !== 'open') this.move('open');
    }
  }

  private move(state: BreakerState) {
    const previous = this.current;
    this.current = state;
    if (state === 'closed') this.failures = 0;
    this.options.onStateChange?.(state, previous);
  }
}
