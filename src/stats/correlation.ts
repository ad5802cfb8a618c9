import { normalQuantile, tTwoSidedP } from './distributions.ts';
import { averageRanks } from './ranks.ts';

export interface PearsonResult {
  /** Correlation coefficient in [−1, 1]; 0 when undefined. */
  r: number;
  /** Number of complete (both finite) pairs used. */
  n: number;
  /** Two-sided p from t = r·√((n − 2)/(1 − r²)) with n − 2 df. */
  p: number;
}

export interface SpearmanResult {
  /** Rank correlation in [−1, 1]; 0 when undefined. */
  rho: number;
  n: number;
  p: number;
}

/** The pairs where both x and y are finite (pairwise-complete), truncated to the shorter length. */
export function completePairs(x: ArrayLike<number>, y: ArrayLike<number>): { xs: number[]; ys: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  const length = Math.min(x.length, y.length);
  for (let i = 0; i < length; i++) {
    const a = x[i]!;
    const b = y[i]!;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      xs.push(a);
      ys.push(b);
    }
  }
  return { xs, ys };
}

function correlationOf(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i]!;
    my += ys[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // Relative guards: a constant column with float noise must not produce a correlation.
  if (sxx <= 1e-28 * n * Math.max(1, mx * mx) || syy <= 1e-28 * n * Math.max(1, my * my)) return 0;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

function correlationP(r: number, n: number): number {
  if (n < 3 || r === 0) return 1;
  if (Math.abs(r) >= 1) return 0;
  return tTwoSidedP(r * Math.sqrt((n - 2) / (1 - r * r)), n - 2);
}

/**
 * Pearson correlation over pairwise-complete finite pairs, with a two-sided t-test p (as
 * `scipy.stats.pearsonr`). r = 0, p = 1 when n < 3 or either variable is constant.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): PearsonResult {
  const { xs, ys } = completePairs(x, y);
  const n = xs.length;
  if (n < 3) return { r: 0, n, p: 1 };
  const r = correlationOf(xs, ys);
  return { r, n, p: correlationP(r, n) };
}

/**
 * Spearman rank correlation (average ranks for ties) with the t-approximation p used by
 * `scipy.stats.spearmanr`. rho = 0, p = 1 when n < 3 or either variable is constant.
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): SpearmanResult {
  const { xs, ys } = completePairs(x, y);
  const n = xs.length;
  if (n < 3) return { rho: 0, n, p: 1 };
  const rho = correlationOf(averageRanks(xs), averageRanks(ys));
  return { rho, n, p: correlationP(rho, n) };
}

/**
 * Point-biserial correlation between a binary group indicator (true/1 vs false/0; other values are
 * dropped) and a numeric variable: Pearson on 0/1, so r > 0 means group 1 has higher values.
 */
export function pointBiserial(group: ArrayLike<boolean | number>, values: ArrayLike<number>): PearsonResult {
  const indicator: number[] = [];
  for (let i = 0; i < group.length; i++) {
    const g = group[i];
    indicator.push(g === true || g === 1 ? 1 : g === false || g === 0 ? 0 : Number.NaN);
  }
  return pearson(indicator, values);
}

/**
 * Fisher-z confidence interval for a correlation r from n pairs at the given level (default 0.95):
 * tanh(atanh(r) ± z/√(n − 3)). Returns the uninformative [−1, 1] when n ≤ 3 or r is not finite.
 */
export function fisherZInterval(r: number, n: number, level = 0.95): { lower: number; upper: number } {
  if (!(n > 3) || !Number.isFinite(r) || !(level > 0 && level < 1)) return { lower: -1, upper: 1 };
  const clamped = Math.max(-1, Math.min(1, r));
  const centre = Math.atanh(clamped);
  const half = normalQuantile(0.5 + level / 2) / Math.sqrt(n - 3);
  return { lower: Math.tanh(centre - half), upper: Math.tanh(centre + half) };
}
