/** Where an HTTP-level fault applies. */
export type FaultTarget = 'responses' | 'containers' | 'any';

/**
 * Faults the emulator injects, each for the next `times` matching requests (default 1):
 * HTTP-level (`rate_limit` → 429 + retry-after, `server_error` → 5xx, `hang` → no answer until the
 * client gives up) and model-level on `POST /responses` (`malformed` → prose instead of JSON,
 * `empty` → a completed response with no output, `expire_container` → the request's container
 * expires just before the call, as if the user had waited past the TTL).
 */
export type Fault =
  | { kind: 'rate_limit'; retryAfterSeconds?: number; times?: number; target?: FaultTarget }
  | { kind: 'server_error'; status?: number; times?: number; target?: FaultTarget }
  | { kind: 'hang'; times?: number; target?: FaultTarget }
  | { kind: 'malformed'; times?: number }
  | { kind: 'empty'; times?: number }
  | { kind: 'expire_container'; times?: number };

const httpKinds = new Set(['rate_limit', 'server_error', 'hang']);

export class FaultQueue {
  private readonly faults: (Fault & { left: number })[] = [];

  add(fault: Fault) {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  clear() {
    this.faults.length = 0;
  }

  list(): Fault[] {
    return this.faults.map(({ left, ...fault }) => ({ ...fault, times: left }));
  }

  /** The HTTP-level fault for a request to `target`, consumed. */
  takeHttp(target: 'responses' | 'containers'): Fault | null {
    return this.take((fault) => httpKinds.has(fault.kind) && matches(fault, target));
  }

  /** A model-level fault of `kind` for the next `POST /responses`, consumed. */
  takeModel(kind: 'malformed' | 'empty' | 'expire_container'): Fault | null {
    return this.take((fault) => fault.kind === kind);
  }

  private take(predicate: (fault: Fault) => boolean): Fault | null {
    const index = this.faults.findIndex(predicate);
    if (index < 0) return null;
    const fault = this.faults[index]!;
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(index, 1);
    return fault;
  }
}

function matches(fault: Fault, target: 'responses' | 'containers'): boolean {
  const wanted = 'target' in fault ? (fault.target ?? 'responses') : 'responses';
  return wanted === 'any' || wanted === target;
}
