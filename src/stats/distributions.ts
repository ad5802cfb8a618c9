import chiSquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import fCdf from '@stdlib/stats-base-dists-f-cdf';
import stdNormalCdf from '@stdlib/stats-base-dists-normal-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';

/** Clamps a probability into [0, 1] and maps NaN to 1 ("no evidence"), so no p-value is ever NaN. */
export function clampP(p: number): number {
  if (Number.isNaN(p)) return 1;
  return Math.min(1, Math.max(0, p));
}

/** Standard normal CDF Φ(z). NaN for NaN input; 0 and 1 at −∞ and +∞. */
export function normalCdf(z: number): number {
  return stdNormalCdf(z, 0, 1);
}

/**
 * Standard normal upper tail 1 − Φ(z), computed as Φ(−z) so it keeps relative accuracy for large z
 * (normalSf(10) ≈ 7.6e-24 instead of 0). A p-value: 1 for NaN input.
 */
export function normalSf(z: number): number {
  return clampP(stdNormalCdf(-z, 0, 1));
}

/** Two-sided normal p-value 2·(1 − Φ(|z|)); 1 for NaN, 0 for ±∞. */
export function twoSidedNormalP(z: number): number {
  return clampP(2 * normalSf(Math.abs(z)));
}

/**
 * Two-sided Student t p-value for statistic `t` with `df` degrees of freedom (non-integer df allowed,
 * as from Welch). Returns 1 when df ≤ 0 or either input is NaN; uses the normal when df is +∞.
 */
export function tTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || Number.isNaN(df) || df <= 0) return 1;
  if (!Number.isFinite(t)) return 0;
  if (df === Number.POSITIVE_INFINITY) return twoSidedNormalP(t);
  return clampP(2 * tCdf(-Math.abs(t), df));
}

/**
 * Chi-square upper tail P(X ≥ x) for `df` degrees of freedom. Computed as 1 − CDF, so values below
 * ~1e-16 read as 0. Returns 1 for x ≤ 0, df ≤ 0 or NaN input; 0 for x = +∞.
 */
export function chiSquareSf(x: number, df: number): number {
  if (Number.isNaN(x) || Number.isNaN(df) || df <= 0 || x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  return clampP(1 - chiSquareCdf(x, df));
}

/**
 * F upper tail P(X ≥ x) for (df1, df2) degrees of freedom, computed through the reciprocal
 * identity P(F(d1,d2) ≥ x) = P(F(d2,d1) ≤ 1/x) so tiny p-values keep their precision.
 * Returns 1 for x ≤ 0, a non-positive df or NaN input; 0 for x = +∞.
 */
export function fSf(x: number, df1: number, df2: number): number {
  if (Number.isNaN(x) || Number.isNaN(df1) || Number.isNaN(df2) || df1 <= 0 || df2 <= 0 || x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  return clampP(fCdf(1 / x, df2, df1));
}

// Wichura's AS 241 (PPND16) coefficients, lowest order first.
const CENTRAL_NUMERATOR = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946, 45921.95393154987, 67265.7709270087,
  33430.57558358813, 2509.0809287301227,
];
const CENTRAL_DENOMINATOR = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597, 39307.89580009271, 28729.085735721943,
  5226.495278852546,
];
const NEAR_NUMERATOR = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045, 1.2704582524523684, 0.2417807251774506,
  0.022723844989269184, 0.0007745450142783414,
];
const NEAR_DENOMINATOR = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008, 0.015198666563616457,
  0.0005475938084995345, 1.0507500716444169e-9,
];
const FAR_NUMERATOR = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487, 0.026532189526576124,
  0.0012426609473880784, 0.000027115555687434876, 2.0103343992922881e-7,
];
const FAR_DENOMINATOR = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615, 0.0007868691311456133, 0.000018463183175100548,
  1.421511758316446e-7, 2.0442631033899397e-15,
];

function polynomial(coefficients: readonly number[], x: number): number {
  let result = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) result = result * x + coefficients[i]!;
  return result;
}

/**
 * Standard normal quantile Φ⁻¹(p) (Wichura's AS 241, ~1e-16 relative accuracy).
 * Returns −∞ for p = 0, +∞ for p = 1 and NaN outside [0, 1].
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * polynomial(CENTRAL_NUMERATOR, r)) / polynomial(CENTRAL_DENOMINATOR, r);
  }
  const r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  const value =
    r <= 5
      ? polynomial(NEAR_NUMERATOR, r - 1.6) / polynomial(NEAR_DENOMINATOR, r - 1.6)
      : polynomial(FAR_NUMERATOR, r - 5) / polynomial(FAR_DENOMINATOR, r - 5);
  return q < 0 ? -value : value;
}

/** P(X ≥ k) for X ~ Poisson(mean): the chi-square identity P(χ²(2k) ≤ 2·mean); 1 for k ≤ 0. */
export function poissonAtLeast(k: number, mean: number): number {
  if (k <= 0) return 1;
  if (!(mean > 0)) return 0;
  return clampP(1 - chiSquareSf(2 * mean, 2 * k));
}
