import { groupedNumber } from '../../charts/format.ts';
import { percentChange } from '../../stats/index.ts';
import { spellYear } from '../time.ts';
import type { Claim, Measure } from '../types.ts';

/** Decimals that show a value of this size with about four significant digits, never more than the data has. */
function decimalsFor(value: number, dataDecimals: number, averaged: boolean): number {
  const magnitude = Math.abs(value);
  const wanted = averaged ? Math.max(dataDecimals, 1) : dataDecimals;
  if (magnitude >= 1000) return 0;
  if (magnitude >= 100) return Math.min(wanted, 2);
  // An average shows four digits that count at most (48.11, not 48.108); a value from the data its own.
  if (magnitude >= 10 && averaged) return 2;
  if (magnitude >= 1) return Math.min(Math.max(wanted, averaged ? 2 : 0), 3);
  // A zero from the data is "0" ("0 tickets", not "0.00").
  if (magnitude === 0 && !averaged) return 0;
  // Small values keep two significant digits (0.00013, not 0.000).
  if (magnitude > 0 && magnitude < 0.01) return Math.min(8, Math.ceil(-Math.log10(magnitude)) + 1);
  return Math.min(Math.max(wanted, 2), 4);
}

/** "1.75M", "12.3k"-style compact form for large totals. */
function compact(value: number): string | null {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e12) return `${groupedNumber(value / 1e12, 2)}T`;
  if (magnitude >= 1e9) return `${groupedNumber(value / 1e9, 2)}B`;
  if (magnitude >= 1e6) return `${groupedNumber(value / 1e6, 2)}M`;
  return null;
}

export type ValueRole = 'total' | 'average' | 'raw';

/** How a measure's aggregate reads: a total when it adds up, else an average. */
export const valueRole = (measure: Measure): ValueRole => (measure.aggregation === 'sum' ? 'total' : 'average');

/** A measure's value as prose: currency symbol, unit, percent, right decimals. */
export function formatMeasureValue(raw: number, measure: Measure, role: ValueRole = 'average'): string {
  // Money written in millions reads as the amount it is ("$114.7M"), however the file wrote it.
  const scale = measure.format.scale ?? 1;
  const value = raw * scale;
  if (scale !== 1 && role === 'raw') role = 'average';
  // A raw value (a cell, a quantile, a threshold) keeps the data's own decimals: "3 or less", not "3.00".
  const averaged = role === 'average' || (role !== 'raw' && measure.aggregation !== 'sum');
  if (measure.format.kind === 'percent') {
    const points = measure.format.percentScale === 'fraction' ? value * 100 : value;
    // A value from the data written whole stays whole: "20%+ discount", not "20.0%+".
    if (role === 'raw' && Number.isInteger(points) && measure.decimals === 0) return `${groupedNumber(points, 0)}%`;
    return `${formatPercentNumber(points)}%`;
  }
  // Millions read as "53.35M" whether they are a total or an average; a cell from the data stays whole.
  const large = role === 'raw' ? null : compact(value);
  const body = large ?? groupedNumber(value, decimalsFor(value, measure.decimals, averaged));
  if (measure.format.kind === 'currency') {
    const symbol = measure.format.currency ?? '';
    const sign = value < 0 ? '-' : '';
    const positiveBody = body.replace(/^-/, '');
    return symbol.length === 1 ? `${sign}${symbol}${positiveBody}` : `${sign}${positiveBody} ${symbol}`;
  }
  return measure.unit ? `${body} ${measure.unit}` : body;
}

/** A percentage number (already in points) with sensible decimals: 58.5, 1,426, 0.42, 0.013 (two digits that count). */
export function formatPercentNumber(points: number): string {
  const magnitude = Math.abs(points);
  if (magnitude >= 100) return groupedNumber(points, 0);
  if (magnitude >= 1) return groupedNumber(points, 1);
  if (!(magnitude > 0)) return groupedNumber(0, 0);
  return groupedNumber(points, Math.min(6, Math.max(2, 1 - Math.floor(Math.log10(magnitude)))));
}

export const formatPercent = (points: number) => `${formatPercentNumber(points)}%`;
export const formatCount = (value: number) => groupedNumber(Math.round(value), 0);
export const formatRatio = (value: number) => `${groupedNumber(value, value >= 10 ? 0 : 1)}×`;
export const formatCorrelation = (r: number) => (r < 0 ? '-' : '') + groupedNumber(Math.abs(r), 2);

/**
 * Text from the data (a member, a column name) inside Markdown: brackets and angle brackets are escaped
 * so a cell can never become a link, an image or an autolink. It still reads the same when rendered,
 * and escaping twice changes nothing.
 */
export const escapeMarkdown = (text: string) => text.replace(/(?<!\\)[[\]<>]/g, (c) => `\\${c}`);

/** The same text where it is shown as text, not Markdown (a story card, a chart title): "< 1 year", not "\< 1 year". */
export const plainText = (text: string) => text.replace(/\\([[\]<>])/g, '$1');

/**
 * A measure whose moves are told in its own units rather than as a percent of it: an interval scale (°C, over
 * budget) or a percentage, whose moves are points (an on-time rate from 88.8% to 70.8% fell 18.0 points).
 */
export const movesInUnits = (measure: Measure) => Boolean(measure.interval) || measure.format.kind === 'percent';

/** Collects the claims of one fact: every number the text may use is registered here first. */
export class ClaimSet {
  readonly claims: Record<string, Claim> = {};
  constructor(
    readonly factId: string,
    /** How a year is named in this file (a fiscal or split year), applied to every period told. */
    private readonly yearSpelling?: string,
  ) {}

  add(name: string, value: number | string, kind: Claim['kind'], text: string): Claim {
    const claim: Claim = { value, text, kind, source: `${this.factId}#${name}` };
    this.claims[name] = claim;
    return claim;
  }

  measure(name: string, value: number, measure: Measure, role: ValueRole = 'average'): Claim {
    return this.add(
      name,
      value,
      measure.format.kind === 'currency' ? 'currency' : 'number',
      formatMeasureValue(value, measure, role),
    );
  }

  percent(name: string, points: number): Claim {
    return this.add(name, points, 'percent', formatPercent(points));
  }

  count(name: string, value: number): Claim {
    return this.add(name, value, 'count', formatCount(value));
  }

  /**
   * A change from one value to another: in percent, or for an interval-scale measure (°C, anomalies), or
   * when asked (`inUnits`: a series through zero), as a signed difference in its own units, since a
   * percentage of such values means nothing.
   */
  change(
    name: string,
    from: number,
    to: number,
    measure: Measure,
    role: ValueRole = 'average',
    inUnits = Boolean(measure.interval),
  ): Claim {
    if (inUnits) {
      const difference = to - from;
      return this.add(name, difference, 'number', formatMeasureValue(difference, measure, role));
    }
    return this.percent(name, percentChange(to, from));
  }

  ratio(name: string, value: number): Claim {
    return this.add(name, value, 'ratio', formatRatio(value));
  }

  correlation(name: string, r: number): Claim {
    return this.add(name, r, 'correlation', formatCorrelation(r));
  }

  period(name: string, iso: string, text: string): Claim {
    return this.add(name, iso, 'period', spellYear(text, this.yearSpelling));
  }

  member(name: string, member: string): Claim {
    return this.add(name, member, 'member', escapeMarkdown(member));
  }
}
