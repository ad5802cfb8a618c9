import gammaln from '@stdlib/math-base-special-gammaln';
import type { Summary } from './descriptive.ts';
import { finite } from './descriptive.ts';
import { chiSquareSf, clampP, fSf, tTwoSidedP, twoSidedNormalP } from './distributions.ts';
import { averageRanks, tieGroupSizes } from './ranks.ts';

/** The part of a {@link Summary} the summary-based tests read. */
export type GroupSummary = Pick<Summary, 'n' | 'mean' | 'variance'>;

export interface WelchResult {
  /** (mean_a − mean_b) / SE; ±∞ when both groups are constant with different means. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom (0 when the test is undefined). */
  df: number;
  /** Two-sided p-value. */
  p: number;
  /** (mean_a − mean_b) / pooled sd; ±∞ like `t`, 0 when undefined. */
  cohensD: number;
}

const NO_WELCH: WelchResult = { t: 0, df: 0, p: 1, cohensD: 0 };

/**
 * The summary of several groups taken as one sample: weighted mean, and variance from the within-group
 * and between-group parts (a missing mean or variance counts as 0).
 */
export function combineSummaries(
  groups: readonly { n: number; mean: number | null; variance: number | null }[],
): GroupSummary {
  const n = groups.reduce((sum, g) => sum + g.n, 0);
  const mean = groups.reduce((sum, g) => sum + (g.mean ?? 0) * g.n, 0) / n;
  const variance =
    groups.reduce((sum, g) => sum + (g.variance ?? 0) * Math.max(0, g.n - 1) + g.n * ((g.mean ?? 0) - mean) ** 2, 0) /
    Math.max(1, n - 1);
  return { n, mean, variance };
}

/**
 * Welch's unequal-variance two-sample t-test from group summaries (two-sided). Returns t = 0, p = 1
 * when either group has n < 2 or both have zero variance and equal means; t = ±∞, p = 0 when both have
 * zero variance and different means (an exact separation).
 */
/**
 * Two-sided p that one new observation lies `deviation` from the centre of `n` earlier values whose spread
 * is `scale`: Student's t with n − 1 degrees of freedom and the prediction-interval factor √(1 + 1/n).
 */
/** P(X ≥ k) for X ~ Binomial(n, 1/2): a sign test, one-sided. */
export function binomialUpperTail(k: number, n: number): number {
  let term = 0.5 ** n; // P(X = 0)
  let tail = 0;
  for (let i = 0; i <= n; i++) {
    if (i >= k) tail += term;
    term *= (n - i) / (i + 1);
  }
  return Math.min(1, tail);
}

export function predictionP(deviation: number, scale: number, n: number): number {
  if (!(scale > 0)) return deviation === 0 ? 1 : 0;
  return Math.min(1, tTwoSidedP(deviation / (scale * Math.sqrt(1 + 1 / n)), Math.max(1, n - 1)));
}

export function welchTTest(a: GroupSummary, b: GroupSummary): WelchResult {
  if (!(a.n >= 2 && b.n >= 2) || ![a.mean, b.mean, a.variance, b.variance].every(Number.isFinite)) return NO_WELCH;
  const va = Math.max(0, a.variance) / a.n;
  const vb = Math.max(0, b.variance) / b.n;
  const diff = a.mean - b.mean;
  const se2 = va + vb;
  const pooledVar = ((a.n - 1) * Math.max(0, a.variance) + (b.n - 1) * Math.max(0, b.variance)) / (a.n + b.n - 2);
  if (se2 <= 0) {
    if (diff === 0) return NO_WELCH;
    const inf = Math.sign(diff) * Number.POSITIVE_INFINITY;
    return { t: inf, df: a.n + b.n - 2, p: 0, cohensD: inf };
  }
  const t = diff / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  return { t, df, p: tTwoSidedP(t, df), cohensD: diff / Math.sqrt(pooledVar) };
}

export interface AnovaResult {
  /** F statistic (between mean square / within mean square); +∞ for an exact separation. */
  f: number;
  /** Between-groups degrees of freedom k − 1. */
  df1: number;
  /** Within-groups degrees of freedom N − k. */
  df2: number;
  p: number;
  /** Share of the total sum of squares explained by the groups, in [0, 1]. */
  etaSquared: number;
}

const NO_ANOVA: AnovaResult = { f: 0, df1: 0, df2: 0, p: 1, etaSquared: 0 };

/**
 * One-way ANOVA from group summaries (groups with n = 0 are skipped; a group with n = 1 contributes no
 * within variance). p = 1 when fewer than 2 groups, N − k < 1, or no variation at all; F = +∞, p = 0
 * when the groups differ but every group is constant.
 */
export function oneWayAnova(groups: readonly GroupSummary[]): AnovaResult {
  const used = groups.filter((g) => g.n >= 1 && Number.isFinite(g.mean));
  const k = used.length;
  const total = used.reduce((s, g) => s + g.n, 0);
  if (k < 2 || total - k < 1) return NO_ANOVA;
  const grand = used.reduce((s, g) => s + g.n * g.mean, 0) / total;
  let ssBetween = 0;
  let ssWithin = 0;
  for (const g of used) {
    ssBetween += g.n * (g.mean - grand) ** 2;
    if (g.n >= 2 && Number.isFinite(g.variance)) ssWithin += (g.n - 1) * Math.max(0, g.variance);
  }
  const df1 = k - 1;
  const df2 = total - k;
  if (ssBetween <= 0) return { ...NO_ANOVA, df1, df2 };
  if (ssWithin <= 0) return { f: Number.POSITIVE_INFINITY, df1, df2, p: 0, etaSquared: 1 };
  const f = ssBetween / df1 / (ssWithin / df2);
  return { f, df1, df2, p: fSf(f, df1, df2), etaSquared: ssBetween / (ssBetween + ssWithin) };
}

export interface ChiSquareResult {
  chi2: number;
  df: number;
  p: number;
}

export interface IndependenceResult extends ChiSquareResult {
  /** Cramér's V = √(χ² / (N·(min(r, c) − 1))), in [0, 1]. */
  cramersV: number;
}

/**
 * Pearson chi-square test of independence on a contingency table of counts (no Yates correction, like
 * `scipy.stats.chi2_contingency(correction=False)`). Non-finite or negative cells count as 0; all-zero
 * rows and columns are dropped. p = 1 and V = 0 when fewer than 2 rows or columns remain.
 */
export function chiSquareIndependence(table: readonly (readonly number[])[]): IndependenceResult {
  const width = Math.max(0, ...table.map((row) => row.length));
  const cell = (i: number, j: number): number => {
    const v = table[i]?.[j] ?? 0;
    return Number.isFinite(v) && v > 0 ? v : 0;
  };
  const rowSums = table.map((_, i) => Array.from({ length: width }, (_, j) => cell(i, j)).reduce((s, v) => s + v, 0));
  const colSums = Array.from({ length: width }, (_, j) => table.reduce((s, _, i) => s + cell(i, j), 0));
  const rows = rowSums.flatMap((s, i) => (s > 0 ? [i] : []));
  const cols = colSums.flatMap((s, j) => (s > 0 ? [j] : []));
  if (rows.length < 2 || cols.length < 2) return { chi2: 0, df: 0, p: 1, cramersV: 0 };
  const total = rows.reduce((s, i) => s + rowSums[i]!, 0);
  let chi2 = 0;
  for (const i of rows) {
    for (const j of cols) {
      const expected = (rowSums[i]! * colSums[j]!) / total;
      chi2 += (cell(i, j) - expected) ** 2 / expected;
    }
  }
  const df = (rows.length - 1) * (cols.length - 1);
  const cramersV = Math.min(1, Math.sqrt(chi2 / (total * (Math.min(rows.length, cols.length) - 1))));
  return { chi2, df, p: chiSquareSf(chi2, df), cramersV };
}

/**
 * Pearson chi-square goodness-of-fit of observed counts against expected counts (uniform when omitted;
 * otherwise rescaled to the observed total, so shares may be passed). df = k − 1. p = 1 when fewer than
 * 2 categories or no counts; χ² = +∞, p = 0 when a category with expected 0 has observations.
 */
export function chiSquareGoodnessOfFit(observed: readonly number[], expected?: readonly number[]): ChiSquareResult {
  const obs = observed.map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
  const k = obs.length;
  const total = obs.reduce((s, v) => s + v, 0);
  if (k < 2 || total <= 0) return { chi2: 0, df: Math.max(0, k - 1), p: 1 };
  const weights = expected
    ? obs.map((_, i) => {
        const w = expected[i] ?? 0;
        return Number.isFinite(w) && w > 0 ? w : 0;
      })
    : obs.map(() => 1);
  const weightSum = weights.reduce((s, v) => s + v, 0);
  if (weightSum <= 0) return { chi2: 0, df: k - 1, p: 1 };
  let chi2 = 0;
  for (let i = 0; i < k; i++) {
    const e = (weights[i]! / weightSum) * total;
    if (e > 0) chi2 += (obs[i]! - e) ** 2 / e;
    else if (obs[i]! > 0) chi2 = Number.POSITIVE_INFINITY;
  }
  return { chi2, df: k - 1, p: chiSquareSf(chi2, k - 1) };
}

export interface TwoProportionResult {
  /** Pooled two-proportion z for p1 − p2. */
  z: number;
  p: number;
  /** p1 − p2 (0 when a group is empty). */
  diff: number;
  /** p1 / p2; null when p2 is 0 or a group is empty. */
  ratio: number | null;
}

/**
 * Two-sided pooled z-test that k1/n1 and k2/n2 differ (`statsmodels proportions_ztest` convention).
 * z = 0, p = 1 when a group is empty or the pooled proportion is 0 or 1. Where a cell expects fewer than
 * five (4 credit notes among 76 invoices), the normal approximation overstates the evidence a thousandfold:
 * p is then Fisher's exact test's.
 */
export function twoProportionTest(k1: number, n1: number, k2: number, n2: number): TwoProportionResult {
  if (![k1, n1, k2, n2].every(Number.isFinite) || n1 <= 0 || n2 <= 0 || k1 < 0 || k2 < 0 || k1 > n1 || k2 > n2) {
    return { z: 0, p: 1, diff: 0, ratio: null };
  }
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const pooled = (k1 + k2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const ratio = p2 > 0 ? p1 / p2 : null;
  if (!(se > 0)) return { z: 0, p: 1, diff: p1 - p2, ratio };
  const z = (p1 - p2) / se;
  const expected = Math.min(n1, n2) * Math.min(pooled, 1 - pooled);
  const p = expected < 5 ? fisherExactP(k1, n1, k2, n2) : twoSidedNormalP(z);
  return { z, p, diff: p1 - p2, ratio };
}

/**
 * Fisher's exact test of a 2×2 table (k1 of n1 against k2 of n2), two-sided as R's `fisher.test` and scipy:
 * the probability of every table with the same margins no likelier than the one seen.
 */
export function fisherExactP(k1: number, n1: number, k2: number, n2: number): number {
  const successes = k1 + k2;
  const total = n1 + n2;
  const logChoose = (n: number, k: number) => gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1);
  const logAt = (x: number) => logChoose(n1, x) + logChoose(n2, successes - x) - logChoose(total, successes);
  const seen = logAt(k1);
  let p = 0;
  for (let x = Math.max(0, successes - n2); x <= Math.min(n1, successes); x++) {
    const log = logAt(x);
    // A relative tolerance, as R's, so that tables as likely as the one seen count despite rounding.
    if (log <= seen + 1e-7) p += Math.exp(log);
  }
  return clampP(p);
}

export interface MannWhitneyResult {
  /** U statistic of `a` (number of pairs with a > b, ties counting ½), as scipy's `statistic`. */
  u: number;
  /** Signed normal score of U − n₁n₂/2 with tie and continuity corrections. */
  z: number;
  p: number;
}

/**
 * Mann–Whitney U test, two-sided, normal approximation with tie correction and continuity correction
 * (`scipy.stats.mannwhitneyu(method='asymptotic')`). Non-finite values are dropped. p = 1 when a sample
 * is empty or all values tie.
 */
export function mannWhitneyU(a: ArrayLike<number>, b: ArrayLike<number>): MannWhitneyResult {
  const xs = finite(a);
  const ys = finite(b);
  const n1 = xs.length;
  const n2 = ys.length;
  if (n1 === 0 || n2 === 0) return { u: 0, z: 0, p: 1 };
  const all = xs.concat(ys);
  const ranks = averageRanks(all);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i]!;
  const u = r1 - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const tieTerm = tieGroupSizes(all).reduce((s, t) => s + t ** 3 - t, 0);
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (!(sigma > 0)) return { u, z: 0, p: 1 };
  const centred = u - (n1 * n2) / 2;
  const z = (Math.sign(centred) * Math.max(0, Math.abs(centred) - 0.5)) / sigma;
  return { u, z, p: twoSidedNormalP(z) };
}
