import { describe, expect, it } from 'vitest';
import { mulberry32 } from './random.ts';
import { averageRanks, medianInPlace, tieGroupSizes } from './ranks.ts';

describe('ranks', () => {
  it('gives tied values the average rank like scipy.stats.rankdata', () => {
    expect(averageRanks([10, 20, 10, 30, 20, 20])).toEqual([1.5, 4, 1.5, 6, 4, 4]);
    expect(tieGroupSizes([1, 2, 2, 3, 3, 3]).sort()).toEqual([2, 3]);
  });

  it('selects the same median as sorting', () => {
    const uniform = mulberry32(42);
    for (let run = 0; run < 200; run++) {
      const n = 1 + Math.floor(uniform() * 60);
      const values = Array.from({ length: n }, () => Math.floor(uniform() * 12));
      const sorted = [...values].sort((a, b) => a - b);
      const expected = n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
      expect(medianInPlace(Float64Array.from(values))).toBe(expected);
    }
    expect(medianInPlace(new Float64Array(0))).toBeNaN();
  });
});
