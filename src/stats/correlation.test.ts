import { describe, expect, it } from 'vitest';
import { fisherZInterval, pearson, pointBiserial, spearman } from './correlation.ts';
import { expectNear } from './testing.ts';

const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const y = [2.1, 2.9, 3.2, 3.2, 4.8, 5.1, 4.9, 6.3, 6.0, 7.7, 7.2, 8.9];
const x2 = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];
const y2 = [2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5];

describe('pearson', () => {
  it('matches scipy.stats.pearsonr', () => {
    const strong = pearson(x, y);
    expectNear(strong.r, 0.9759229229819163); // pearsonr(x, y)[0]
    expectNear(strong.p, 6.120141340496172e-8, 1e-6); // pearsonr(x, y)[1]
    const weak = pearson(x2, y2);
    expectNear(weak.r, 0.09979900759721551); // pearsonr(x2, y2)
    expectNear(weak.p, 0.7576332870187428, 1e-8);
  });

  it('uses pairwise-complete observations', () => {
    const result = pearson([...x, Number.NaN, 4], [...y, 3, Number.NaN]);
    expect(result.n).toBe(12);
    expectNear(result.r, 0.9759229229819163);
  });

  it('returns r = 0, p = 1 for too few points or a constant variable', () => {
    expect(pearson([1, 2], [3, 4])).toEqual({ r: 0, n: 2, p: 1 });
    expect(pearson([1, 2, 3, 4], [5, 5, 5, 5])).toEqual({ r: 0, n: 4, p: 1 });
    expect(pearson([], [])).toEqual({ r: 0, n: 0, p: 1 });
    expect(pearson([0.1, 0.1, 0.1], [1, 2, 3]).p).toBe(1);
  });

  it('gives p = 0 for a perfect line', () => {
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8])).toEqual({ r: 1, n: 4, p: 0 });
  });
});

describe('spearman', () => {
  it('matches scipy.stats.spearmanr, including ties', () => {
    const strong = spearman(x, y);
    expectNear(strong.rho, 0.9772344233319931); // spearmanr(x, y)
    expectNear(strong.p, 4.635469762685387e-8, 1e-6);
    const tied = spearman(x2, y2);
    expectNear(tied.rho, 0.1415796863640157); // spearmanr(x2, y2)
    expectNear(tied.p, 0.6607268292868229, 1e-8);
  });

  it('returns rho = 0, p = 1 for degenerate input', () => {
    expect(spearman([1, 1, 1, 1], [1, 2, 3, 4]).p).toBe(1);
    expect(spearman([1], [2]).p).toBe(1);
  });
});

describe('pointBiserial', () => {
  it('equals Pearson on a 0/1 indicator', () => {
    const group = [true, false, true, true, false, false, true, false];
    const values = [5, 3, 6, 7, 2, 4, 6, 3];
    const expected = pearson(
      group.map((g) => (g ? 1 : 0)),
      values,
    );
    expect(pointBiserial(group, values)).toEqual(expected);
    expect(expected.r).toBeGreaterThan(0);
  });
});

describe('fisherZInterval', () => {
  it('matches tanh(atanh(r) ± z/√(n−3))', () => {
    const { lower, upper } = fisherZInterval(0.6, 30);
    expectNear(lower, 0.30584206780820467); // numpy.tanh(numpy.arctanh(0.6) - norm.ppf(0.975)/sqrt(27))
    expectNear(upper, 0.7895901951336388);
  });

  it('is uninformative for tiny n and stays finite at |r| = 1', () => {
    expect(fisherZInterval(0.5, 3)).toEqual({ lower: -1, upper: 1 });
    expect(fisherZInterval(Number.NaN, 30)).toEqual({ lower: -1, upper: 1 });
    expect(fisherZInterval(1, 30)).toEqual({ lower: 1, upper: 1 });
  });
});
