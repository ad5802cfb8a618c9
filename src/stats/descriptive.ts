import { selectInPlace } from './ranks.ts';

/** Summary statistics of a numeric sample, the input shape of the summary-based tests. */
export interface Summary {
  /** Number of finite values. */
  n: number;
  /** Arithmetic mean; 0 when n = 0. */
  mean: number;
  /** Sample variance (n − 1 denominator); 0 when n < 2. */
  variance: number;
  /** Smallest finite value; 0 when n = 0. */
  min: number;
  /** Largest finite value; 0 when n = 0. */
  max: number;
}

/** The finite values of `values`, in order (NaN, ±∞ dropped). Every function here calls it first. */
export function finite(values: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) out.push(v);
  }
  return out;
}

function sumOf(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/** Arithmetic mean of the finite values; null when there are none. */
export function mean(values: ArrayLike<number>): number | null {
  const xs = finite(values);
  return xs.length === 0 ? null : sumOf(xs) / xs.length;
}

/** Sample variance (n − 1 denominator, two-pass) of the finite values; null when fewer than 2. */
export function variance(values: ArrayLike<number>): number | null {
  const xs = finite(values);
  if (xs.length < 2) return null;
  const m = sumOf(xs) / xs.length;
  let ss = 0;
  for (const v of xs) ss += (v - m) * (v - m);
  return ss / (xs.length - 1);
}

/** Sample standard deviation √variance; null when fewer than 2 finite values. */
export function std(values: ArrayLike<number>): number | null {
  const v = variance(values);
  return v === null ? null : Math.sqrt(v);
}

function isSortedAscending(xs: readonly number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i]! < xs[i - 1]!) return false;
  return true;
}

/** Ascending copy of the finite values (no copy-sort when already sorted). */
export function sortedFinite(values: ArrayLike<number>): number[] {
  const xs = finite(values);
  return isSortedAscending(xs) ? xs : xs.sort((a, b) => a - b);
}

/** Quantile of an ascending, finite, non-empty array with numpy's default linear interpolation. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const a = sorted[lo]!;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)]!;
  return a + (h - lo) * (b - a);
}

/**
 * q-quantile (q in [0, 1], clamped) of the finite values, sorted or not, with linear interpolation
 * between order statistics like `numpy.quantile(method='linear')`; null when there are no values.
 */
export function quantile(values: ArrayLike<number>, q: number): number | null {
  const xs = sortedFinite(values);
  return xs.length === 0 || Number.isNaN(q) ? null : quantileSorted(xs, q);
}

/**
 * Median of the finite values; null when there are none. By quickselect rather than a sort (detectors take
 * thousands of medians), with `quantile`'s interpolation, so the result is the same to the last bit.
 */
export function median(values: ArrayLike<number>): number | null {
  const xs = Float64Array.from(finite(values));
  const n = xs.length;
  if (n === 0) return null;
  const upper = selectInPlace(xs, n >> 1);
  if (n % 2 === 1) return upper;
  let lower = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n >> 1; i++) if (xs[i]! > lower) lower = xs[i]!;
  return lower + 0.5 * (upper - lower);
}

/** Raw median absolute deviation median(|x − median(x)|) (no 1.4826 factor); null when empty. */
export function mad(values: ArrayLike<number>): number | null {
  const xs = finite(values);
  const m = median(xs);
  if (m === null) return null;
  return median(xs.map((v) => Math.abs(v - m)));
}

/**
 * Robust scale σ̂ of the finite values: 1.4826·MAD; when MAD is 0 (over half the values tie) falls back
 * to 1.2533 × the mean absolute deviation from the median, then to the sample std. 0 when all values
 * are equal or there are fewer than 2.
 */
export function robustScale(values: ArrayLike<number>): number {
  const xs = finite(values);
  if (xs.length < 2) return 0;
  const m = median(xs)!;
  const scaled = 1.4826 * mad(xs)!;
  if (scaled > 0) return scaled;
  const meanAbsDev = sumOf(xs.map((v) => Math.abs(v - m))) / xs.length;
  if (meanAbsDev > 0) return 1.2533 * meanAbsDev;
  return std(xs) ?? 0;
}

/**
 * Robust z-scores (x − median) / robustScale, aligned with the input: null where the input is not
 * finite, 0 everywhere when the scale is 0 (all values equal) or there are fewer than 2 finite values.
 */
export function robustZ(values: ArrayLike<number>): (number | null)[] {
  const xs = finite(values);
  const m = median(xs) ?? 0;
  const scale = robustScale(xs);
  const out: (number | null)[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out.push(Number.isFinite(v) ? (scale > 0 ? (v - m) / scale : 0) : null);
  }
  return out;
}

/**
 * How far one value lies from the others: their median, their robust scale, and (value − median) / scale
 * (0 when the scale is 0). The value is left out of both, so an outlier cannot mask itself.
 */
export function robustDistance(value: number, others: ArrayLike<number>): { center: number; scale: number; z: number } {
  const center = median(others) ?? 0;
  const scale = robustScale(others);
  return { center, scale, z: scale > 0 ? (value - center) / scale : 0 };
}

/**
 * Sample skewness g₁ = m₃ / m₂^{3/2} with population moments, like `scipy.stats.skew(bias=True)`;
 * null when fewer than 3 finite values or zero variance.
 */
export function skewness(values: ArrayLike<number>): number | null {
  const xs = finite(values);
  if (xs.length < 3) return null;
  const m = sumOf(xs) / xs.length;
  let m2 = 0;
  let m3 = 0;
  for (const v of xs) {
    const d = v - m;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= xs.length;
  m3 /= xs.length;
  // Relative threshold: float noise in a constant sample must not read as skew.
  if (m2 <= 1e-28 * Math.max(1, m * m)) return null;
  return m3 / m2 ** 1.5;
}

/** {n, mean, variance, min, max} of the finite values; zeros (n = 0) when there are none. */
export function summary(values: ArrayLike<number>): Summary {
  const xs = finite(values);
  if (xs.length === 0) return { n: 0, mean: 0, variance: 0, min: 0, max: 0 };
  let min = xs[0]!;
  let max = xs[0]!;
  for (const v of xs) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { n: xs.length, mean: sumOf(xs) / xs.length, variance: variance(xs) ?? 0, min, max };
}

/** Relative change from `from` to `to`, in percent of |from|; 0 when `from` is 0 (no base to compare to). */
export function percentChange(to: number, from: number): number {
  return from === 0 ? 0 : ((to - from) / Math.abs(from)) * 100;
}
