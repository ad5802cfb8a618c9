import { finite, median, robustScale } from './descriptive.ts';
import { tTwoSidedP } from './distributions.ts';

export interface SpikeScore {
  /** Index into the input. */
  index: number;
  value: number;
  /** Baseline: median of the finite neighbours in the centred window, the point itself excluded. */
  expected: number;
  /** value − expected. */
  residual: number;
  /** ML.NET severity |residual| / median |residual| (mean |residual| when that median is 0; 0 if both are). */
  severity: number;
  /**
   * Robust z: the residual, divided by √(1 + π/(2m)) for a baseline from m neighbours (the median's own
   * noise, larger at the truncated ends), over the robust scale (1.4826·MAD) of those standardised residuals.
   */
  z: number;
  /**
   * Two-sided p of z for this one point, from a Student t with 0.37·n df (the MAD's efficiency), which
   * tends to the normal tail for long series; Bonferroni over points is the caller's job. 1 if scale is 0.
   */
  p: number;
}

/**
 * Scores every finite point of a series against a centred rolling median of its neighbours
 * (`window` points wide, default 7, the point excluded; truncated at the ends). Returns one entry per
 * finite point, in order; an empty array when there are fewer than 3 finite points.
 */
export function spikeScores(y: ArrayLike<number>, window = 7): SpikeScore[] {
  if (finite(y).length < 3) return [];
  const half = Math.max(1, Math.floor(Math.max(3, window) / 2));
  const indices: number[] = [];
  const expectations: number[] = [];
  const standardised: number[] = [];
  // One buffer for every window, kept sorted by insertion: series of thousands of points are scored by the
  // hundred, and sorting a fresh array per point was most of the time.
  const sorted = new Float64Array(2 * half);
  for (let i = 0; i < y.length; i++) {
    const value = y[i]!;
    if (!Number.isFinite(value)) continue;
    let count = 0;
    for (let j = Math.max(0, i - half); j <= Math.min(y.length - 1, i + half); j++) {
      const neighbour = y[j]!;
      if (j === i || !Number.isFinite(neighbour)) continue;
      let k = count++;
      while (k > 0 && sorted[k - 1]! > neighbour) {
        sorted[k] = sorted[k - 1]!;
        k--;
      }
      sorted[k] = neighbour;
    }
    const middle = count >> 1;
    const expected = count === 0 ? value : count % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
    indices.push(i);
    expectations.push(expected);
    standardised.push(count > 0 ? (value - expected) / Math.sqrt(1 + Math.PI / (2 * count)) : 0);
  }
  const absolute = indices.map((i, n) => Math.abs(y[i]! - expectations[n]!));
  const typical = median(absolute) || absolute.reduce((s, v) => s + v, 0) / absolute.length;
  const scale = robustScale(standardised);
  const df = Math.max(2, 0.37 * indices.length);
  return indices.map((i, n) => {
    const value = y[i]!;
    const residual = value - expectations[n]!;
    const z = scale > 0 ? standardised[n]! / scale : 0;
    return new Score(
      i,
      value,
      expectations[n]!,
      residual,
      typical > 0 ? Math.abs(residual) / typical : 0,
      z,
      scale > 0 ? df : 0,
    );
  });
}

/**
 * A score read back on the series' own scale (a day scored with its weekday's level divided out): the value
 * and the expectation as given, the residual between them; its severity, z and p as scored.
 */
export function rebasedScore(score: SpikeScore, value: number, expected: number): SpikeScore {
  if (!(score instanceof Score)) return { ...score, value, expected, residual: value - expected };
  return score.rebased(value, expected);
}

/** A point's score; its p-value is computed on demand (callers test a series' top point, and the t tail costs more than the rest). */
class Score implements SpikeScore {
  constructor(
    readonly index: number,
    readonly value: number,
    readonly expected: number,
    readonly residual: number,
    readonly severity: number,
    readonly z: number,
    /** Degrees of freedom of the t tail; 0 when the series has no spread (p = 1). */
    private readonly df: number,
  ) {}

  get p(): number {
    return this.df > 0 ? tTwoSidedP(this.z, this.df) : 1;
  }

  rebased(value: number, expected: number): Score {
    return new Score(this.index, value, expected, value - expected, this.severity, this.z, this.df);
  }
}
