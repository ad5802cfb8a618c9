import { tTwoSidedP } from './distributions.ts';
import { averageRanks } from './ranks.ts';

function finiteWithIndex(y: ArrayLike<number>): { values: number[]; indices: number[] } {
  const values: number[] = [];
  const indices: number[] = [];
  for (let i = 0; i < y.length; i++) {
    if (Number.isFinite(y[i]!)) {
      values.push(y[i]!);
      indices.push(i);
    }
  }
  return { values, indices };
}

export interface MeanShiftOptions {
  /** Minimum number of finite points on each side; default max(3, ⌈10% of n⌉). */
  minSegment?: number;
  /**
   * Inflate the variance by (1 + ρ)/(1 − ρ), ρ the lag-1 autocorrelation of the within-segment
   * residuals (clamped to [0, 0.95]), so smooth wandering series do not pass as shifts. Default true.
   */
  adjustForAutocorrelation?: boolean;
}

export interface MeanShift {
  /** Index (into the input) of the first point after the shift. */
  index: number;
  meanBefore: number;
  meanAfter: number;
  /** Welch t (after − before) at the split, divided by the autocorrelation inflation √((1 + ρ)/(1 − ρ)). */
  t: number;
  /** Two-sided Welch p at the split × the number of candidate splits (Bonferroni), capped at 1. */
  p: number;
  /** |meanAfter − meanBefore| / pooled within-segment sd; +∞ for a noise-free step. */
  effect: number;
  /** Number of candidate splits searched (the Bonferroni factor). */
  candidates: number;
  /** Lag-1 autocorrelation ρ of the residuals used for the adjustment (0 when disabled). */
  autocorrelation: number;
}

function segmentStats(values: readonly number[], start: number, end: number): { mean: number; ss: number } {
  let mean = 0;
  for (let i = start; i < end; i++) mean += values[i]!;
  mean /= end - start;
  let ss = 0;
  for (let i = start; i < end; i++) ss += (values[i]! - mean) ** 2;
  return { mean, ss };
}

/**
 * Single change in mean: the split maximising the between-segment sum of squares k(n − k)/n·Δ²
 * (equivalently the least-squares two-segment fit), each side ≥ minSegment finite points. The p-value
 * accounts for the search with a Bonferroni bound: Welch p at the chosen split × number of candidate
 * splits (conservative: a false-positive rate below the nominal level on independent noise). Null when
 * n < 2·minSegment or the series is constant.
 */
export function bestMeanShift(y: ArrayLike<number>, options: MeanShiftOptions = {}): MeanShift | null {
  const { values, indices } = finiteWithIndex(y);
  const n = values.length;
  const minSegment = Math.max(1, Math.floor(options.minSegment ?? Math.max(3, Math.ceil(0.1 * n))));
  if (n < 2 * minSegment || n < 4) return null;
  const centre = values.reduce((s, v) => s + v, 0) / n;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + (values[i]! - centre);
  let bestK = -1;
  let bestGain = 0;
  for (let k = minSegment; k <= n - minSegment; k++) {
    const before = prefix[k]! / k;
    const after = (prefix[n]! - prefix[k]!) / (n - k);
    const gain = ((k * (n - k)) / n) * (before - after) ** 2;
    if (gain > bestGain) {
      bestGain = gain;
      bestK = k;
    }
  }
  if (bestK < 0) return null;
  const candidates = n - 2 * minSegment + 1;
  const shift = shiftAt(values, bestK, options.adjustForAutocorrelation !== false);
  return {
    ...shift,
    index: indices[bestK]!,
    p: Math.min(1, shift.p * candidates),
    candidates,
  };
}

/**
 * The mean shift at a given split `k` of the finite values (no search): Welch t and its two-sided p,
 * the variance inflated for lag-1 autocorrelation unless `adjust` is false. Null when a side is empty.
 */
export function meanShiftAt(
  y: ArrayLike<number>,
  k: number,
  adjust = true,
): Omit<MeanShift, 'index' | 'candidates'> | null {
  const { values } = finiteWithIndex(y);
  if (k < 1 || k >= values.length) return null;
  return shiftAt(values, k, adjust);
}

function shiftAt(values: number[], bestK: number, adjust: boolean): Omit<MeanShift, 'index' | 'candidates'> {
  const n = values.length;
  const a = segmentStats(values, 0, bestK);
  const b = segmentStats(values, bestK, n);
  const diff = b.mean - a.mean;
  const pooledSd = Math.sqrt((a.ss + b.ss) / Math.max(1, n - 2));
  const effect = pooledSd > 0 ? Math.abs(diff) / pooledSd : Number.POSITIVE_INFINITY;
  const rho = adjust ? residualLag1(values, bestK, a.mean, b.mean) : 0;
  const inflation = (1 + rho) / (1 - rho);
  const base = { meanBefore: a.mean, meanAfter: b.mean, effect };
  const va = bestK > 1 ? (a.ss / (bestK - 1)) * inflation : 0;
  const vb = n - bestK > 1 ? (b.ss / (n - bestK - 1)) * inflation : 0;
  const se2 = va / bestK + vb / (n - bestK);
  if (!(se2 > 0)) {
    // Both segments constant: a noise-free step, unless a segment is a single point.
    const exact = bestK > 1 && n - bestK > 1;
    return {
      ...base,
      t: exact ? Math.sign(diff) * Number.POSITIVE_INFINITY : 0,
      p: exact ? 0 : 1,
      autocorrelation: rho,
    };
  }
  const t = diff / Math.sqrt(se2);
  const dfDenominator =
    (bestK > 1 ? (va / bestK) ** 2 / (bestK - 1) : 0) + (n - bestK > 1 ? (vb / (n - bestK)) ** 2 / (n - bestK - 1) : 0);
  const df = Math.max(1, (se2 * se2) / dfDenominator / inflation);
  // Under no change both sides share one noise level: a few months that happen to lie close together
  // (five quiet months of rain, sd 0.1 against 0.3) must not make a step from chance. The step has to
  // pass the pooled-variance t as well as Welch's.
  const pooled2 = pooledSd * pooledSd * inflation * (1 / bestK + 1 / (n - bestK));
  const pooledP = pooled2 > 0 ? tTwoSidedP(diff / Math.sqrt(pooled2), Math.max(1, (n - 2) / inflation)) : 0;
  return { ...base, t, p: Math.min(1, Math.max(tTwoSidedP(t, df), pooledP)), autocorrelation: rho };
}

function residualLag1(values: readonly number[], split: number, meanBefore: number, meanAfter: number): number {
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < values.length; i++) {
    const e = values[i]! - (i < split ? meanBefore : meanAfter);
    denominator += e * e;
    if (i + 1 < values.length && i + 1 !== split) {
      numerator += e * (values[i + 1]! - (i + 1 < split ? meanBefore : meanAfter));
    }
  }
  if (!(denominator > 0)) return 0;
  return Math.min(0.95, Math.max(0, numerator / denominator));
}

export interface PettittResult {
  /** Index (into the input) of the first point after the most likely change. */
  index: number;
  /** K = max_t |U_t|, the Pettitt statistic. */
  k: number;
  /** Approximate p ≈ 2·exp(−6K²/(n³ + n²)), capped at 1. */
  p: number;
  /** U_t at the change: positive when values dropped after it, negative when they rose. */
  u: number;
}

/**
 * Pettitt's rank-based test for a single change point (non-finite values dropped), computed in
 * O(n log n) from average ranks: U_t = 2·Σ_{i≤t} r_i − t(n + 1). Null when fewer than 3 finite values;
 * p = 1 when all values tie.
 */
export function pettitt(y: ArrayLike<number>): PettittResult | null {
  const { values, indices } = finiteWithIndex(y);
  const n = values.length;
  if (n < 3) return null;
  const ranks = averageRanks(values);
  let rankSum = 0;
  let best = 0;
  let bestT = 1;
  let bestU = 0;
  for (let t = 1; t < n; t++) {
    rankSum += ranks[t - 1]!;
    const u = 2 * rankSum - t * (n + 1);
    if (Math.abs(u) > best) {
      best = Math.abs(u);
      bestT = t;
      bestU = u;
    }
  }
  const p = best === 0 ? 1 : Math.min(1, 2 * Math.exp((-6 * best * best) / (n ** 3 + n ** 2)));
  return { index: indices[bestT]!, k: best, p, u: bestU };
}
