import { describe, expect, it } from 'vitest';
import {
  chiSquareSf,
  fSf,
  normalCdf,
  normalQuantile,
  normalSf,
  poissonAtLeast,
  tTwoSidedP,
  twoSidedNormalP,
} from './distributions.ts';
import { expectNear } from './testing.ts';

describe('distributions', () => {
  it('matches scipy tail probabilities', () => {
    expectNear(tTwoSidedP(2.5, 7.3), 0.039650234665600415); // 2*scipy.stats.t.sf(2.5, 7.3)
    expectNear(tTwoSidedP(-2.5, 7.3), 0.039650234665600415);
    expectNear(chiSquareSf(12.3, 4), 0.015254394655769615); // scipy.stats.chi2.sf(12.3, 4)
    expectNear(fSf(4.2, 3, 20), 0.018557419834826214); // scipy.stats.f.sf(4.2, 3, 20)
    expectNear(fSf(200, 3, 40), 4.123382478165148e-24, 1e-6); // scipy.stats.f.sf(200, 3, 40): tail keeps precision
    expectNear(normalSf(10), 7.61985302416047e-24, 1e-9); // scipy.stats.norm.sf(10)
    expectNear(twoSidedNormalP(1.959963984540054), 0.05);
    expectNear(normalCdf(0), 0.5);
  });

  it('inverts the normal CDF', () => {
    expectNear(normalQuantile(0.95), 1.6448536269514722, 1e-14); // scipy.stats.norm.ppf(0.95)
    expectNear(normalQuantile(1e-10), -6.361340902404056, 1e-14); // scipy.stats.norm.ppf(1e-10)
    expectNear(normalQuantile(1e-300), -37.0470962993612, 1e-14); // scipy.stats.norm.ppf(1e-300)
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(2)).toBeNaN();
  });

  it('never returns NaN p-values for invalid input', () => {
    for (const p of [
      tTwoSidedP(Number.NaN, 5),
      tTwoSidedP(2, 0),
      tTwoSidedP(2, Number.NaN),
      chiSquareSf(Number.NaN, 2),
      chiSquareSf(-1, 2),
      chiSquareSf(3, 0),
      fSf(Number.NaN, 1, 2),
      fSf(0, 1, 2),
      fSf(2, 0, 2),
      twoSidedNormalP(Number.NaN),
      normalSf(Number.NaN),
    ]) {
      expect(p).toBe(1);
    }
    expect(tTwoSidedP(Number.POSITIVE_INFINITY, 3)).toBe(0);
    expect(chiSquareSf(Number.POSITIVE_INFINITY, 3)).toBe(0);
    expectNear(tTwoSidedP(1.5, Number.POSITIVE_INFINITY), twoSidedNormalP(1.5));
  });
});

describe('poissonAtLeast', () => {
  it('is the upper tail of a Poisson count', () => {
    // P(X ≥ 1) = 1 − e^−μ; P(X ≥ 2) = 1 − e^−μ(1 + μ).
    expect(poissonAtLeast(1, 0.5)).toBeCloseTo(1 - Math.exp(-0.5), 10);
    expect(poissonAtLeast(2, 3)).toBeCloseTo(1 - Math.exp(-3) * 4, 10);
    expect(poissonAtLeast(0, 3)).toBe(1);
    // 14 empty hours where 11.3 are expected is chance; 6 empty days where 1.6 are expected is not.
    expect(poissonAtLeast(14, 11.3)).toBeGreaterThan(0.2);
    expect(poissonAtLeast(6, 1.56)).toBeLessThan(0.01);
  });
});
