import { describe, expect, it } from 'vitest';
import { mulberry32, normalGenerator } from './random.ts';
import { acf, detectPeriod, detrendMovingAverage, seasonalProfile, withinTurnProfile } from './seasonality.ts';
import { expectNear } from './testing.ts';

describe('acf', () => {
  const y = [1, 3, 2, 5, 4, 6, 5, 8, 7, 9, 8, 11];

  it('matches the statsmodels acf convention', () => {
    expectNear(acf(y, 1), 0.5209923664122137); // Σ d_t d_{t+1} / Σ d_t², numpy by hand
    expectNear(acf(y, 3), 0.13804071246819338);
    expect(acf(y, 0)).toBe(1);
  });

  it('returns null when undefined', () => {
    expect(acf(y, 12)).toBeNull();
    expect(acf([5, 5, 5, 5], 1)).toBeNull();
    expect(acf([1, 2], 1)).toBeNull();
    expect(acf(y, -1)).toBeNull();
  });
});

describe('seasonalProfile', () => {
  const positions = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2];
  const values = [5.0, 8.1, 3.2, 5.4, 7.6, 2.9, 4.8, 8.4, 3.5, 5.1, 7.9, 3.0];

  it('runs a one-way ANOVA by cycle position (scipy.stats.f_oneway)', () => {
    const profile = seasonalProfile(values, positions, 3)!;
    expectNear(profile.f, 291.12203389830904, 1e-8); // f_oneway(group0, group1, group2).statistic
    expectNear(profile.p, 6.624310930820091e-9, 1e-6); // .pvalue
    expect(profile.peak).toBe(1);
    expect(profile.trough).toBe(2);
    expectNear(profile.amplitude, 8.0 - 3.15);
    expect(profile.counts).toEqual([4, 4, 4]);
  });

  it('reports empty positions as null means and ignores invalid positions', () => {
    const profile = seasonalProfile([1, 2, 3, 4, 9], [0, 0, 2, 2, 7], 4)!;
    expect(profile.means).toEqual([1.5, null, 3.5, null]);
    expect(profile.counts).toEqual([2, 0, 2, 0]);
  });

  it('returns null or p = 1 for degenerate input', () => {
    expect(seasonalProfile([1, 2, 3], [0, 0, 0], 7)).toBeNull();
    expect(seasonalProfile([], [], 7)).toBeNull();
    expect(seasonalProfile([1, 2], [0, 1], 1)).toBeNull();
    expect(seasonalProfile([4, 4, 4, 4], [0, 1, 0, 1], 2)?.p).toBe(1);
    expect(seasonalProfile([1, 2], [0, 1], 2)?.p).toBe(1);
  });
});

describe('withinTurnProfile', () => {
  // Four days of three readings: the level moves by 20 from day to day, the position by about 1.
  const values = [10.0, 10.9, 9.7, 20.3, 21.0, 19.8, 14.9, 16.1, 14.6, 30.2, 30.8, 29.5];
  const positions = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2];
  const turns = ['d1', 'd1', 'd1', 'd2', 'd2', 'd2', 'd3', 'd3', 'd3', 'd4', 'd4', 'd4'];

  it('runs the additive two-way ANOVA’s test of the position (statsmodels anova_lm, y ~ C(turn) + C(position))', () => {
    expect(seasonalProfile(values, positions, 3)!.p).toBeGreaterThan(0.9); // the level hides the swing
    const profile = withinTurnProfile(values, positions, turns, 3)!;
    expectNear(profile.f, 82.578947, 1e-6);
    expectNear(profile.p, 4.307874e-5, 1e-5);
    expect(profile.df2).toBe(6);
    expect(profile.peak).toBe(1);
    expect(profile.trough).toBe(2);
  });

  it('leaves out turns with fewer than half the positions', () => {
    const profile = withinTurnProfile([...values, 99], [...positions, 0], [...turns, 'd5'], 3)!;
    expect(profile.counts).toEqual([4, 4, 4]);
    expect(withinTurnProfile([1, 2], [0, 1], ['a', 'b'], 3)).toBeNull();
  });
});

describe('detectPeriod', () => {
  it('finds a weekly cycle in noisy data', () => {
    const gaussian = normalGenerator(mulberry32(21));
    const y = Array.from({ length: 84 }, (_, i) => 10 + 3 * Math.sin((2 * Math.PI * i) / 7) + gaussian());
    const found = detectPeriod(y, [4, 7, 12, 24])!;
    expect(found.period).toBe(7);
    expectNear(found.threshold, 1.6448536269514722 / Math.sqrt(84));
    expect(found.p).toBeLessThan(1e-3);
    expect(found.tested).toBe(4); // every candidate has ≥ 3 cycles in 84 points (24·3 = 72)
  });

  it('finds the cycle in a trending series after moving-average detrending', () => {
    const gaussian = normalGenerator(mulberry32(22));
    const y = Array.from({ length: 120 }, (_, i) => 0.5 * i + 2 * Math.cos((2 * Math.PI * i) / 7) + gaussian());
    const { residuals } = detrendMovingAverage(y, 7);
    const found = detectPeriod(residuals, [7, 12], { movingAverageWidth: 7 })!;
    expect(found.period).toBe(7);
    expect(found.p).toBeLessThan(1e-3);
    const values = residuals.map((v) => v ?? Number.NaN);
    const weekday = values.map((_, i) => i % 7);
    const profile = seasonalProfile(values, weekday, 7, { movingAverageResiduals: true })!;
    const uncorrected = seasonalProfile(values, weekday, 7)!;
    expect(profile.peak).toBe(0);
    expect(profile.p).toBeLessThan(1e-6);
    expectNear(profile.f, (uncorrected.f * 6) / 7); // odd period: F × (p − 1)/p
    expectNear(profile.df2, (uncorrected.df2 * 6) / 7);
  });

  it('rejects a pure trend (its ACF decays instead of peaking) and short series', () => {
    const trend = Array.from({ length: 60 }, (_, i) => i);
    expect(detectPeriod(trend, [7, 12])).toBeNull();
    expect(detectPeriod([1, 2, 1, 2, 1], [2])).toBeNull();
    expect(detectPeriod([1, 2, 1, 2, 1, 2, 1, 2], [7])).toBeNull();
  });
});

describe('detrendMovingAverage', () => {
  it('uses a centred window for odd periods', () => {
    const { trend, residuals } = detrendMovingAverage([1, 2, 3, 4, 5], 3);
    expect(trend).toEqual([null, 2, 3, 4, null]);
    expect(residuals).toEqual([null, 0, 0, 0, null]);
  });

  it('uses a 2×period average for even periods and nulls around missing values', () => {
    const { trend } = detrendMovingAverage([1, 2, 3, 4, 5, 6], 2);
    expect(trend).toEqual([null, 2, 3, 4, 5, null]);
    const gap = detrendMovingAverage([1, 2, Number.NaN, 4, 5, 6, 7], 3);
    expect(gap.trend).toEqual([null, null, null, null, 5, 6, null]);
    expect(detrendMovingAverage([1, 2], 7).trend).toEqual([null, null]);
  });
});
