import { axisLabelExpression } from '../format.ts';
import { cleanLabel, truncateLabel } from '../labels.ts';
import type { ValueFormat } from '../types.ts';
import { axisTitle, finiteNumbers, maxAbs, type VegaLiteSpec } from './common.ts';

export type XType = 'temporal' | 'quantitative' | 'ordinal';
export type XValue = string | number;

/**
 * Positions along x as the spec carries them: temporal values become UTC milliseconds (a date-only
 * string would otherwise be read in the host's time zone, and the same file would chart differently
 * on two servers), ordinal values become clean, short labels.
 */
export function toSpecX(x: XValue, xType: XType): number | string | null {
  if (xType === 'ordinal') return truncateLabel(cleanLabel(x), 24);
  if (xType === 'quantitative') return typeof x === 'number' && Number.isFinite(x) ? x : toFiniteNumber(x);
  return toUtcMilliseconds(x);
}

function toFiniteNumber(x: XValue): number | null {
  const value = Number(x);
  return Number.isFinite(value) ? value : null;
}

/** Years (2017, '2017'), months ('2017-03'), dates and date-times; a time without a zone is read as UTC. */
export function toUtcMilliseconds(x: XValue): number | null {
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) return null;
    return Number.isInteger(x) && x >= 1000 && x <= 9999 ? Date.UTC(x, 0, 1) : x;
  }
  const text = x.trim();
  const yearMonth = /^(\d{4})(?:-(\d{2}))?$/.exec(text);
  if (yearMonth) return Date.UTC(Number(yearMonth[1]), Number(yearMonth[2] ?? 1) - 1, 1);
  const withoutZone = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.test(text);
  const parsed = Date.parse(withoutZone ? `${text.replace(' ', 'T')}${text.length > 10 ? 'Z' : ''}` : text);
  return Number.isFinite(parsed) ? parsed : null;
}

/** Where an x value sits between the first and last, 0…1, to place labels away from the edges. */
export function xFraction(x: number | string | null, allX: readonly (number | string | null)[]): number {
  if (typeof x === 'string') {
    const order = distinctInOrder(allX.filter((value): value is string => typeof value === 'string'));
    return order.length > 1 ? order.indexOf(x) / (order.length - 1) : 0.5;
  }
  const numbers = finiteNumbers(allX.map((value) => (typeof value === 'number' ? value : null)));
  if (x === null || numbers.length === 0) return 0.5;
  const [low, high] = [Math.min(...numbers), Math.max(...numbers)];
  return high > low ? (x - low) / (high - low) : 0.5;
}

export function distinctInOrder<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** Vega's multi-scale time labels, with short month names: "October" repeated along an axis is noise. */
const SHORT_TIME_FORMATS = {
  year: '%Y',
  quarter: '%b',
  month: '%b',
  week: '%b %-d',
  date: '%b %-d',
  hours: '%H:%M',
  minutes: '%H:%M',
  seconds: ':%S',
  milliseconds: '.%L',
};

/** The x encoding for line-like charts. */
export function xEncoding(
  xType: XType,
  xs: readonly (number | string | null)[],
  title: string | undefined,
  format: ValueFormat | undefined,
): VegaLiteSpec {
  if (xType === 'temporal') {
    const ticks = coarseTicks(finiteNumbers(xs.map((value) => (typeof value === 'number' ? value : null))));
    return {
      field: 'x',
      type: 'temporal',
      scale: { type: 'utc' },
      axis: {
        title: axisTitle(title),
        grid: false,
        labelExpr: `utcFormat(datum.value, ${JSON.stringify(SHORT_TIME_FORMATS)})`,
        ...(ticks ? { tickCount: ticks } : {}),
      },
    };
  }
  if (xType === 'ordinal') {
    const order = distinctInOrder(xs.filter((value): value is string => typeof value === 'string'));
    return {
      field: 'x',
      type: 'ordinal',
      sort: order,
      scale: { padding: 0.3 },
      axis: { title: axisTitle(title), labelAngle: 0, labelOverlap: 'greedy' },
    };
  }
  const numbers = finiteNumbers(xs.map((value) => (typeof value === 'number' ? value : null)));
  return {
    field: 'x',
    type: 'quantitative',
    scale: { zero: false, nice: false },
    axis: { title: axisTitle(title), grid: false, labelExpr: quantitativeXLabels(numbers, format) },
  };
}

/**
 * Ticks no finer than the data: two yearly points get a tick per year, not "Feb, Mar, …" between them.
 * Only for short spans (at most 12 steps of the data's unit); longer ones keep vega's own ticks.
 */
function coarseTicks(ms: number[]): { interval: 'year' | 'month'; step: 1 } | undefined {
  if (ms.length < 2) return undefined;
  const dates = ms.map((value) => new Date(value));
  const midnight = dates.every((d) => d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0);
  if (!midnight || !dates.every((d) => d.getUTCDate() === 1)) return undefined;
  const months = (d: Date) => d.getUTCFullYear() * 12 + d.getUTCMonth();
  const span = Math.max(...dates.map(months)) - Math.min(...dates.map(months));
  if (dates.every((d) => d.getUTCMonth() === 0)) return span / 12 <= 12 ? { interval: 'year', step: 1 } : undefined;
  return span <= 12 ? { interval: 'month', step: 1 } : undefined;
}

/** Whole numbers between 1000 and 2999 are years: printed as 2017, never 2,017. */
function quantitativeXLabels(values: number[], format: ValueFormat | undefined): string {
  const looksLikeYears =
    values.length > 0 && values.every((value) => Number.isInteger(value) && value >= 1000 && value < 3000);
  if (!format && looksLikeYears) return `format(datum.value, 'd')`;
  return axisLabelExpression(format ?? { kind: 'number' }, { maxAbs: maxAbs(values) });
}

/**
 * A Vega expression naming a tick's year as a file spells it (`FY%Y` → "FY2024", `%Y/%n` → "2023/24";
 * `%n`/`%N` are the next year in two or four digits).
 */
export function spelledYearExpression(spelling: string): string {
  const year = 'utcyear(datum.value)';
  const twoDigits = (expression: string) => `pad(toString((${expression}) % 100), 2, '0', 'left')`;
  const directives: Record<string, string> = {
    Y: `toString(${year})`,
    y: twoDigits(year),
    n: twoDigits(`${year} + 1`),
    N: `toString(${year} + 1)`,
  };
  const parts: string[] = [];
  let literal = '';
  for (let i = 0; i < spelling.length; i++) {
    const directive = spelling[i] === '%' ? directives[spelling[i + 1] ?? ''] : undefined;
    if (directive) {
      if (literal) parts.push(JSON.stringify(literal));
      literal = '';
      parts.push(directive);
      i++;
    } else literal += spelling[i];
  }
  if (literal) parts.push(JSON.stringify(literal));
  return parts.join(' + ');
}

/**
 * The chart with each yearly time axis labelled as the file spells its years (fiscal or split years);
 * unchanged without a spelling. Only temporal x axes with our own time labels are touched.
 */
export function spellYearAxes<T extends { vegaLite: Record<string, unknown> }>(
  chart: T,
  spelling: string | undefined,
): T {
  if (!spelling) return chart;
  const expression = spelledYearExpression(spelling);
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!node || typeof node !== 'object') return node;
    const copy: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) copy[key] = visit(value);
    const x = (copy.encoding as { x?: { type?: string; axis?: { labelExpr?: string } } } | undefined)?.x;
    if (x?.type === 'temporal' && x.axis?.labelExpr?.startsWith('utcFormat(datum.value')) {
      copy.encoding = { ...(copy.encoding as object), x: { ...x, axis: { ...x.axis, labelExpr: expression } } };
    }
    return copy;
  };
  return { ...chart, vegaLite: visit(chart.vegaLite) as Record<string, unknown> };
}
