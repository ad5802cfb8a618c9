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
  const rows: (Omit<SpikeScore, 'severity' | 'z' | 'p'> & { standardised: number })[] = [];
  for (let i = 0; i < y.length; i++) {
    const value = y[i]!;
    if (!Number.isFinite(value)) continue;
    const neighbours: number[] = [];
    for (let j = Math.max(0, i - half); j <= Math.min(y.length - 1, i + half); j++) {
      if (j !== i && Number.isFinite(y[j]!)) neighbours.push(y[j]!);
    }
    const expected = neighbours.length > 0 ? medianOfSmall(neighbours) : value;
    const residual = value - expected;
    const standardised = neighbours.length > 0 ? residual / Math.sqrt(1 + Math.PI / (2 * neighbours.length)) : 0;
    rows.push({ index: i, value, expected, residual, standardised });
  }
  const residuals = rows.map((row) => row.residual);
  const absolute = residuals.map(Math.abs);
  const typical = median(absolute) || absolute.reduce((s, v) => s + v, 0) / absolute.length;
  const scale = robustScale(rows.map((row) => row.standardised));
  const df = Math.max(2, 0.37 * rows.length);
  return rows.map(({ standardised, ...row }) => {
    const z = scale > 0 ? standardised / scale : 0;
    return {
      ...row,
      severity: typical > 0 ? Math.abs(row.residual) / typical : 0,
      z,
      // On demand: callers test the top point of a series, and the t tail costs more than the rest of the scoring.
      get p() {
        return scale > 0 ? tTwoSidedP(z, df) : 1;
      },
    };
  });
}

/** Median of a small array of finite numbers (sorts it in place). */
function medianOfSmall(values: number[]): number {
  values.sort((a, b) => a - b);
  const middle = values.length >> 1;
  return values.length % 2 ? values[middle]! : (values[middle - 1]! + values[middle]!) / 2;
}
