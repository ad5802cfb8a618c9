import { describe, expect, it } from 'vitest';
import { gini, hhi, outstandingFirst, paretoK, topShare } from './concentration.ts';
import { expectNear } from './testing.ts';

describe('gini', () => {
  it('matches Σ(2i − n − 1)x₍ᵢ₎ / (nΣx)', () => {
    expectNear(gini([40, 10, 100, 20, 30]), 0.4); // numpy by hand
    expect(gini([5, 5, 5, 5])).toBe(0);
    expectNear(gini([0, 0, 0, 10]), 0.75); // (n − 1)/n: all in one
  });

  it('returns null when undefined', () => {
    expect(gini([])).toBeNull();
    expect(gini([0, 0])).toBeNull();
    expect(gini([3, -1, 4])).toBeNull();
    expect(gini([Number.NaN, 2, 2])).toBe(0);
  });
});

describe('hhi, topShare and paretoK', () => {
  it('computes shares of the total', () => {
    expectNear(hhi([50, 30, 20]), 0.25 + 0.09 + 0.04);
    expectNear(hhi([0.5, 0.3, 0.2]), 0.38);
    expectNear(topShare([10, 50, 20, 20], 1), 0.5);
    expectNear(topShare([10, 50, 20, 20], 2), 0.7);
    expect(topShare([1, 2], 5)).toBe(1);
    expect(topShare([1, 2], 0)).toBe(0);
    expect(paretoK([10, 50, 20, 20])).toBe(3);
    expect(paretoK([10, 50, 20, 20], 0.5)).toBe(1);
    expect(paretoK([1, 1, 1], 1)).toBe(3);
  });

  it('returns null without a positive total or with negatives', () => {
    expect(hhi([])).toBeNull();
    expect(topShare([0, 0], 1)).toBeNull();
    expect(paretoK([-1, 5])).toBeNull();
  });
});

describe('outstandingFirst (ML.NET OutstandingRankOne)', () => {
  it('accepts a clear leader and matches a numpy port of the rule', () => {
    const result = outstandingFirst([40, 18, 16, 11, 9, 8, 7, 6, 5])!;
    // numpy port: α = Σφv/Σφ² on ranks 2..n (φ = i^−0.7); e1 = v1 − α; mean/RMS of |residuals|
    expect(result.isOutstanding).toBe(true);
    expectNear(result.residual, 10.52068927932898);
    expectNear(result.secondResidual, 0.146644351506513);
    expectNear(result.meanResidual, 0.7973162219052642);
    expectNear(result.rmsResidual, 1.0509300735433222);
    expectNear(result.p, 2.2000132775009923e-20, 1e-6); // 2*norm.sf(|e1 − mean| / rms)
    expectNear(result.ratio12, 40 / 18);
    expect(result.gate).toBe(2.083);
  });

  it('gives a moderate p when the others fit the power law poorly', () => {
    const result = outstandingFirst([40, 15, 14, 13, 12, 11, 3, 2, 1])!;
    expect(result.isOutstanding).toBe(true);
    expectNear(result.p, 0.0027179461059927694, 1e-8);
  });

  it('rejects a leader that is not far ahead (p = 1)', () => {
    const result = outstandingFirst([50, 45, 40, 30, 20])!;
    expect(result.isOutstanding).toBe(false);
    expect(result.p).toBe(1);
    expectNear(result.residual, -26.0821844431468);
  });

  it('uses the stricter gate k = 5.64 when v2/v3 > 10', () => {
    const result = outstandingFirst([1000, 90, 5, 4, 3, 2])!;
    expect(result.gate).toBe(5.64);
    expect(result.isOutstanding).toBe(true);
    expectNear(result.residual, 934.2070051654295);
  });

  it('sorts its input and returns null for too few positive values', () => {
    expect(outstandingFirst([5, 40, 7, 18, 16, 11, 9, 8, 6])).toEqual(
      outstandingFirst([40, 18, 16, 11, 9, 8, 7, 6, 5]),
    );
    expect(outstandingFirst([10, 5])).toBeNull();
    expect(outstandingFirst([10, 5, 0, -2])).toBeNull();
    expect(outstandingFirst([-1, -2, -3])).toBeNull();
    expect(outstandingFirst([])).toBeNull();
  });
});
