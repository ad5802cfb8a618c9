import { describe, expect, it } from 'vitest';
import { bestMeanShift, pettitt } from './changepoint.ts';
import { mulberry32, normalGenerator } from './random.ts';
import { expectNear } from './testing.ts';

function noise(seed: number, n: number): number[] {
  const gaussian = normalGenerator(mulberry32(seed));
  return Array.from({ length: n }, () => gaussian());
}

describe('bestMeanShift', () => {
  it('finds a planted 2σ step at the right index (±2) with p < 1e-6', () => {
    let located = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const y = noise(seed, 100).map((v, i) => 10 + v + (i >= 60 ? 2 : 0));
      const shift = bestMeanShift(y)!;
      if (Math.abs(shift.index - 60) <= 2) located++;
      expect(Math.abs(shift.index - 60)).toBeLessThanOrEqual(5);
      expect(shift.p).toBeLessThan(1e-6);
      expect(shift.meanAfter - shift.meanBefore).toBeGreaterThan(1.3);
      expect(shift.effect).toBeGreaterThan(1.3);
      expect(shift.candidates).toBe(81); // splits 10..90 with minSegment 10
    }
    expect(located).toBeGreaterThanOrEqual(18);
  });

  it('makes no step of a few points that happen to lie close together (pooled variance under no change)', () => {
    // Two years of one city's monthly mean rain drawn by chance: five quiet months first (sd 0.1), then
    // nineteen around 1.27 (sd 0.34). Welch's t alone read it as a shift (p 0.0009 after the search).
    const rain = [
      0.81, 0.78, 0.67, 0.93, 0.89, 1.82, 0.98, 1.59, 0.83, 1.84, 1.17, 1.08, 1.63, 1.4, 1.38, 1.1, 1.2, 1.02, 1.51,
      1.13, 1.44, 0.71, 0.8, 1.45,
    ];
    expect(bestMeanShift(rain, { minSegment: 3 })!.p).toBeGreaterThan(0.05);
  });

  it('locates a 3σ step exactly enough in every seeded run', () => {
    for (let seed = 101; seed <= 120; seed++) {
      const y = noise(seed, 60).map((v, i) => v + (i >= 25 ? 3 : 0));
      const shift = bestMeanShift(y)!;
      expect(Math.abs(shift.index - 25)).toBeLessThanOrEqual(2);
      expect(shift.p).toBeLessThan(1e-6);
    }
  });

  it('reports the index in input coordinates when values are missing', () => {
    const y = [1, 1.1, Number.NaN, 0.9, 1, 1.2, 0.8, 5, 5.1, 4.9, 5.2, 5, 4.8];
    const shift = bestMeanShift(y)!;
    expect(shift.index).toBe(7);
    expect(shift.t).toBeGreaterThan(0);
  });

  it('treats a noise-free step as exact and a constant series as no shift', () => {
    const exact = bestMeanShift([2, 2, 2, 2, 2, 7, 7, 7, 7, 7])!;
    expect([exact.index, exact.p, exact.t]).toEqual([5, 0, Number.POSITIVE_INFINITY]);
    expect(bestMeanShift([3, 3, 3, 3, 3, 3, 3, 3])).toBeNull();
  });

  it('returns null when the series is too short for two segments', () => {
    expect(bestMeanShift([])).toBeNull();
    expect(bestMeanShift([1, 2, 3, 4, 5])).toBeNull();
    expect(bestMeanShift([1, 2, 3, 4], { minSegment: 3 })).toBeNull();
  });

  it('discounts autocorrelated wandering (a random walk is not a level shift)', () => {
    const gaussian = normalGenerator(mulberry32(3));
    let flagged = 0;
    let flaggedUnadjusted = 0;
    for (let run = 0; run < 100; run++) {
      let level = 0;
      const walk = Array.from({ length: 100 }, () => (level += gaussian()));
      if (bestMeanShift(walk)!.p < 0.05) flagged++;
      if (bestMeanShift(walk, { adjustForAutocorrelation: false })!.p < 0.05) flaggedUnadjusted++;
    }
    expect(flaggedUnadjusted).toBeGreaterThan(90);
    expect(flagged).toBeLessThan(25);
  });
});

describe('pettitt', () => {
  it('matches the O(n²) definition and its approximate p', () => {
    const y = [1.2, 0.8, 1.1, 0.9, 1.3, 1.0, 2.9, 3.1, 2.7, 3.3, 3.0, 2.8];
    const result = pettitt(y)!;
    // By hand in numpy: U_t = Σ_{i<t≤j} sign(x_i − x_j), K = max|U_t| at t = 6
    expect(result.index).toBe(6);
    expect(result.k).toBe(36);
    expect(result.u).toBe(-36);
    expectNear(result.p, 0.03140780113025614); // min(1, 2·exp(−6K²/(n³+n²)))
  });

  it('handles degenerate input', () => {
    expect(pettitt([1, 2])).toBeNull();
    expect(pettitt([4, 4, 4, 4])?.p).toBe(1);
    expect(pettitt([Number.NaN, 1, 2, 3])?.index).toBeGreaterThan(0);
  });
});
