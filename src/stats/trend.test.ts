import { describe, expect, it } from 'vitest';
import { mulberry32, normalGenerator } from './random.ts';
import { expectNear } from './testing.ts';
import {
  consistency,
  durbinWatson,
  jointLine,
  mannKendall,
  mannKendallCorrected,
  ols,
  seasonalKendall,
  senSlope,
} from './trend.ts';

const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
const y = [2.1, 2.9, 3.2, 3.2, 4.8, 5.1, 4.9, 6.3, 6.0, 7.7, 7.2, 8.9];

function bruteForceS(values: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) s += Math.sign(values[j]! - values[i]!);
  }
  return s;
}

describe('mannKendall', () => {
  it('matches the pymannkendall original_test formula with ties', () => {
    const series = [5, 7, 6, 6, 9, 8, 10, 12, 11, 11, 14, 13, 13, 15, 17, 16, 18, 18, 20, 19];
    const result = mannKendall(series);
    // By hand in numpy: S = Σ sign, Var = (n(n−1)(2n+5) − Σt(t−1)(2t+5))/18 = 946, z = (S−1)/√Var
    expect(result.s).toBe(168);
    expectNear(result.z, 5.429638341165665);
    expectNear(result.p, 5.6468366354556925e-8, 1e-7); // 2*scipy.stats.norm.sf(z)
    expectNear(result.tau, 0.8842105263157894); // tau-a = S / (n(n−1)/2)
  });

  it('agrees with scipy.stats.kendalltau against time when there are no ties', () => {
    const result = mannKendall([3.1, 4.5, 2.2, 5.9, 6.1, 5.0, 7.7, 8.2, 6.9, 9.4, 10.1, 9.0]);
    expectNear(result.tau, 0.7575757575757575); // kendalltau(arange(12), y).statistic
    expect(result.s).toBe(50);
    expectNear(result.p, 0.0007792699724176704, 1e-8); // pymannkendall formula: 2*norm.sf((50−1)/√212.67)
  });

  it('counts S in O(n log n) exactly like the O(n²) definition', () => {
    const uniform = mulberry32(7);
    const series = Array.from({ length: 400 }, () => Math.floor(uniform() * 30));
    expect(mannKendall(series).s).toBe(bruteForceS(series));
    // 200,000 values: the O(n²) count would run for minutes, past the test's timeout (speed itself is
    // measured in `npm run bench`, never asserted here: a busy machine must not fail this test).
    const long = Array.from({ length: 200_000 }, (_, i) => i * 0.001 + uniform());
    expect(mannKendall(long).p).toBe(0);
  });

  it('returns p = 1 for short, constant or all-missing input', () => {
    expect(mannKendall([]).p).toBe(1);
    expect(mannKendall([1, 2]).p).toBe(1);
    expect(mannKendall([4, 4, 4, 4, 4]).p).toBe(1);
    expect(mannKendall([Number.NaN, Number.NaN, 1]).p).toBe(1);
    expect(mannKendall([1, Number.NaN, 2, 3, 4, 5, 6, 7]).n).toBe(7);
  });
});

describe('senSlope', () => {
  it('matches scipy.stats.theilslopes', () => {
    const fit = senSlope(x, y)!;
    expectNear(fit.slope, 0.582857142857143); // theilslopes(y, x)[0]
    expectNear(fit.intercept, 1.2114285714285709); // theilslopes(y, x)[1] (method='separate')
  });

  it('skips pairs with equal x like scipy', () => {
    const fit = senSlope([1, 2, 2, 3, 5, 8, 9, 9, 12], [3.0, 2.5, 4.1, 4.0, 6.2, 7.9, 8.8, 10.1, 11.0])!;
    expectNear(fit.slope, 0.778888888888889); // theilslopes(ys, xs)[0]
    expectNear(fit.intercept, 2.3055555555555554); // theilslopes(ys, xs)[1]
  });

  it('subsamples pairs deterministically on long series', () => {
    const gaussian = normalGenerator(mulberry32(11));
    const xs = Array.from({ length: 5000 }, (_, i) => i);
    const ys = xs.map((v) => 2 * v + 50 * gaussian());
    const first = senSlope(xs, ys)!;
    expect(first).toEqual(senSlope(xs, ys));
    expect(Math.abs(first.slope - 2)).toBeLessThan(0.02);
  });

  it('returns null without two distinct x', () => {
    expect(senSlope([1], [2])).toBeNull();
    expect(senSlope([3, 3, 3], [1, 2, 3])).toBeNull();
    expect(senSlope([], [])).toBeNull();
  });
});

describe('ols', () => {
  it('matches scipy.stats.linregress', () => {
    const fit = ols(x, y)!;
    expectNear(fit.slope, 0.5709790209790209); // linregress(x, y).slope
    expectNear(fit.intercept, 1.4803030303030318); // .intercept
    expectNear(fit.r2, 0.9524255516015673); // .rvalue**2
    expectNear(fit.slopeStdErr, 0.040354457503110626); // .stderr
    expectNear(fit.p, 6.120141340496315e-8, 1e-6); // .pvalue
  });

  it('handles degenerate input without NaN', () => {
    expect(ols([1], [1])).toBeNull();
    expect(ols([2, 2, 2], [1, 2, 3])).toBeNull();
    expect(ols([1, 2, 3], [5, 5, 5])).toEqual({ slope: 0, intercept: 5, r2: 0, slopeStdErr: 0, p: 1, n: 3 });
    expect(ols([1, 2], [1, 3])?.p).toBe(1);
    expect(ols([1, 2, 3, 4], [3, 5, 7, 9])?.p).toBe(0);
  });
});

describe('consistency', () => {
  it('is the share of steps in the majority direction (flat steps count against it)', () => {
    expect(consistency([1, 2, 3, 2, 4, 4])).toEqual({ share: 0.6, direction: 'up', ups: 3, downs: 1, steps: 5 });
    expect(consistency([5, 4, 3, 2]).direction).toBe('down');
    expect(consistency([5, 4, 3, 2]).share).toBe(1);
    expect(consistency([1])).toEqual({ share: 0, direction: 'flat', ups: 0, downs: 0, steps: 0 });
    expect(consistency([1, 2, 1]).direction).toBe('flat');
    // Against the value two places back: a rising zig-zag is up at every such step.
    expect(consistency([1, 5, 2, 6, 3, 7], 2)).toEqual({ share: 1, direction: 'up', ups: 4, downs: 0, steps: 4 });
  });
});

describe('mannKendallCorrected (Hamed & Rao)', () => {
  it('shrinks the z of a random walk, whose wandering is not a trend, and keeps a trend in independent noise', () => {
    const random = mulberry32(3);
    const walk = [1000];
    for (let i = 0; i < 129; i++) walk.push(walk[walk.length - 1]! + 40 * (random() - 0.5));
    const plain = mannKendall(walk);
    const corrected = mannKendallCorrected(walk);
    expect(Math.abs(corrected.z)).toBeLessThan(Math.abs(plain.z) / 2);
    expect(corrected.s).toBe(plain.s);

    const trend = Array.from({ length: 120 }, (_, i) => 100 + 0.5 * i + 20 * (random() - 0.5));
    expect(mannKendallCorrected(trend).z).toBeCloseTo(mannKendall(trend).z, 6);
  });
});

describe('seasonalKendall (Hirsch, Slack & Smith)', () => {
  it('finds growth under a yearly cycle that hides it from the plain test, with the per-step seasonal slope', () => {
    // Two years of months: a swing of ±100 around the year, the second year 30 higher in every month.
    const cycle = Array.from({ length: 12 }, (_, m) => 200 + 100 * Math.sin((2 * Math.PI * m) / 12));
    const values = [...cycle, ...cycle.map((v, m) => v + 30 + (m % 3))];
    expect(mannKendall(values).p).toBeGreaterThan(0.05);
    const test = seasonalKendall(values, 12)!;
    // S = 12 pairs all up, Var(S) = 12 × (2·1·9)/18 = 12: z = 11/√12.
    expect(test.s).toBe(12);
    expectNear(test.z, 11 / Math.sqrt(12), 1e-12);
    expectNear(test.p, 0.001496, 1e-3);
    expectNear(test.slope, 31 / 12, 1e-12);
  });

  it('sees no trend in a cycle that repeats with noise, and none without a position seen twice', () => {
    const random = mulberry32(5);
    const values = Array.from({ length: 48 }, (_, i) => 100 * Math.sin((2 * Math.PI * i) / 12) + 10 * random());
    expect(seasonalKendall(values, 12)!.p).toBeGreaterThan(0.05);
    expect(seasonalKendall([1, 2, 3], 12)).toBeNull();
  });
});

describe('jointLine and durbinWatson', () => {
  it('finds where a line bends, with both slopes, and calls the bend significant', () => {
    const values = Array.from({ length: 100 }, (_, i) => 5 + 0.1 * i + (i > 70 ? 0.9 * (i - 70) : 0));
    const fit = jointLine(values);
    expect(fit?.joint).toBe(70);
    expectNear(fit!.before, 0.1, 1e-9);
    expectNear(fit!.after, 1, 1e-9);
    expect(fit!.p).toBe(0);
    expectNear(fit!.r2, 1, 1e-9);
  });

  it('finds no bend in a straight line under noise, and tells noise (about 2) from a wander (near 0)', () => {
    const normal = normalGenerator(mulberry32(3));
    const noise = Array.from({ length: 200 }, () => normal());
    const fit = jointLine(noise.map((e, i) => 2 + 0.05 * i + e));
    expect(fit!.p).toBeGreaterThan(0.05);
    expect(durbinWatson(noise)).toBeGreaterThan(1.6);
    let walk = 0;
    expect(durbinWatson(noise.map((e) => (walk += e)))).toBeLessThan(0.5);
  });
});
