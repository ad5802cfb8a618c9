import { finite } from './descriptive.ts';
import { twoSidedNormalP } from './distributions.ts';

/** Finite values, or null when any is negative or the total is not positive (shares undefined). */
function nonNegative(values: ArrayLike<number>): { xs: number[]; total: number } | null {
  const xs = finite(values);
  if (xs.some((v) => v < 0)) return null;
  const total = xs.reduce((s, v) => s + v, 0);
  return total > 0 ? { xs, total } : null;
}

/**
 * Gini coefficient Σ(2i − n − 1)·x₍ᵢ₎ / (n·Σx) of non-negative values (ascending order statistics,
 * no small-sample correction): 0 = perfectly even, (n − 1)/n = all in one. Null when a value is
 * negative or the total is 0.
 */
export function gini(values: ArrayLike<number>): number | null {
  const data = nonNegative(values);
  if (data === null) return null;
  const xs = data.xs.sort((a, b) => a - b);
  const n = xs.length;
  let weighted = 0;
  for (let i = 0; i < n; i++) weighted += (2 * (i + 1) - n - 1) * xs[i]!;
  return weighted / (n * data.total);
}

/**
 * Herfindahl–Hirschman index Σ sᵢ² of shares; the input is normalised to sum to 1 first, so raw
 * non-negative amounts work too. In [1/n, 1]. Null when a value is negative or the total is 0.
 */
export function hhi(shares: ArrayLike<number>): number | null {
  const data = nonNegative(shares);
  if (data === null) return null;
  return data.xs.reduce((s, v) => s + (v / data.total) ** 2, 0);
}

/**
 * Share of the total held by the k largest values (the input is sorted descending internally, so
 * order does not matter); k is clamped to [0, n]. Null when a value is negative or the total is 0.
 */
export function topShare(values: ArrayLike<number>, k: number): number | null {
  const data = nonNegative(values);
  if (data === null) return null;
  const xs = data.xs.sort((a, b) => b - a);
  const count = Math.max(0, Math.min(xs.length, Math.floor(k)));
  let top = 0;
  for (let i = 0; i < count; i++) top += xs[i]!;
  return Math.min(1, top / data.total);
}

/**
 * Smallest k such that the k largest values hold at least `target` (default 0.8) of the total.
 * Null when a value is negative or the total is 0.
 */
export function paretoK(values: ArrayLike<number>, target = 0.8): number | null {
  const data = nonNegative(values);
  if (data === null) return null;
  const xs = data.xs.sort((a, b) => b - a);
  const goal = Math.min(1, Math.max(0, target)) * data.total;
  let cumulative = 0;
  for (let i = 0; i < xs.length; i++) {
    cumulative += xs[i]!;
    // Relative slack so float rounding cannot push a target of 1 past the last value.
    if (cumulative >= goal * (1 - 1e-12)) return i + 1;
  }
  return xs.length;
}

export interface OutstandingFirst {
  /** v₁ / v₂. */
  ratio12: number;
  /** Rank-1 residual v₁ − α·1^−0.7 (signed). */
  residual: number;
  /** Rank-2 absolute residual |v₂ − α·2^−0.7|. */
  secondResidual: number;
  /** Ratio gate k: 2.083, or 5.64 when v₂/v₃ > 10. */
  gate: number;
  /** Mean of the absolute residuals at ranks 2..n. */
  meanResidual: number;
  /** Root mean square of the absolute residuals at ranks 2..n (ML.NET's σ). */
  rmsResidual: number;
  /** 2·(1 − Φ(|residual − meanResidual| / rmsResidual)) when outstanding, else 1. */
  p: number;
  isOutstanding: boolean;
}

const POWER_LAW_EXPONENT = 0.7;

/**
 * ML.NET's "outstanding No. 1" test (CalculateRankSignificance.OutstandingRankOne), exactly:
 * sort the finite values descending; keep the positive values at ranks 2..n; fit x_i ≈ α·i^−0.7 by
 * least squares through the origin (α = Σφᵢvᵢ / Σφᵢ², φᵢ = i^−0.7) on those ranks; the leader is
 * outstanding when its residual v₁ − α > k·|v₂ − α·2^−0.7| (k = 2.083, or 5.64 when v₂/v₃ > 10) and
 * ≥ mean + 1·RMS of the |residuals| at ranks 2..n. ML.NET's significance is 2Φ(|e₁ − mean|/RMS) − 1;
 * we return p = 1 − that, and p = 1 when the gates fail. Null when v₁ ≤ 0 or fewer than 2 positive
 * values follow it.
 */
export function outstandingFirst(valuesSortedDesc: ArrayLike<number>): OutstandingFirst | null {
  const xs = finite(valuesSortedDesc).sort((a, b) => b - a);
  const leader = xs[0];
  const others = xs.slice(1).filter((v) => v > 0);
  if (leader === undefined || leader <= 0 || others.length < 2) return null;
  const kernel = (rank: number): number => rank ** -POWER_LAW_EXPONENT;
  let innerProduct = 0;
  let kernelSquares = 0;
  others.forEach((v, i) => {
    const phi = kernel(i + 2);
    innerProduct += phi * v;
    kernelSquares += phi * phi;
  });
  const alpha = innerProduct / kernelSquares;
  const errors = others.map((v, i) => Math.abs(v - alpha * kernel(i + 2)));
  const meanResidual = errors.reduce((s, e) => s + e, 0) / errors.length;
  const rmsResidual = Math.sqrt(errors.reduce((s, e) => s + e * e, 0) / errors.length);
  const residual = leader - alpha * kernel(1);
  const secondResidual = errors[0]!;
  const gate = others[0]! / others[1]! > 10 ? 5.64 : 2.083;
  const isOutstanding = residual > gate * secondResidual && residual >= meanResidual + rmsResidual;
  const z = rmsResidual > 0 ? Math.abs(residual - meanResidual) / rmsResidual : Number.POSITIVE_INFINITY;
  return {
    ratio12: leader / others[0]!,
    residual,
    secondResidual,
    gate,
    meanResidual,
    rmsResidual,
    p: isOutstanding ? twoSidedNormalP(z) : 1,
    isOutstanding,
  };
}
