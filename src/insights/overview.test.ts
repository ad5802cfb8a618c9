import { describe, expect, it } from 'vitest';
import { largestMove } from './overview.ts';

describe('largestMove', () => {
  it('finds the deepest fall from an earlier high and the largest rise from an earlier low', () => {
    const prices = [100, 120, 90, 150, 75, 80, 130];
    expect(largestMove(prices, 'fall')).toEqual({ from: 3, to: 4, pct: -50 });
    expect(largestMove(prices, 'rise')).toMatchObject({ from: 4, to: 6 });
    expect(largestMove(prices, 'rise')!.pct).toBeCloseTo(73.33, 2);
  });

  it('is null for a series that never moves that way', () => {
    expect(largestMove([1, 2, 3], 'fall')).toBeNull();
    expect(largestMove([3, 2, 1], 'rise')).toBeNull();
  });
});
