import { describe, expect, it } from 'vitest';
import { mad, mean, median, quantile, robustScale, robustZ, skewness, std, summary, variance } from './descriptive.ts';
import { expectNear } from './testing.ts';

const sample = [2.5, 7.1, 3.3, 9.8, 1.2, 5.5, 4.4, 8.0, 6.6];

describe('descriptive statistics', () => {
  it('matches numpy/scipy on a small sample', () => {
    expectNear(mean(sample), 48.4 / 9);
    expectNear(variance(sample), 7.739444444444445); // numpy.var(v, ddof=1)
    expectNear(std(sample), Math.sqrt(7.739444444444445));
    expectNear(quantile(sample, 0.1), 2.24); // numpy.quantile(v, 0.1)
    expectNear(quantile(sample, 0.25), 3.3); // numpy.quantile(v, 0.25)
    expectNear(quantile(sample, 0.9), 8.360000000000001); // numpy.quantile(v, 0.9)
    expectNear(median(sample), 5.5); // numpy.median(v)
    expectNear(mad(sample), 2.2); // scipy.stats.median_abs_deviation(v)
    expectNear(skewness(sample), 0.029506690445548586); // scipy.stats.skew(v)
    expectNear(skewness([1, 1, 2, 2, 3, 4, 7, 15, 40]), 1.9899367603994005); // scipy.stats.skew(...)
  });

  it('ignores non-finite values', () => {
    const dirty = [Number.NaN, ...sample, Number.POSITIVE_INFINITY];
    expect(mean(dirty)).toBe(mean(sample));
    expect(median(dirty)).toBe(median(sample));
    expect(summary(dirty)).toEqual({ n: 9, mean: mean(sample), variance: variance(sample), min: 1.2, max: 9.8 });
  });

  it('returns null or zeros for too-small input instead of NaN', () => {
    expect(mean([])).toBeNull();
    expect(variance([3])).toBeNull();
    expect(std([Number.NaN])).toBeNull();
    expect(median([])).toBeNull();
    expect(quantile([], 0.5)).toBeNull();
    expect(mad([])).toBeNull();
    expect(skewness([1, 2])).toBeNull();
    expect(skewness([4, 4, 4, 4])).toBeNull();
    expect(summary([])).toEqual({ n: 0, mean: 0, variance: 0, min: 0, max: 0 });
    expect(summary([7])).toEqual({ n: 1, mean: 7, variance: 0, min: 7, max: 7 });
  });

  it('computes robust z-scores aligned with the input', () => {
    const z = robustZ([1, 2, 3, 4, 100, Number.NaN]);
    expect(z[5]).toBeNull();
    expectNear(z[2], 0);
    // median 3, MAD 1 → scale 1.4826
    expectNear(z[4], 97 / 1.4826);
  });

  it('falls back when the MAD is zero', () => {
    // MAD = 0 (most values tie): mean absolute deviation 10/6 × 1.2533
    expectNear(robustScale([5, 5, 5, 5, 5, 15]), 1.2533 * (10 / 6));
    expect(robustZ([5, 5, 5, 5])).toEqual([0, 0, 0, 0]);
    expect(robustScale([3])).toBe(0);
  });
});
