export { type BreakerState, CircuitBreaker, type CircuitBreakerOptions } from './circuit-breaker.ts';
export { type RetryDecision, withOneRetry } from './retry.ts';
export { sleep, TimeBudget } from './time-budget.ts';
