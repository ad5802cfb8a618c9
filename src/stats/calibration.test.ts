import { describe, expect, it } from 'vitest';
import { bestMeanShift, pettitt } from './changepoint.ts';
import { pearson } from './correlation.ts';
import { mulberry32, normalGenerator } from './random.ts';
import { detectPeriod, detrendMovingAverage, seasonalProfile } from './seasonality.ts';
import { spikeScores } from './spikes.ts';
import { mannKendall } from './trend.ts';

// The engine must not invent patterns in noise: on independent Gaussian noise each detector may
// report p < 0.05 in at most ~5% of series (allowing sampling error: ≤ 7% of 1000 seeded runs,
// about 3 standard errors above 5%).
const RUNS = 1000;
const ALPHA = 0.05;
const MAX_FALSE_POSITIVE_RATE = 0.07;

function falsePositiveRate(seed: number, length: number, pValue: (y: number[]) => number): number {
  const gaussian = normalGenerator(mulberry32(seed));
  let hits = 0;
  for (let run = 0; run < RUNS; run++) {
    const y = Array.from({ length }, () => 100 + 10 * gaussian());
    if (pValue(y) < ALPHA) hits++;
  }
  return hits / RUNS;
}

describe.each([12, 30, 120, 400])('calibration on pure noise, n = %i', (n) => {
  it('bestMeanShift rarely reports a shift', () => {
    expect(falsePositiveRate(1000 + n, n, (y) => bestMeanShift(y)?.p ?? 1)).toBeLessThanOrEqual(
      MAX_FALSE_POSITIVE_RATE,
    );
  });

  it('pettitt rarely reports a change', () => {
    expect(falsePositiveRate(2000 + n, n, (y) => pettitt(y)?.p ?? 1)).toBeLessThanOrEqual(MAX_FALSE_POSITIVE_RATE);
  });

  it('mannKendall rarely reports a trend', () => {
    expect(falsePositiveRate(3000 + n, n, (y) => mannKendall(y).p)).toBeLessThanOrEqual(MAX_FALSE_POSITIVE_RATE);
  });

  it('seasonalProfile rarely reports a weekday effect', () => {
    const weekday = (y: number[]) => y.map((_, i) => i % 7);
    const rate = falsePositiveRate(4000 + n, n, (y) => seasonalProfile(y, weekday(y), 7)?.p ?? 1);
    expect(rate).toBeLessThanOrEqual(MAX_FALSE_POSITIVE_RATE);
  });

  it('detectPeriod rarely reports a cycle', () => {
    const rate = falsePositiveRate(5000 + n, n, (y) => detectPeriod(y, [4, 7, 12, 24, 52])?.p ?? 1);
    expect(rate).toBeLessThanOrEqual(MAX_FALSE_POSITIVE_RATE);
  });

  it('seasonalProfile and detectPeriod stay calibrated on moving-average residuals of a trending series', () => {
    const residualsOf = (y: number[]) =>
      detrendMovingAverage(
        y.map((v, i) => v + 0.5 * i),
        7,
      ).residuals;
    const profileRate = falsePositiveRate(9000 + n, n, (y) => {
      const values = residualsOf(y).map((v) => v ?? Number.NaN);
      const weekday = values.map((_, i) => i % 7);
      return seasonalProfile(values, weekday, 7, { movingAverageResiduals: true })?.p ?? 1;
    });
    expect(profileRate).toBeLessThanOrEqual(MAX_FALSE_POSITIVE_RATE);
    const periodRate = falsePositiveRate(9500 + n, n, (y) => {
      return detectPeriod(residualsOf(y), [7], { movingAverageWidth: 7 })?.p ?? 1;
    });
    expect(periodRate).toBeLessThanOrEqual(MAX_FALSE_POSITIVE_RATE);
  });

  it('spikeScores with Bonferroni over points rarely reports a spike', () => {
    const rate = falsePositiveRate(6000 + n, n, (y) => {
      const scores = spikeScores(y);
      return Math.min(1, ...scores.map((s) => s.p * scores.length));
    });
    expect(rate).toBeLessThanOrEqual(MAX_FALSE_POSITIVE_RATE);
  });

  it('pearson rarely reports a correlation between independent series', () => {
    const gaussian = normalGenerator(mulberry32(7000 + n));
    const rate = falsePositiveRate(
      8000 + n,
      n,
      (y) =>
        pearson(
          y,
          y.map(() => gaussian()),
        ).p,
    );
    expect(rate).toBeLessThanOrEqual(MAX_FALSE_POSITIVE_RATE);
  });
});
