export type DecimalMark = '.' | ',';
export type ThousandsMark = ',' | '.' | ' ' | "'";

/** What one cell says about how numbers are written. */
export interface NumberToken {
  /** The decimal mark, when the cell proves it (`12.5`, `1.234,56`). */
  decimal?: DecimalMark;
  /** The thousands separator, when the cell proves it (`1,234.5`, `1 234`, `1.234.567`). */
  thousands?: ThousandsMark;
  /** A single `.` or `,` followed by exactly three digits (`1,234`): decimal or thousands, we cannot tell. */
  ambiguous?: DecimalMark;
  currency?: string;
  /** A unit written after the number (`12 kg`, `3.5GB`, `25 °C`). */
  unit?: string;
  percent: boolean;
  negativeParentheses: boolean;
  /** A minus after the number (`123,45-`), as SAP and some ledgers write a negative. */
  negativeTrailing?: boolean;
  /**
   * A bound written instead of the value: top-coded (`90+`, `>100`, `≥ 5`) or bottom-coded / suppressed
   * (`<5`, `<0.01`, `≤ 1`). The number read is the bound itself.
   */
  bound?: 'atLeast' | 'atMost';
}

const CURRENCY_SYMBOLS = ['$', '€', '£', '¥', '₹', '₩', '₽', '₺', '₪', '₫', '₴', '₦', '฿'];
const CURRENCY_CODES = [
  'USD',
  'EUR',
  'GBP',
  'JPY',
  'CNY',
  'CHF',
  'CAD',
  'AUD',
  'NZD',
  'SEK',
  'NOK',
  'DKK',
  'PLN',
  'CZK',
  'HUF',
  'INR',
  'BRL',
  'MXN',
  'ZAR',
  'RUB',
  'KRW',
  'HKD',
  'SGD',
  'TRY',
  'ILS',
  'AED',
  'SAR',
];
const CURRENCY = `(${CURRENCY_CODES.join('|')}|[${CURRENCY_SYMBOLS.join('')}])`;
const CURRENCY_PREFIX = new RegExp(`^${CURRENCY}\\s*`);
const CURRENCY_SUFFIX = new RegExp(`\\s*${CURRENCY}$`);
const SPACE_SEPARATORS = /[ \u00a0\u202f]/g;
/** `<5`, `>= 100`, `≤0.01`: a bound written in place of the value (the sign after it still reads). */
const BOUND_PREFIX = /^(<=|>=|<|>|≤|≥)\s*/;
/**
 * Units of measurement written after a number. Never `m` or `k` alone: in `12m` or `5k` they are a
 * million and a thousand as often as metres.
 */
const UNIT_SUFFIX =
  /\s*(kg|mg|g|lbs?|oz|km|cm|mm|mi|ft|ml|l|kwh|mwh|kw|mw|w|hrs?|hours?|mins?|sec|secs|s|ms|°c|°f|gb|mb|kb|tb|pcs|mph|km\/h)$/i;
/**
 * Units that measure the same quantity, with their size in a common base. A column that writes `12 kg` and
 * `500 g` is read in its most common unit, the others converted. Temperatures are not here: °C and °F are
 * not a scale factor apart. Data sizes are decimal (1 GB = 1000 MB), as the units are defined.
 */
const UNIT_FAMILIES: Record<string, Record<string, number>> = {
  mass: { mg: 0.001, g: 1, kg: 1000, oz: 28.349523125, lb: 453.59237, lbs: 453.59237 },
  length: { mm: 0.001, cm: 0.01, km: 1000, ft: 0.3048, mi: 1609.344 },
  volume: { ml: 0.001, l: 1 },
  energy: { kwh: 1, mwh: 1000 },
  power: { w: 1, kw: 1000, mw: 1_000_000 },
  duration: { ms: 0.001, s: 1, sec: 1, secs: 1, min: 60, mins: 60, hr: 3600, hrs: 3600, hour: 3600, hours: 3600 },
  data: { kb: 1, mb: 1000, gb: 1_000_000, tb: 1_000_000_000 },
  speed: { 'km/h': 1, mph: 1.609344 },
};

/** How many `base` one `unit` is (`g` in `kg`: 0.001); null when they measure different things. */
export function unitFactor(unit: string, base: string): number | null {
  for (const family of Object.values(UNIT_FAMILIES)) {
    const from = family[unit.toLowerCase()];
    const to = family[base.toLowerCase()];
    if (from !== undefined && to !== undefined) return from / to;
  }
  return null;
}

const MANTISSA = /^[\d.,' \u00a0\u202f]*\d[\d.,' \u00a0\u202f]*$/;
const EXPONENT = /[eE][-+]?\d+$/;

/** Reads one cell as a written number (`-1.234,56 €`, `(12)`, `45%`, `1e-3`); null when it is not one. */
export function readNumberToken(text: string): NumberToken | null {
  let rest = text.trim();
  const token: NumberToken = { percent: false, negativeParentheses: false };
  const bound = BOUND_PREFIX.exec(rest);
  if (bound) {
    token.bound = bound[1] === '<' || bound[1] === '≤' || bound[1] === '<=' ? 'atMost' : 'atLeast';
    rest = rest.slice(bound[0].length);
  } else if (/\d\s*\+$/.test(rest)) {
    token.bound = 'atLeast';
    rest = rest.slice(0, -1).trim();
  }
  if (rest.startsWith('(') && rest.endsWith(')')) {
    token.negativeParentheses = true;
    rest = rest.slice(1, -1).trim();
  }
  if (rest.endsWith('%')) {
    token.percent = true;
    rest = rest.slice(0, -1).trim();
  }
  if (/\d-$/.test(rest) && !/^[-+(]/.test(rest)) {
    token.negativeTrailing = true;
    rest = rest.slice(0, -1);
  }
  let signed = false;
  if (/^[-+]/.test(rest)) {
    signed = true;
    rest = rest.slice(1).trim();
  }
  const prefix = CURRENCY_PREFIX.exec(rest);
  if (prefix) {
    token.currency = prefix[1];
    rest = rest.slice(prefix[0].length);
  } else {
    const suffix = CURRENCY_SUFFIX.exec(rest);
    if (suffix) {
      token.currency = suffix[1];
      rest = rest.slice(0, suffix.index);
    } else {
      const unit = UNIT_SUFFIX.exec(rest);
      if (unit && unit.index > 0) {
        token.unit = unit[1];
        rest = rest.slice(0, unit.index);
      }
    }
  }
  if (!signed && /^[-+]/.test(rest)) rest = rest.slice(1);
  if (token.negativeParentheses && signed) return null;
  const exponent = EXPONENT.exec(rest);
  if (exponent) rest = rest.slice(0, exponent.index);
  if (!MANTISSA.test(rest) || /^[ \u00a0\u202f']|[ \u00a0\u202f',]$/.test(rest)) return null;
  const separators = readSeparators(rest);
  if (!separators) return null;
  if (exponent && (separators.thousands || separators.ambiguous)) return null;
  return { ...token, ...separators };
}

type SeparatorReading = Pick<NumberToken, 'decimal' | 'thousands' | 'ambiguous'>;

function readSeparators(mantissa: string): SeparatorReading | null {
  const normalized = mantissa.replace(SPACE_SEPARATORS, ' ');
  const marks = [...normalized.matchAll(/[^\d]/g)].map((match) => ({ char: match[0], at: match.index }));
  if (marks.length === 0) return {};
  const kinds = [...new Set(marks.map((mark) => mark.char))];
  const last = marks[marks.length - 1]!;
  if (kinds.length > 2) return null;
  if (kinds.length === 2) {
    // `1,234.56` / `1.234,56` / `1 234,56`: the last mark is the decimal mark and appears once.
    if (last.char !== '.' && last.char !== ',') return null;
    if (marks.filter((mark) => mark.char === last.char).length !== 1) return null;
    const thousands = kinds.find((kind) => kind !== last.char) as ThousandsMark;
    const integer = normalized.slice(0, last.at);
    if (!isGrouped(integer, thousands)) return null;
    return { decimal: last.char, thousands };
  }
  const mark = last.char;
  if (marks.length > 1) {
    return isGrouped(normalized, mark) ? { thousands: mark as ThousandsMark } : null;
  }
  const before = normalized.slice(0, last.at);
  const after = normalized.slice(last.at + 1);
  if (mark === ' ' || mark === "'") {
    return isGrouped(normalized, mark) ? { thousands: mark } : null;
  }
  const decimal = mark as DecimalMark;
  // A thousands group is exactly three digits after at most three leading digits that do not start with 0.
  if (after.length !== 3 || before.length === 0 || before.length > 3 || before.startsWith('0')) {
    return after.length === 0 && before.length === 0 ? null : { decimal };
  }
  return { ambiguous: decimal };
}

function isGrouped(integer: string, separator: string): boolean {
  const groups = integer.split(separator);
  const [head, ...tail] = groups;
  if (!head || head.length > 3 || tail.length === 0) return false;
  return tail.every((group) => group.length === 3);
}

/** How a numeric column is written; the plan for its parse expression. */
export interface NumberParse {
  decimal: DecimalMark;
  thousands?: ThousandsMark;
  currency?: string;
  unit?: string;
  unitFactors?: Record<string, number>;
  percent?: boolean;
  negativeParentheses?: boolean;
  negativeTrailing?: boolean;
  bounds?: boolean;
}

/** Weighted evidence from many cells of one column. */
export class NumberEvidence {
  readonly decimal = { '.': 0, ',': 0 };
  readonly ambiguous = { '.': 0, ',': 0 };
  readonly thousands = new Map<ThousandsMark, number>();
  readonly currencies = new Map<string, number>();
  readonly units = new Map<string, number>();
  percent = 0;
  parentheses = 0;
  trailing = 0;
  bounded = 0;

  add(token: NumberToken, weight: number): void {
    if (token.decimal) this.decimal[token.decimal] += weight;
    if (token.ambiguous) this.ambiguous[token.ambiguous] += weight;
    if (token.thousands) this.thousands.set(token.thousands, (this.thousands.get(token.thousands) ?? 0) + weight);
    if (token.currency) this.currencies.set(token.currency, (this.currencies.get(token.currency) ?? 0) + weight);
    if (token.unit) this.units.set(token.unit, (this.units.get(token.unit) ?? 0) + weight);
    if (token.percent) this.percent += weight;
    if (token.negativeParentheses) this.parentheses += weight;
    if (token.negativeTrailing) this.trailing += weight;
    if (token.bound) this.bounded += weight;
  }

  /** The decimal mark the cells prove, or null when none proves one (integers, or only `1,234`-like cells). */
  provenDecimal(): DecimalMark | null {
    if (this.decimal[','] > this.decimal['.']) return ',';
    if (this.decimal['.'] > 0) return '.';
    const [thousands] = mostCommon(this.thousands);
    if (thousands === '.') return ',';
    if (thousands === ',') return '.';
    return null;
  }

  /**
   * Decides the column's number format. `fileDecimal` is the decimal mark other columns prove: it settles
   * cells like `1,234` (thousands in a file that writes `12.5`, a decimal comma in one that writes `12,5`).
   */
  decide(fileDecimal: DecimalMark | null): NumberParse {
    let decimal = this.provenDecimal();
    let thousands = mostCommon(this.thousands)[0];
    const ambiguousMark: DecimalMark | null =
      this.ambiguous[','] > 0 || this.ambiguous['.'] > 0
        ? this.ambiguous[','] >= this.ambiguous['.']
          ? ','
          : '.'
        : null;
    if (decimal === null && ambiguousMark) {
      const context = fileDecimal ?? '.';
      decimal = context;
      if (ambiguousMark !== context) thousands ??= ambiguousMark;
    }
    decimal ??= '.';
    if (ambiguousMark && ambiguousMark !== decimal) thousands ??= ambiguousMark;
    if (thousands === decimal) thousands = undefined;
    const parse: NumberParse = { decimal };
    if (thousands) parse.thousands = thousands;
    const [currency] = mostCommon(this.currencies);
    if (currency) parse.currency = currency;
    const [unit] = mostCommon(this.units);
    if (unit && !currency) {
      parse.unit = unit;
      const factors: Record<string, number> = {};
      for (const other of this.units.keys()) {
        const factor = unitFactor(other, unit);
        if (factor !== null && factor !== 1) factors[other.toLowerCase()] = factor;
      }
      if (Object.keys(factors).length > 0) parse.unitFactors = factors;
    }
    if (this.percent > 0) parse.percent = true;
    if (this.parentheses > 0) parse.negativeParentheses = true;
    if (this.trailing > 0) parse.negativeTrailing = true;
    if (this.bounded > 0) parse.bounds = true;
    return parse;
  }
}

function mostCommon<T>(counts: Map<T, number>): [T | undefined, number] {
  let best: T | undefined;
  let bestCount = 0;
  for (const [key, count] of counts) {
    if (count > bestCount) {
      best = key;
      bestCount = count;
    }
  }
  return [best, bestCount];
}
