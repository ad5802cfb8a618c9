import { summary } from './descriptive.ts';
import { fSf, normalQuantile, normalSf } from './distributions.ts';
import { oneWayAnova } from './tests.ts';

function isPresent(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * Sample autocorrelation at `lag` (statsmodels `acf` convention: lagged cross-products over the
 * total sum of squares, both about the overall mean). Missing (null / non-finite) points are skipped,
 * pairs with a missing end dropped. Null when lag < 0, lag ≥ length, fewer than 3 present values
 * or zero variance.
 */
export function acf(y: ArrayLike<number | null>, lag: number): number | null {
  if (!Number.isInteger(lag) || lag < 0 || lag >= y.length) return null;
  let count = 0;
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (isPresent(v)) {
      count++;
      sum += v;
    }
  }
  if (count < 3) return null;
  const m = sum / count;
  let denominator = 0;
  let numerator = 0;
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (!isPresent(v)) continue;
    denominator += (v - m) ** 2;
    const w = i + lag < y.length ? y[i + lag] : undefined;
    if (isPresent(w)) numerator += (v - m) * (w - m);
  }
  if (!(denominator > 1e-28 * count * Math.max(1, m * m))) return null;
  return numerator / denominator;
}

export interface SeasonalProfile {
  /** Mean value at each cycle position 0..period−1; null where the position has no data. */
  means: (number | null)[];
  /** Number of values at each position. */
  counts: number[];
  /** Mean of all values used. */
  grandMean: number;
  /** max − min of the position means. */
  amplitude: number;
  /** Position with the highest mean. */
  peak: number;
  /** Position with the lowest mean. */
  trough: number;
  /** One-way ANOVA of value by position. */
  f: number;
  df1: number;
  df2: number;
  p: number;
  /** Share of variance explained by the position, in [0, 1]. */
  etaSquared: number;
}

export interface SeasonalProfileOptions {
  /**
   * Set when `values` are the residuals of {@link detrendMovingAverage} with the same period. Those
   * residuals are negatively correlated within a cycle, which inflates F (about 9% false positives at
   * α = 0.05 for period 7); F and the within df are scaled by the residual variance factor
   * c = 1 − 2/p + Σw² (= (p − 1)/p for odd p), which restores ~5%. Default false.
   */
  movingAverageResiduals?: boolean;
}

/** Var(residual)/σ² = 1 − 2·w_centre + Σw² for white noise minus its centred moving average. */
function movingAverageResidualFactor(period: number): number {
  const weights = movingAverageWeights(period);
  const centre = weights[(weights.length - 1) / 2]!;
  return 1 - 2 * centre + weights.reduce((s, w) => s + w * w, 0);
}

/**
 * Seasonal profile: mean value per cycle position (e.g. weekday 0–6) and a one-way ANOVA of value by
 * position. Values that are not finite or whose position is not an integer in [0, period) are
 * ignored. Assumes independent values: a trend only costs power (it inflates the within variance),
 * but autocorrelation inflates F. To remove a trend, pass the residuals of
 * {@link detrendMovingAverage} with `movingAverageResiduals: true`. Null when fewer than 2 positions
 * have data.
 */
export function seasonalProfile(
  values: ArrayLike<number>,
  positions: ArrayLike<number>,
  period: number,
  options: SeasonalProfileOptions = {},
): SeasonalProfile | null {
  if (!Number.isInteger(period) || period < 2) return null;
  const buckets: number[][] = Array.from({ length: period }, () => []);
  const length = Math.min(values.length, positions.length);
  for (let i = 0; i < length; i++) {
    const v = values[i]!;
    const position = positions[i]!;
    if (Number.isFinite(v) && Number.isInteger(position) && position >= 0 && position < period) {
      buckets[position]!.push(v);
    }
  }
  const summaries = buckets.map((bucket) => summary(bucket));
  const present = summaries.flatMap((s, position) => (s.n > 0 ? [{ position, mean: s.mean }] : []));
  if (present.length < 2) return null;
  let peak = present[0]!;
  let trough = present[0]!;
  for (const entry of present) {
    if (entry.mean > peak.mean) peak = entry;
    if (entry.mean < trough.mean) trough = entry;
  }
  const total = summaries.reduce((s, g) => s + g.n, 0);
  let anova = oneWayAnova(summaries);
  if (options.movingAverageResiduals && Number.isFinite(anova.f) && anova.f > 0) {
    const factor = movingAverageResidualFactor(period);
    const f = anova.f * factor;
    const df2 = anova.df2 * factor;
    anova = { ...anova, f, df2, p: fSf(f, anova.df1, df2) };
  }
  return {
    means: summaries.map((s) => (s.n > 0 ? s.mean : null)),
    counts: summaries.map((s) => s.n),
    grandMean: summaries.reduce((s, g) => s + g.n * g.mean, 0) / total,
    amplitude: peak.mean - trough.mean,
    peak: peak.position,
    trough: trough.position,
    ...anova,
  };
}

/**
 * Profile of a short cycle (hours of a day, days of a week) measured within each of its turns: every value
 * less the mean of its own turn (its day, its week), so that a level moving across the year (summer's warm
 * water, a winter flood) does not hide a steady daily swing in the within variance. The test is the additive
 * two-way ANOVA's (turn + position): F on df1 = positions − 1 and df2 = N − turns − df1. Turns with fewer
 * than half the positions stay out. Means are deviations from the turn's mean. Null when fewer than 2
 * positions or too few values are left.
 */
export function withinTurnProfile(
  values: ArrayLike<number>,
  positions: ArrayLike<number>,
  turns: ArrayLike<string | number>,
  period: number,
): SeasonalProfile | null {
  const members = new Map<string | number, number[]>();
  const length = Math.min(values.length, positions.length, turns.length);
  for (let i = 0; i < length; i++) {
    const position = positions[i]!;
    if (!Number.isFinite(values[i]!) || !Number.isInteger(position) || position < 0 || position >= period) continue;
    const list = members.get(turns[i]!) ?? [];
    list.push(i);
    members.set(turns[i]!, list);
  }
  const residuals: number[] = [];
  const kept: number[] = [];
  let used = 0;
  for (const list of members.values()) {
    if (list.length < period / 2) continue;
    used += 1;
    const centre = list.reduce((sum, i) => sum + values[i]!, 0) / list.length;
    for (const i of list) {
      residuals.push(values[i]! - centre);
      kept.push(positions[i]!);
    }
  }
  const profile = seasonalProfile(residuals, kept, period);
  if (!profile) return null;
  const df2 = residuals.length - used - profile.df1;
  if (df2 < 1 || !Number.isFinite(profile.f)) return df2 < 1 ? null : profile;
  // Same sums of squares as the one-way ANOVA on the residuals; only the within df loses the turns' means.
  const f = (profile.f * df2) / profile.df2;
  return { ...profile, f, df2, p: fSf(f, profile.df1, df2) };
}

export interface DetectedPeriod {
  period: number;
  /** Autocorrelation at the period. */
  acf: number;
  /** Acceptance threshold z₀.₉₅/√n (ML.NET SeasonalityDetector, "randomness with the correlogram"). */
  threshold: number;
  /**
   * One-sided normal p of (acf − μ)/se, × the number of candidates tested (Bonferroni), capped at 1.
   * White-noise null: μ = 0, se = 1/√n. With `movingAverageWidth`, μ and se come from Bartlett's formula
   * for white noise passed through that detrending filter.
   */
  p: number;
  /** Number of candidate periods that had ≥ 3 full cycles and were tested. */
  tested: number;
}

export interface DetectPeriodOptions {
  /**
   * Width of the centred moving average `y` was detrended with ({@link detrendMovingAverage}), if any.
   * Those residuals are negatively correlated at short lags, which widens the null spread of the ACF
   * (about 7% false positives at α = 0.05 for width 7 if ignored); the p-value then uses the exact null
   * mean and Bartlett variance of white noise minus that moving average.
   */
  movingAverageWidth?: number;
}

/** Centred moving-average weights of width `period` (2×period average when even), summing to 1. */
function movingAverageWeights(period: number): number[] {
  const p = Math.max(1, Math.floor(period));
  if (p % 2 === 1) return Array.from({ length: p }, () => 1 / p);
  return Array.from({ length: p + 1 }, (_, k) => (k === 0 || k === p ? 0.5 : 1) / p);
}

/**
 * Null mean and variance of the lag-`lag` sample ACF of n values: white noise (0, 1/n), or white noise
 * minus a centred moving average of `width` (its theoretical ACF ρ, Bartlett's
 * Var ≈ Σ_k (ρ_k² + ρ_{k+lag}·ρ_{k−lag}) / n).
 */
function nullAcfMoments(lag: number, n: number, width?: number): { mean: number; variance: number } {
  if (width === undefined || width < 2) return { mean: 0, variance: 1 / n };
  const weights = movingAverageWeights(width);
  const half = (weights.length - 1) / 2;
  // Residual filter h = δ₀ − w over offsets −half..half.
  const filter = weights.map((w, k) => (k === half ? 1 : 0) - w);
  const autocovariance = (d: number): number => {
    let sum = 0;
    for (let j = 0; j + Math.abs(d) < filter.length; j++) sum += filter[j]! * filter[j + Math.abs(d)]!;
    return sum;
  };
  const gamma0 = autocovariance(0);
  const rho = (d: number): number => autocovariance(d) / gamma0;
  const reach = filter.length + lag;
  let sum = 0;
  for (let k = -reach; k <= reach; k++) sum += rho(k) ** 2 + rho(k + lag) * rho(k - lag);
  return { mean: rho(lag), variance: sum / n };
}

/**
 * Picks the candidate period with the highest autocorrelation among those with at least 3 full cycles
 * whose ACF is ≥ z₀.₉₅/√n (n = present values) and is a local peak of the correlogram
 * (acf(p) > acf(p − 1) and ≥ acf(p + 1)); the peak rule rejects the slowly decaying ACF of a trend.
 * Detrend first for best results. Null when no candidate qualifies.
 */
export function detectPeriod(
  y: ArrayLike<number | null>,
  candidates: readonly number[],
  options: DetectPeriodOptions = {},
): DetectedPeriod | null {
  let present = 0;
  for (let i = 0; i < y.length; i++) if (isPresent(y[i])) present++;
  if (present < 6) return null;
  const threshold = normalQuantile(0.95) / Math.sqrt(present);
  const usable = [...new Set(candidates)].filter((p) => Number.isInteger(p) && p >= 2 && y.length >= 3 * p);
  let best: { period: number; acf: number } | null = null;
  for (const period of usable) {
    const value = acf(y, period);
    if (value === null || value < threshold) continue;
    const previous = acf(y, period - 1) ?? Number.NEGATIVE_INFINITY;
    const next = acf(y, period + 1) ?? Number.NEGATIVE_INFINITY;
    if (!(value > previous && value >= next)) continue;
    if (best === null || value > best.acf) best = { period, acf: value };
  }
  if (best === null) return null;
  const { mean, variance } = nullAcfMoments(best.period, present, options.movingAverageWidth);
  const p = Math.min(1, normalSf((best.acf - mean) / Math.sqrt(variance)) * usable.length);
  return { ...best, threshold, p, tested: usable.length };
}

/**
 * Classical centred moving average of width `period` (a 2×period average for even periods, as
 * `statsmodels seasonal_decompose`). Trend is null where the window runs off the ends or covers a
 * missing value; residual = value − trend, null where either is missing. Period 1 gives trend = y.
 */
export function detrendMovingAverage(
  y: ArrayLike<number | null>,
  period: number,
): { trend: (number | null)[]; residuals: (number | null)[] } {
  const n = y.length;
  const p = Math.max(1, Math.floor(period));
  const half = Math.floor(p / 2);
  const weights: number[] = [];
  // Unnormalised weights (sum = p), divided once at the end so integer data stays exact.
  if (p % 2 === 1) for (let k = 0; k < p; k++) weights.push(1);
  else for (let k = 0; k <= p; k++) weights.push(k === 0 || k === p ? 0.5 : 1);
  const trend: (number | null)[] = [];
  const residuals: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    let value: number | null = null;
    if (i - half >= 0 && i + half < n) {
      value = 0;
      for (let k = 0; k < weights.length; k++) {
        const v = y[i - half + k];
        if (!isPresent(v)) {
          value = null;
          break;
        }
        value += weights[k]! * v;
      }
      if (value !== null) value /= p;
    }
    trend.push(value);
    const v = y[i];
    residuals.push(value !== null && isPresent(v) ? v - value : null);
  }
  return { trend, residuals };
}
