import { completePairs } from './correlation.ts';
import { finite } from './descriptive.ts';
import { fSf, tTwoSidedP, twoSidedNormalP } from './distributions.ts';
import { mulberry32 } from './random.ts';
import { averageRanks, medianInPlace, tieGroupSizes } from './ranks.ts';

export interface MannKendallResult {
  /** Kendall S = Σ_{i<j} sign(y_j − y_i): positive for an upward trend. */
  s: number;
  /** (S − sign S) / √Var(S), with the tie-corrected variance (continuity-corrected). */
  z: number;
  /** Two-sided normal p. */
  p: number;
  /** Kendall's tau-a = S / (n(n − 1)/2), in [−1, 1]. */
  tau: number;
  /** Number of finite values used. */
  n: number;
}

/**
 * Mann–Kendall trend test on a series in time order (non-finite values dropped), as in `pymannkendall.
 * original_test`. S is counted in O(n log n) with a Fenwick tree, so long series need no special path.
 * Assumes independent observations: positive autocorrelation makes p too small. p = 1 when n < 3 or
 * all values tie.
 */
export function mannKendall(y: ArrayLike<number>): MannKendallResult {
  const values = finite(y);
  const n = values.length;
  if (n < 3) return { s: 0, z: 0, p: 1, tau: 0, n };
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const rankOf = new Map(distinct.map((v, i) => [v, i + 1]));
  const tree = new Float64Array(distinct.length + 1);
  const prefix = (i: number): number => {
    let sum = 0;
    for (let k = i; k > 0; k -= k & -k) sum += tree[k]!;
    return sum;
  };
  let s = 0;
  for (let j = 0; j < n; j++) {
    const rank = rankOf.get(values[j]!)!;
    const below = prefix(rank - 1);
    const above = j - prefix(rank);
    s += below - above;
    for (let k = rank; k < tree.length; k += k & -k) tree[k]! += 1;
  }
  const tieTerm = tieGroupSizes(values).reduce((sum, t) => sum + t * (t - 1) * (2 * t + 5), 0);
  const varS = (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  const tau = s / ((n * (n - 1)) / 2);
  if (!(varS > 0) || s === 0) return { s, z: 0, p: 1, tau, n };
  const z = (s - Math.sign(s)) / Math.sqrt(varS);
  return { s, z, p: twoSidedNormalP(z), tau, n };
}

/**
 * Mann–Kendall with Hamed & Rao's (1998) correction for autocorrelation: the ranks of the Sen-detrended
 * series, their autocorrelations at the lags where they are significant (|ρₖ| > 1.96/√n), and
 * Var*(S) = Var(S) · (1 + 2 / (n(n−1)(n−2)) · Σ (n−k)(n−k−1)(n−k−2) ρₖ), never below Var(S). A random
 * walk's wandering then stops reading as a trend; independent noise around a trend keeps its p.
 */
export function mannKendallCorrected(y: ArrayLike<number>): MannKendallResult {
  const base = mannKendall(y);
  const values = finite(y);
  const n = values.length;
  if (n < 10 || base.z === 0) return base;
  const sen = senSlope(
    values.map((_, i) => i),
    values,
  );
  if (!sen) return base;
  const ranks = averageRanks(values.map((v, i) => v - sen.slope * i));
  const centre = (n + 1) / 2;
  const deviations = ranks.map((r) => r - centre);
  const denominator = deviations.reduce((sum, d) => sum + d * d, 0);
  if (!(denominator > 0)) return base;
  const bound = 1.96 / Math.sqrt(n);
  let weighted = 0;
  for (let k = 1; k < n - 2; k++) {
    let numerator = 0;
    for (let i = 0; i + k < n; i++) numerator += deviations[i]! * deviations[i + k]!;
    const rho = numerator / denominator;
    if (Math.abs(rho) > bound) weighted += (n - k) * (n - k - 1) * (n - k - 2) * rho;
  }
  const factor = Math.max(1, 1 + (2 * weighted) / (n * (n - 1) * (n - 2)));
  const z = base.z / Math.sqrt(factor);
  return { ...base, z, p: twoSidedNormalP(z) };
}

/**
 * Seasonal Mann–Kendall test (Hirsch, Slack & Smith 1982) with the seasonal Sen slope: each position in
 * the cycle (every January, every February …) is compared only with itself in other years, so a yearly
 * cycle neither hides a trend nor fakes one. S and Var(S) (tie-corrected) are sums over the positions;
 * the slope is the median of the same-position pairwise slopes, per step of the series. Null when no
 * position is seen twice.
 */
export function seasonalKendall(
  y: ArrayLike<number>,
  period: number,
): { s: number; z: number; p: number; slope: number } | null {
  let s = 0;
  let varS = 0;
  const slopes: number[] = [];
  for (let position = 0; position < period; position++) {
    const at: number[] = [];
    for (let i = position; i < y.length; i += period) if (Number.isFinite(y[i]!)) at.push(i);
    const n = at.length;
    if (n < 2) continue;
    for (let a = 0; a < n; a++)
      for (let b = a + 1; b < n; b++) {
        const rise = y[at[b]!]! - y[at[a]!]!;
        s += Math.sign(rise);
        slopes.push(rise / (at[b]! - at[a]!));
      }
    const values = at.map((i) => y[i]!);
    const tieTerm = tieGroupSizes(values).reduce((sum, t) => sum + t * (t - 1) * (2 * t + 5), 0);
    varS += (n * (n - 1) * (2 * n + 5) - tieTerm) / 18;
  }
  if (!(varS > 0) || slopes.length === 0) return null;
  const slope = medianInPlace(Float64Array.from(slopes));
  if (s === 0) return { s, z: 0, p: 1, slope };
  const z = (s - Math.sign(s)) / Math.sqrt(varS);
  return { s, z, p: twoSidedNormalP(z), slope };
}

/** Pairs above this many points are subsampled by {@link senSlope}. */
export const SEN_EXACT_MAX_POINTS = 2000;
const SEN_SAMPLED_PAIRS = 1_000_000;

/**
 * Theil–Sen estimator: slope = median of pairwise slopes (y_j − y_i)/(x_j − x_i) over pairs with
 * distinct x; intercept = median(y) − slope·median(x) (`scipy.stats.theilslopes`, method 'separate').
 * Above 2000 points the median is taken over 1,000,000 pairs drawn with a fixed-seed PRNG, so results
 * stay deterministic. Null when fewer than 2 complete pairs with distinct x.
 */
export function senSlope(x: ArrayLike<number>, y: ArrayLike<number>): { slope: number; intercept: number } | null {
  const { xs, ys } = completePairs(x, y);
  const n = xs.length;
  if (n < 2) return null;
  let slopes: Float64Array;
  if (n <= SEN_EXACT_MAX_POINTS) {
    slopes = new Float64Array((n * (n - 1)) / 2);
    let count = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = xs[j]! - xs[i]!;
        if (dx !== 0) slopes[count++] = (ys[j]! - ys[i]!) / dx;
      }
    }
    slopes = slopes.subarray(0, count);
  } else {
    const uniform = mulberry32(0x5e45107e);
    slopes = new Float64Array(SEN_SAMPLED_PAIRS);
    let count = 0;
    for (let attempt = 0; attempt < 4 * SEN_SAMPLED_PAIRS && count < SEN_SAMPLED_PAIRS; attempt++) {
      const i = Math.floor(uniform() * n);
      const j = Math.floor(uniform() * n);
      const dx = xs[j]! - xs[i]!;
      if (dx !== 0) slopes[count++] = (ys[j]! - ys[i]!) / dx;
    }
    slopes = slopes.subarray(0, count);
  }
  if (slopes.length === 0) return null;
  const slope = medianInPlace(slopes);
  const intercept = medianInPlace(Float64Array.from(ys)) - slope * medianInPlace(Float64Array.from(xs));
  return { slope, intercept };
}

export interface OlsResult {
  slope: number;
  intercept: number;
  /** Coefficient of determination in [0, 1]; 0 when y is constant. */
  r2: number;
  /** Standard error of the slope; 0 when n < 3 or the fit is exact. */
  slopeStdErr: number;
  /** Two-sided p for slope ≠ 0 (t with n − 2 df, as `scipy.stats.linregress`); 1 when n < 3. */
  p: number;
  n: number;
}

/**
 * Ordinary least squares line y = intercept + slope·x over complete finite pairs. Null when fewer than
 * 2 pairs or x is constant.
 */
export function ols(x: ArrayLike<number>, y: ArrayLike<number>): OlsResult | null {
  const { xs, ys } = completePairs(x, y);
  const n = xs.length;
  if (n < 2) return null;
  const mx = xs.reduce((s, v) => s + v, 0) / n;
  const my = ys.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (!(sxx > 0)) return null;
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  if (!(syy > 0)) return { slope: 0, intercept: my, r2: 0, slopeStdErr: 0, p: 1, n };
  const r2 = Math.min(1, (sxy * sxy) / (sxx * syy));
  if (n < 3) return { slope, intercept, r2, slopeStdErr: 0, p: 1, n };
  const sse = Math.max(0, syy - slope * sxy);
  const slopeStdErr = Math.sqrt(sse / (n - 2) / sxx);
  if (slopeStdErr === 0) return { slope, intercept, r2, slopeStdErr, p: slope === 0 ? 1 : 0, n };
  return { slope, intercept, r2, slopeStdErr, p: tTwoSidedP(slope / slopeStdErr, n - 2), n };
}

export interface ConsistencyResult {
  /** Share of steps in the majority direction, max(ups, downs) / steps; 0 when there are no steps. */
  share: number;
  /** Majority direction; 'flat' when ups = downs. */
  direction: 'up' | 'down' | 'flat';
  ups: number;
  downs: number;
  /** Number of consecutive steps (finite values − 1); flat steps count here but in neither direction. */
  steps: number;
}

/**
 * ML.NET's trend-consistency gate (TrendInfo.CalculateRatio): the share of consecutive steps that go
 * in the majority direction, over the finite values in order. ML.NET accepts ≥ 0.7 (0.8 below 40 points).
 * `lag` compares each value with the one `lag` places before instead (12: a month against the same month
 * a year earlier, which a yearly cycle does not disturb).
 */
export function consistency(y: ArrayLike<number>, lag = 1): ConsistencyResult {
  const values = finite(y);
  let ups = 0;
  let downs = 0;
  for (let i = lag; i < values.length; i++) {
    if (values[i]! > values[i - lag]!) ups++;
    else if (values[i]! < values[i - lag]!) downs++;
  }
  const steps = Math.max(0, values.length - lag);
  const direction = ups > downs ? 'up' : downs > ups ? 'down' : 'flat';
  return { share: steps === 0 ? 0 : Math.max(ups, downs) / steps, direction, ups, downs, steps };
}

/** Durbin–Watson statistic of residuals in order: about 2 when they are independent, near 0 when they wander. */
export function durbinWatson(residuals: ArrayLike<number>): number {
  let steps = 0;
  let squares = 0;
  for (let i = 0; i < residuals.length; i++) {
    squares += residuals[i]! ** 2;
    if (i > 0) steps += (residuals[i]! - residuals[i - 1]!) ** 2;
  }
  return squares > 0 ? steps / squares : 2;
}

export interface JointLine {
  /** Index of the joint: the line bends at this point. */
  joint: number;
  /** Slope per step before and after the joint. */
  before: number;
  after: number;
  r2: number;
  /** Durbin–Watson of what the bent line leaves. */
  durbinWatson: number;
  /** F-test of the bend against one straight line, × the number of joints tried (Bonferroni), capped at 1. */
  p: number;
}

/**
 * The best continuous line with one bend (a joinpoint): y = a + b·i + c·max(0, i − k), the joint k searched
 * over the middle 60% of the points, least squares. Null for fewer than 10 finite values.
 */
export function jointLine(y: ArrayLike<number>): JointLine | null {
  const values = finite(y);
  const n = values.length;
  const line = ols(
    values.map((_, i) => i),
    values,
  );
  if (n < 10 || !line) return null;
  const sseLine = values.reduce((s, v, i) => s + (v - line.intercept - line.slope * i) ** 2, 0);
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const total = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  const first = Math.ceil(0.2 * n);
  const last = Math.floor(0.8 * n);
  let best: { joint: number; sse: number; coefficients: number[] } | null = null;
  for (let joint = first; joint <= last; joint++) {
    const coefficients = leastSquares3(values, joint);
    if (!coefficients) continue;
    const [a, b, c] = coefficients as [number, number, number];
    let sse = 0;
    for (let i = 0; i < n; i++) sse += (values[i]! - a - b * i - c * Math.max(0, i - joint)) ** 2;
    if (!best || sse < best.sse) best = { joint, sse, coefficients };
  }
  if (!best || !(total > 0)) return null;
  const [a, b, c] = best.coefficients as [number, number, number];
  const residuals = values.map((v, i) => v - a - b * i - c * Math.max(0, i - best.joint));
  const f = best.sse > 0 ? (sseLine - best.sse) / (best.sse / (n - 4)) : Number.POSITIVE_INFINITY;
  return {
    joint: best.joint,
    before: b,
    after: b + c,
    r2: 1 - best.sse / total,
    durbinWatson: durbinWatson(residuals),
    p: Math.min(1, fSf(Math.max(0, f), 1, n - 4) * (last - first + 1)),
  };
}

/** Least squares for the columns 1, i, max(0, i − joint): the 3×3 normal equations, by Gaussian elimination. */
function leastSquares3(values: number[], joint: number): number[] | null {
  const a = [
    [0, 0, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 0, 0],
  ];
  for (let i = 0; i < values.length; i++) {
    const row = [1, i, Math.max(0, i - joint)];
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) a[r]![c]! += row[r]! * row[c]!;
      a[r]![3]! += row[r]! * values[i]!;
    }
  }
  for (let c = 0; c < 3; c++) {
    let pivot = c;
    for (let r = c + 1; r < 3; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    if (Math.abs(a[pivot]![c]!) < 1e-9) return null;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    for (let r = 0; r < 3; r++) {
      if (r === c) continue;
      const factor = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < 4; k++) a[r]![k]! -= factor * a[c]![k]!;
    }
  }
  return [0, 1, 2].map((i) => a[i]![3]! / a[i]![i]!);
}
