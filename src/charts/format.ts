import type { ValueFormat } from './types.ts';

/**
 * ValueFormat → how numbers read on axes and in data labels, as d3-format specifiers inside vega
 * expressions. We keep d3's default (en-US) locale and add currency symbols and `%` ourselves, so one
 * spec reads the same in our PNG and on the web page, whatever locale the browser has.
 */

/** Where a number is shown: axis ticks tolerate trimmed decimals, data labels keep a fixed precision. */
export type FormatPurpose = 'axis' | 'label';

/** The span of values a format must serve; decimals and compact notation follow from it. */
export interface ValueRange {
  /** Largest absolute value on the axis or among the labels. */
  maxAbs: number;
}

export interface NumberFormatParts {
  /** d3-format specifier for the magnitude, e.g. `,.0f`, `.3~s`, `.1%`. */
  specifier: string;
  /** Written before the number after the sign (a currency symbol). */
  prefix: string;
  /** Written after the number (`%` for percent points). */
  suffix: string;
  /** d3's SI notation writes 10⁹ as G (giga); readers of business charts expect B (billion). */
  gigaAsBillion: boolean;
}

/** From this size on, numbers are written compactly (1.2M): seven digits with separators are hard to scan. */
const COMPACT_FROM = 1_000_000;

export function numberFormatParts(format: ValueFormat, range: ValueRange, purpose: FormatPurpose): NumberFormatParts {
  const maxAbs = Number.isFinite(range.maxAbs) ? Math.abs(range.maxAbs) : 0;
  const plain = (specifier: string): NumberFormatParts => ({ specifier, prefix: '', suffix: '', gigaAsBillion: false });
  const compact = (): NumberFormatParts => ({
    ...plain(purpose === 'axis' ? '~s' : '.3~s'),
    gigaAsBillion: true,
  });
  switch (format.kind) {
    case 'percent': {
      if ((format.percentScale ?? 'fraction') === 'fraction') {
        if (maxAbs >= 0.1) return plain(purpose === 'axis' ? '.0%' : '.1%');
        return plain(maxAbs >= 0.01 ? '.1%' : '.2%');
      }
      const points = maxAbs >= 10 && purpose === 'axis' ? ',.0f' : purpose === 'axis' ? ',.1~f' : ',.1f';
      return { ...plain(points), suffix: '%' };
    }
    case 'currency': {
      const symbol = sanitizeCurrencySymbol(format.currency);
      if (maxAbs >= COMPACT_FROM) return { ...compact(), prefix: symbol };
      if (maxAbs >= 100) return { ...plain(',.0f'), prefix: symbol };
      return { ...plain(purpose === 'axis' ? ',.2~f' : ',.2f'), prefix: symbol };
    }
    case 'integer':
      return maxAbs >= COMPACT_FROM ? compact() : plain(',.0f');
    default: {
      if (maxAbs >= COMPACT_FROM) return compact();
      if (maxAbs >= 100) return plain(',.0f');
      if (maxAbs >= 10) return plain(purpose === 'axis' ? ',.1~f' : ',.1f');
      if (maxAbs >= 1) return plain(purpose === 'axis' ? ',.2~f' : ',.2f');
      return plain('.3~r');
    }
  }
}

/**
 * A vega expression that turns the number `valueExpression` into its label. `valueExpression` must be
 * our own code (`datum.value`), never text from the data: it is evaluated.
 */
export function formatExpression(
  format: ValueFormat,
  valueExpression: string,
  range: ValueRange,
  purpose: FormatPurpose,
): string {
  const scale = format.scale ?? 1;
  if (scale === 1) return partsExpression(numberFormatParts(format, range, purpose), valueExpression);
  // Money written in millions is labelled as the amount it is: $114.7M, never $115.
  return partsExpression(
    numberFormatParts(format, { maxAbs: range.maxAbs * scale }, purpose),
    `(${valueExpression}) * ${scale}`,
  );
}

/** `labelExpr` for a linear quantitative axis. */
export function axisLabelExpression(format: ValueFormat, range: ValueRange): string {
  return formatExpression(format, 'datum.value', range, 'axis');
}

/**
 * `labelExpr` for a log axis. Its ticks are powers of ten (we set them), so from 1,000 up they read
 * compactly (10k, 1M, 1B) and below that as plain numbers (0.01, 1, 100) — never 10m for 0.01.
 */
export function logAxisLabelExpression(format: ValueFormat): string {
  const scale = format.scale ?? 1;
  const value = scale === 1 ? 'datum.value' : `datum.value * ${scale}`;
  const compact = numberFormatParts(format, { maxAbs: COMPACT_FROM }, 'axis');
  const small: NumberFormatParts = { ...compact, specifier: ',~r', gigaAsBillion: false };
  if (format.kind === 'percent' && (format.percentScale ?? 'fraction') === 'fraction') {
    return `format(datum.value, '~%')`;
  }
  return `abs(${value}) >= 1000 ? ${partsExpression(compact, value)} : ${partsExpression(small, value)}`;
}

function partsExpression(parts: NumberFormatParts, valueExpression: string): string {
  const value = `(${valueExpression})`;
  const formatted = (expression: string) => {
    const call = `format(${expression}, ${quote(parts.specifier)})`;
    return parts.gigaAsBillion ? `replace(${call}, 'G', 'B')` : call;
  };
  const suffix = parts.suffix ? ` + ${quote(parts.suffix)}` : '';
  if (!parts.prefix) return `${formatted(value)}${suffix}`;
  // The sign goes before the symbol: −$1,200 rather than $−1,200.
  return `(${value} < 0 ? '\u2212' : '') + ${quote(parts.prefix)} + ${formatted(`abs(${value})`)}${suffix}`;
}

/** A currency symbol is written into an expression, so it is limited to a few non-quote, non-backslash characters. */
function sanitizeCurrencySymbol(symbol: string | undefined): string {
  const cleaned = Array.from((symbol ?? '$').replace(/['"\\\p{Cc}]/gu, ''))
    .slice(0, 4)
    .join('');
  return cleaned || '$';
}

/** A JavaScript string literal that the vega expression parser reads back exactly. */
function quote(text: string): string {
  return JSON.stringify(text);
}

const compactNumber = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });
const groupedFormats = new Map<number, Intl.NumberFormat>();

/** `1,234.50`: thousands grouped, exactly `decimals` decimals (formatters cached: building one costs ~20 µs). */
export function groupedNumber(value: number, decimals: number): string {
  let format = groupedFormats.get(decimals);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    groupedFormats.set(decimals, format);
  }
  return format.format(value);
}

/**
 * Roughly the text d3 will print for `value` (same decimals, symbol and compact notation), for
 * estimating how much room a label needs before vega lays it out. Not used for the label itself.
 */
export function approximateLabelText(format: ValueFormat, raw: number, rawRange: ValueRange): string {
  const scale = format.scale ?? 1;
  const [value, range] = [raw * scale, { maxAbs: rawRange.maxAbs * scale }];
  const parts = numberFormatParts(format, range, 'label');
  const magnitude = Math.abs(value);
  const decimals = Number(/\.(\d+)/.exec(parts.specifier)?.[1] ?? 0);
  let body: string;
  if (parts.specifier.endsWith('s')) {
    body = compactNumber.format(magnitude);
  } else if (parts.specifier.endsWith('%')) {
    body = `${(magnitude * 100).toFixed(decimals)}%`;
  } else if (parts.specifier.endsWith('r')) {
    body = magnitude.toPrecision(Math.max(1, decimals));
  } else {
    body = groupedNumber(magnitude, decimals);
  }
  return `${value < 0 ? '\u2212' : ''}${parts.prefix}${body}${parts.suffix}`;
}
