import { axisLabelExpression, logAxisLabelExpression } from '../format.ts';
import type { ValueFormat } from '../types.ts';
import { finiteNumbers, maxAbs, type VegaLiteSpec } from './common.ts';

/** More than two orders of magnitude between the smallest and largest value: a linear axis flattens all but the top. */
const LOG_SCALE_MIN_RATIO = 100;

/**
 * Whether an axis over `values` should be logarithmic. `requested` false forces linear; true asks for log
 * but still gets linear when a value is ≤ 0 (a log axis cannot show it). Undefined: log when every value
 * is positive and max/min > 100.
 */
export function shouldUseLogScale(values: readonly (number | null | undefined)[], requested?: boolean): boolean {
  if (requested === false) return false;
  const finite = finiteNumbers(values);
  if (finite.length === 0 || finite.some((value) => value <= 0)) return false;
  if (requested === true) return true;
  return Math.max(...finite) / Math.min(...finite) > LOG_SCALE_MIN_RATIO;
}

/** Tick values for a log axis: powers of ten, plus 2× and 5× steps when fewer than four powers fit. */
export function logTickValues(min: number, max: number): number[] {
  const low = Math.floor(Math.log10(min));
  const high = Math.ceil(Math.log10(max));
  const powers: number[] = [];
  for (let exponent = low; exponent <= high; exponent++) powers.push(10 ** exponent);
  const inRange = (value: number) => value >= min * 0.999 && value <= max * 1.001;
  const within = powers.filter(inRange);
  if (within.length >= 4) return within.map(roundTick);
  return powers
    .flatMap((power) => [power, 2 * power, 5 * power])
    .filter(inRange)
    .map(roundTick);
}

/** 0.1 × 3 is 0.30000000000000004; ticks must print cleanly. */
function roundTick(value: number): number {
  return Number(value.toPrecision(6));
}

export interface ValueAxisOptions {
  values: readonly (number | null | undefined)[];
  format: ValueFormat;
  title: string | null;
  log: boolean;
  /** Linear only: whether the axis must start at zero (bars always; lines when it does not squash the data). */
  zero: boolean;
  /** Linear only: an explicit domain (e.g. with headroom for labels). */
  domain?: [number, number];
}

/** Scale and axis definitions for a quantitative value channel, formatted by `format`. */
export function valueScaleAndAxis(options: ValueAxisOptions): { scale: VegaLiteSpec; axis: VegaLiteSpec } {
  const finite = finiteNumbers(options.values);
  if (options.log) {
    const min = Math.min(...finite);
    const max = Math.max(...finite);
    // A little air beyond the data instead of rounding out to whole decades, which can waste half the plot.
    const domain: [number, number] = options.domain ?? [min / 1.2, max * 1.2];
    return {
      scale: { type: 'log', domain, nice: false },
      axis: {
        title: options.title,
        values: logTickValues(domain[0], domain[1]),
        labelExpr: logAxisLabelExpression(options.format),
      },
    };
  }
  return {
    scale: options.domain ? { domain: options.domain, nice: false, zero: false } : { zero: options.zero, nice: true },
    axis: {
      title: options.title,
      labelExpr: axisLabelExpression(options.format, { maxAbs: maxAbs(options.domain ?? finite) }),
    },
  };
}

/**
 * Whether a line chart's axis should include zero: yes when the data sits near it (values between 0 and
 * twice their minimum), so a change is shown to scale; no when the data sits far from zero and would
 * otherwise be a flat line at the top.
 */
export function lineAxisIncludesZero(values: readonly number[]): boolean {
  if (values.length === 0) return true;
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (min < 0 || max <= 0) return min < 0 && max > 0;
  return min / max < 0.5;
}

/** A linear domain rounded out to tick steps (as d3's `nice`), computed here so label positions can be planned. */
export function niceLinearDomain(low: number, high: number, tickCount = 6): [number, number] {
  if (low === high) {
    const pad = Math.abs(low) * 0.1 || 1;
    [low, high] = [low - pad, high + pad];
  }
  for (let pass = 0; pass < 2; pass++) {
    const step = tickStep(low, high, tickCount);
    // A hair of floating-point noise (a share summing to 1.0000000000000002) must not add a whole step.
    low = Math.floor(low / step + 1e-9) * step;
    high = Math.ceil(high / step - 1e-9) * step;
  }
  return [roundTick(low), roundTick(high)];
}

function tickStep(low: number, high: number, count: number): number {
  const raw = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const error = raw / power;
  const factor = error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.SQRT2 ? 2 : 1;
  return factor * power;
}

/** A value axis whose position mapping is known in advance: `fraction(v)` is 0 at the bottom and 1 at the top. */
export interface PlannedAxis {
  log: boolean;
  domain: [number, number];
  fraction(value: number): number;
  valueAt(fraction: number): number;
}

export function planValueAxis(values: readonly number[], log: boolean, includeZero: boolean): PlannedAxis {
  const finite = finiteNumbers(values);
  const low = Math.min(...finite, ...(includeZero ? [0] : []));
  const high = Math.max(...finite, ...(includeZero ? [0] : []));
  if (log) {
    const domain: [number, number] = [low / 1.2, high * 1.2];
    const [a, b] = [Math.log10(domain[0]), Math.log10(domain[1])];
    return {
      log,
      domain,
      fraction: (value) => (Math.log10(value) - a) / (b - a),
      valueAt: (fraction) => 10 ** (a + fraction * (b - a)),
    };
  }
  const domain = niceLinearDomain(low, high);
  const [a, b] = domain;
  return { log, domain, fraction: (value) => (value - a) / (b - a), valueAt: (fraction) => a + fraction * (b - a) };
}
