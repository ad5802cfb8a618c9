import { expect } from 'vitest';

/** Asserts |actual − expected| ≤ relative·|expected| + absolute (for reference values from scipy). */
export function expectNear(
  actual: number | null | undefined,
  expected: number,
  relative = 1e-9,
  absolute = 1e-12,
): void {
  expect(actual).toBeTypeOf('number');
  const tolerance = relative * Math.abs(expected) + absolute;
  expect(Math.abs((actual as number) - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}
