import { describe, expect, it } from 'vitest';
import { mean, summary, variance } from './descriptive.ts';
import { expectNear } from './testing.ts';
import {
  chiSquareGoodnessOfFit,
  chiSquareIndependence,
  combineSummaries,
  fisherExactP,
  mannWhitneyU,
  oneWayAnova,
  predictionP,
  twoProportionTest,
  welchTTest,
} from './tests.ts';

const a = [12.1, 14.3, 11.8, 15.2, 13.9, 12.7, 14.8, 13.1];
const b = [10.2, 11.9, 9.8, 12.5, 10.7, 11.1];

describe('predictionP', () => {
  it('is the two-sided t tail of a new value against n earlier ones (scipy: 2·t.sf(3/√1.1, 9) = 0.018769)', () => {
    expectNear(predictionP(3, 1, 10), 0.018_768_522, 1e-6);
    expect(predictionP(-3, 1, 10)).toBeCloseTo(predictionP(3, 1, 10), 12);
    expect(predictionP(0.5, 0, 10)).toBe(0);
    expect(predictionP(0, 0, 10)).toBe(1);
  });
});

describe('welchTTest', () => {
  it('matches scipy.stats.ttest_ind(equal_var=False)', () => {
    const result = welchTTest(summary(a), summary(b));
    expectNear(result.t, 4.0270873512265615); // ttest_ind(a, b, equal_var=False).statistic
    expectNear(result.p, 0.001716168307116295, 1e-8); // .pvalue
    expectNear(result.df, 11.86267104552491); // Welch–Satterthwaite, by hand in numpy
    expectNear(result.cohensD, 2.1081746411795375); // (mean a − mean b) / pooled sd, numpy
  });

  it('returns p = 1 for tiny or constant groups', () => {
    expect(welchTTest(summary([1]), summary(b))).toEqual({ t: 0, df: 0, p: 1, cohensD: 0 });
    expect(welchTTest(summary([]), summary([]))).toEqual({ t: 0, df: 0, p: 1, cohensD: 0 });
    expect(welchTTest(summary([3, 3, 3]), summary([3, 3]))).toEqual({ t: 0, df: 0, p: 1, cohensD: 0 });
  });

  it('treats two constant groups with different means as an exact separation', () => {
    const result = welchTTest(summary([1, 1, 1]), summary([2, 2, 2]));
    expect(result.p).toBe(0);
    expect(result.t).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('oneWayAnova', () => {
  const groups = [
    [4.2, 5.1, 3.9, 4.8, 5.5],
    [6.1, 5.9, 6.8, 7.2],
    [5.0, 4.4, 5.6, 5.2, 4.9, 5.3],
  ];

  it('matches scipy.stats.f_oneway', () => {
    const result = oneWayAnova(groups.map((g) => summary(g)));
    expectNear(result.f, 13.006238532110102); // f_oneway(*groups).statistic
    expectNear(result.p, 0.0009897612564257064, 1e-8); // f_oneway(*groups).pvalue
    expect([result.df1, result.df2]).toEqual([2, 12]);
    expectNear(result.etaSquared, 0.6843141797961073); // SSB / SST by hand
  });

  it('skips empty groups and handles degenerate input', () => {
    const withEmpty = oneWayAnova([...groups.map((g) => summary(g)), summary([])]);
    expectNear(withEmpty.f, 13.006238532110102);
    expect(oneWayAnova([summary([1, 2, 3])]).p).toBe(1);
    expect(oneWayAnova([summary([1]), summary([2])]).p).toBe(1); // no within df
    expect(oneWayAnova([summary([2, 2]), summary([2, 2])]).p).toBe(1);
    expect(oneWayAnova([]).p).toBe(1);
    const exact = oneWayAnova([summary([1, 1]), summary([2, 2])]);
    expect([exact.p, exact.etaSquared]).toEqual([0, 1]);
  });
});

describe('chiSquareIndependence', () => {
  it('matches scipy.stats.chi2_contingency(correction=False) and drops empty rows and columns', () => {
    const result = chiSquareIndependence([
      [20, 15, 5, 0],
      [10, 25, 15, 0],
      [0, 0, 0, 0],
    ]);
    expectNear(result.chi2, 9.843750000000002); // chi2_contingency([[20,15,5],[10,25,15]], correction=False)
    expectNear(result.p, 0.007285457798938984, 1e-8);
    expect(result.df).toBe(2);
    expectNear(result.cramersV, 0.33071891388307384); // sqrt(chi2 / (N·1))
  });

  it('matches scipy on a 2×2 table', () => {
    const result = chiSquareIndependence([
      [12, 5],
      [7, 16],
    ]);
    expectNear(result.chi2, 6.319891801114041); // chi2_contingency([[12,5],[7,16]], correction=False)
    expectNear(result.p, 0.011939091377912247, 1e-8);
    expectNear(result.cramersV, 0.39748873572448695);
  });

  it('returns p = 1 for tables that collapse below 2×2', () => {
    expect(chiSquareIndependence([]).p).toBe(1);
    expect(chiSquareIndependence([[5, 6]]).p).toBe(1);
    expect(
      chiSquareIndependence([
        [5, 0],
        [7, 0],
      ]),
    ).toEqual({ chi2: 0, df: 0, p: 1, cramersV: 0 });
    expect(chiSquareIndependence([[Number.NaN, -3], [2]]).p).toBe(1); // invalid cells count as 0
  });
});

describe('chiSquareGoodnessOfFit', () => {
  it('matches scipy.stats.chisquare', () => {
    const uniform = chiSquareGoodnessOfFit([18, 22, 25, 35]);
    expectNear(uniform.chi2, 6.32); // chisquare([18,22,25,35]).statistic
    expectNear(uniform.p, 0.09703806460956206, 1e-8);
    const weighted = chiSquareGoodnessOfFit([18, 22, 25, 35], [0.1, 0.2, 0.3, 0.4]);
    expectNear(weighted.chi2, 8.058333333333334); // chisquare(..., f_exp=[10,20,30,40])
    expectNear(weighted.p, 0.044821390356359056, 1e-8);
  });

  it('handles degenerate input', () => {
    expect(chiSquareGoodnessOfFit([]).p).toBe(1);
    expect(chiSquareGoodnessOfFit([5]).p).toBe(1);
    expect(chiSquareGoodnessOfFit([0, 0, 0]).p).toBe(1);
    expect(chiSquareGoodnessOfFit([4, 4, 4]).p).toBe(1);
    expect(chiSquareGoodnessOfFit([3, 2], [1, 0]).p).toBe(0);
  });
});

describe('twoProportionTest', () => {
  it('matches the pooled z-test', () => {
    const result = twoProportionTest(45, 200, 30, 210);
    expectNear(result.z, 2.1504697756219544); // (p1−p2)/sqrt(p(1−p)(1/n1+1/n2)), numpy
    expectNear(result.p, 0.03151807425222708, 1e-8); // 2*scipy.stats.norm.sf(z)
    expectNear(result.diff, 45 / 200 - 30 / 210);
    expectNear(result.ratio, 45 / 200 / (30 / 210));
  });

  it('handles empty and extreme groups', () => {
    expect(twoProportionTest(0, 0, 3, 10)).toEqual({ z: 0, p: 1, diff: 0, ratio: null });
    expect(twoProportionTest(0, 10, 0, 12).p).toBe(1);
    expect(twoProportionTest(10, 10, 12, 12).p).toBe(1);
    expect(twoProportionTest(3, 10, 0, 10).ratio).toBeNull();
    expect(twoProportionTest(11, 10, 1, 10).p).toBe(1);
  });

  it('is exact where a cell expects fewer than five (4 credit notes of 76 invoices against 28 of 5,324)', () => {
    // scipy.stats.fisher_exact, two-sided; the z-test's 9e-8 overstated it a thousandfold.
    expectNear(twoProportionTest(4, 76, 28, 5324).p, 0.0009664912139518564, 1e-9);
    expect(twoProportionTest(4, 76, 28, 5324).z).toBeGreaterThan(5);
  });
});

describe('fisherExactP', () => {
  it('matches scipy.stats.fisher_exact (two-sided)', () => {
    expectNear(fisherExactP(3, 10, 1, 10), 0.5820433436532508, 1e-9);
    expectNear(fisherExactP(0, 10, 5, 10), 0.032507739938080496, 1e-9);
    expectNear(fisherExactP(4, 76, 28, 5324), 0.0009664912139518564, 1e-9);
    expect(fisherExactP(5, 10, 5, 10)).toBeCloseTo(1, 9);
  });
});

describe('mannWhitneyU', () => {
  it("matches scipy.stats.mannwhitneyu(method='asymptotic')", () => {
    const result = mannWhitneyU(a, b);
    expect(result.u).toBe(45); // mannwhitneyu(a, b, method='asymptotic').statistic
    expectNear(result.p, 0.008132021898881838, 1e-8);
    expect(result.z).toBeGreaterThan(0);
  });

  it('applies the tie correction like scipy', () => {
    const result = mannWhitneyU([1, 2, 2, 3, 3, 3, 4, 5], [2, 3, 4, 4, 5, 5, 6, 6, 7]);
    expect(result.u).toBe(13.5); // mannwhitneyu(..., method='asymptotic').statistic
    expectNear(result.p, 0.03175895714806371, 1e-8);
    expect(result.z).toBeLessThan(0);
  });

  it('returns p = 1 for empty or all-tied samples', () => {
    expect(mannWhitneyU([], [1, 2]).p).toBe(1);
    expect(mannWhitneyU([2, 2, 2], [2, 2]).p).toBe(1);
    expect(mannWhitneyU([Number.NaN], [1]).p).toBe(1);
  });
});

describe('combineSummaries', () => {
  it('gives the summary of the groups taken as one sample', () => {
    const a = [1, 2, 3, 4];
    const b = [10, 12, 14];
    const of = (xs: number[]) => ({ n: xs.length, mean: mean(xs)!, variance: variance(xs)! });
    const combined = combineSummaries([of(a), of(b)]);
    const whole = of([...a, ...b]);
    expect(combined.n).toBe(whole.n);
    expect(combined.mean).toBeCloseTo(whole.mean, 12);
    expect(combined.variance).toBeCloseTo(whole.variance, 12);
  });
});
