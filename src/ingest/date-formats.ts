/**
 * Recognises how a date or timestamp is written and names its strptime format (DuckDB `try_strptime`).
 * Slash, dot and dash dates with the day and month both ≤ 12 (`01/05/2024`) read either way: they come back
 * as a pair and the column decides (see `DateEvidence`).
 */
export type DateReading =
  | { kind: 'fixed'; format: string }
  | { kind: 'day_or_month'; dayFirst: string; monthFirst: string; proves: 'day_first' | 'month_first' | null };

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
export const FULL_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

const TIME = /^(T| +)(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?( ?)([AaPp][Mm])?(Z|[+-]\d{2}:?\d{2})?$/;

function monthDirective(token: string): string | null {
  const lower = token.toLowerCase();
  if (MONTHS.includes(lower)) return '%b';
  if (FULL_MONTHS.includes(lower)) return '%B';
  return null;
}

const validDay = (day: number) => day >= 1 && day <= 31;
const validMonth = (month: number) => month >= 1 && month <= 12;
const yearDirective = (year: string) => (year.length === 4 ? '%Y' : '%y');

interface DatePart {
  /** Length of the matched date text. */
  length: number;
  reading: DateReading;
  /** Whole value only (`2024-03`, `Mar 2024`): no time may follow. */
  dateOnly?: boolean;
}

function readDatePart(value: string): DatePart | null {
  let match = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})/.exec(value);
  if (match) {
    if (!validMonth(Number(match[3])) || !validDay(Number(match[4]))) return null;
    const separator = match[2]!;
    return { length: match[0].length, reading: { kind: 'fixed', format: `%Y${separator}%m${separator}%d` } };
  }
  match = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?!\d)/.exec(value);
  if (match) {
    const first = Number(match[1]);
    const second = Number(match[3]);
    const separator = match[2]!;
    const year = yearDirective(match[4]!);
    const dayFirst = `%d${separator}%m${separator}${year}`;
    const monthFirst = `%m${separator}%d${separator}${year}`;
    const canBeDayFirst = validDay(first) && validMonth(second);
    const canBeMonthFirst = validMonth(first) && validDay(second);
    if (!canBeDayFirst && !canBeMonthFirst) return null;
    const proves = canBeDayFirst && canBeMonthFirst ? null : canBeDayFirst ? 'day_first' : 'month_first';
    return { length: match[0].length, reading: { kind: 'day_or_month', dayFirst, monthFirst, proves } };
  }
  match = /^(\d{1,2})([ -])([A-Za-z]{3,9})(\.?)(,?)\2(\d{4}|\d{2})(?!\d)/.exec(value);
  if (match) {
    const month = monthDirective(match[3]!);
    if (!month || !validDay(Number(match[1]))) return null;
    const [, , separator, , dot, comma, year] = match;
    const format = `%d${separator}${month}${dot}${comma}${separator}${yearDirective(year!)}`;
    return { length: match[0].length, reading: { kind: 'fixed', format } };
  }
  match = /^([A-Za-z]{3,9})(\.?) (\d{1,2})(,?) (\d{4})(?!\d)/.exec(value);
  if (match) {
    const month = monthDirective(match[1]!);
    if (!month || !validDay(Number(match[3]))) return null;
    return { length: match[0].length, reading: { kind: 'fixed', format: `${month}${match[2]} %d${match[4]} %Y` } };
  }
  // ISO weeks: 2024-W12, 2024W12 (`%V` here is ours: read by pattern, the week's Monday).
  match = /^(\d{4})(-?)[Ww](\d{1,2})$/.exec(value);
  if (match) {
    if (Number(match[3]) < 1 || Number(match[3]) > 53) return null;
    return { length: match[0].length, reading: { kind: 'fixed', format: `%Y${match[2]}W%V` }, dateOnly: true };
  }
  // Quarters: 2024-Q1, 2024 Q1, 2024Q1, Q1 2024, Q1-2024 (`%q` is ours; strptime has no quarter).
  match = /^(\d{4})([-\s/]?)[Qq]([1-4])$/.exec(value);
  if (match) return { length: match[0].length, reading: { kind: 'fixed', format: `%Y${match[2]}Q%q` }, dateOnly: true };
  match = /^[Qq]([1-4])([-\s/]?)(\d{4})$/.exec(value);
  if (match) return { length: match[0].length, reading: { kind: 'fixed', format: `Q%q${match[2]}%Y` }, dateOnly: true };
  // Fiscal and academic years: FY2024, FY24, FY 2023-24, 2023/24, 2019-2020 (a split year's second part is
  // the next year, in two or four digits; `%n`/`%N` are ours). FY2024 is read as 2024, a split year as the
  // year it starts in. `2011-12` also reads as December 2011: the column decides (`DateEvidence`).
  match = /^(?:([Ff][Yy])([\s-]?))?(\d{4})([/-])(\d{2}|\d{4})$/.exec(value);
  if (match && isNextYear(match[3]!, match[5]!)) {
    const prefix = match[1] ? `FY${match[2]}` : '';
    const format = `${prefix}%Y${match[4]}${match[5]!.length === 2 ? '%n' : '%N'}`;
    return { length: match[0].length, reading: { kind: 'fixed', format }, dateOnly: true };
  }
  match = /^[Ff][Yy]([\s-]?)(\d{4}|\d{2})$/.exec(value);
  if (match)
    return {
      length: match[0].length,
      reading: { kind: 'fixed', format: `FY${match[1]}${yearDirective(match[2]!)}` },
      dateOnly: true,
    };
  // Months: 2024-03, 2024/03, 2024.03, 2024M03 (statistics offices), 03/2024, 3-2024.
  match = /^(\d{4})([-/M]|\.(?=\d\d$))(\d{1,2})$/.exec(value);
  if (match) {
    if (!validMonth(Number(match[3]))) return null;
    return { length: match[0].length, reading: { kind: 'fixed', format: `%Y${match[2]}%m` }, dateOnly: true };
  }
  match = /^(\d{1,2})([-/])(\d{4})$/.exec(value);
  if (match) {
    if (!validMonth(Number(match[1]))) return null;
    return { length: match[0].length, reading: { kind: 'fixed', format: `%m${match[2]}%Y` }, dateOnly: true };
  }
  // A spreadsheet's month format "Jan-24" is January 2024 (a two-digit year: 19xx from 69 on, as strptime).
  match = /^([A-Za-z]{3,9})-(\d{2})$/.exec(value);
  if (match) {
    const month = monthDirective(match[1]!);
    if (!month) return null;
    return { length: match[0].length, reading: { kind: 'fixed', format: `${month}-%y` }, dateOnly: true };
  }
  match = /^([A-Za-z]{3,9})([ -])(\d{4})$/.exec(value);
  if (match) {
    const month = monthDirective(match[1]!);
    if (!month) return null;
    return { length: match[0].length, reading: { kind: 'fixed', format: `${month}${match[2]}%Y` }, dateOnly: true };
  }
  return null;
}

function timeFormat(rest: string): string | null {
  const match = TIME.exec(rest);
  if (!match) return null;
  const [, separator, hours, minutes, seconds, fraction, ampmSpace, ampm, zone] = match;
  const hour = Number(hours);
  if ((ampm ? hour < 1 || hour > 12 : hour > 23) || Number(minutes) > 59 || Number(seconds ?? 0) > 59) return null;
  let format = `${separator === 'T' ? 'T' : ' '.repeat(separator!.length)}${ampm ? '%I' : '%H'}:%M`;
  if (seconds !== undefined) format += ':%S';
  if (fraction !== undefined) format += '.%f';
  if (ampm) format += `${ampmSpace}%p`;
  // `Z` or an offset (`+02:00`) is recognised; the reading keeps the local time written (parse-expressions.ts).
  if (zone) format += zone === 'Z' ? 'Z' : '%z';
  return format;
}

/** `next` (two or four digits) is the year after `year`: 2023/24, 2019-2020. */
function isNextYear(year: string, next: string): boolean {
  const following = Number(year) + 1;
  return next.length === 2 ? Number(next) === following % 100 : Number(next) === following;
}

/** How `value` reads as a date or timestamp, or null when it is not one. */
export function readDate(value: string): DateReading | null {
  const text = value.trim();
  // A weekday before the date (`Mon 2024-03-04`, `Monday, 4 March 2024`) is read and left aside.
  const weekday = WEEKDAY.exec(text);
  const reading = weekday ? readDateAfter(text.slice(weekday[0].length)) : readDateAfter(text);
  if (!weekday || !reading) return reading;
  const prefix = `${weekday[1]!.length === 3 ? '%a' : '%A'}${weekday[0].slice(weekday[1]!.length)}`;
  if (reading.kind === 'fixed') return { kind: 'fixed', format: prefix + reading.format };
  return { ...reading, dayFirst: prefix + reading.dayFirst, monthFirst: prefix + reading.monthFirst };
}

const WEEKDAY =
  /^(mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday),? +(?=\d|[a-z]{3})/i;

function readDateAfter(text: string): DateReading | null {
  const part = readDatePart(text);
  if (!part) return null;
  const rest = text.slice(part.length);
  if (rest === '') return part.reading;
  if (part.dateOnly) return null;
  const time = timeFormat(rest);
  if (time === null) return null;
  if (part.reading.kind === 'fixed') return { kind: 'fixed', format: part.reading.format + time };
  return { ...part.reading, dayFirst: part.reading.dayFirst + time, monthFirst: part.reading.monthFirst + time };
}

/**
 * True when a format names a quarter (`%q`) or an ISO week (`%V`), both ours: it is read by pattern,
 * not by strptime.
 */
export function isPatternFormat(format: string): boolean {
  return /%[qV]/.test(format) || isYearPeriodFormat(format);
}

/** A fiscal or split-year format (`FY%Y`, `%Y/%n`, `%Y-%N`): each value stands for one year. */
export function isYearPeriodFormat(format: string): boolean {
  return /%[nN]/.test(format) || format.startsWith('FY');
}

/**
 * A quarter, week or fiscal/split-year format as a regular expression with the year and the quarter (week,
 * next year) as groups, and which group is which: `%Y-Q%q` → `^(\d{4})-[Qq]([1-4])$`, year 1, part 2.
 */
export function datePattern(format: string): {
  regex: string;
  year: number;
  part: number;
  unit: 'quarter' | 'week' | 'year';
} {
  let regex = '';
  const order: string[] = [];
  const groups: Record<string, [string, string]> = {
    Y: ['(\\d{4})', 'Y'],
    y: ['(\\d{2})', 'Y'],
    q: ['([1-4])', 'part'],
    V: ['(\\d{1,2})', 'part'],
    n: ['(\\d{2})', 'part'],
    N: ['(\\d{4})', 'part'],
  };
  const fiscal = format.startsWith('FY');
  for (let i = fiscal ? 2 : 0; i < format.length; i++) {
    const group = format[i] === '%' ? groups[format[i + 1]!] : undefined;
    if (group) {
      regex += group[0];
      order.push(group[1]);
      i++;
    } else if (format[i] === 'Q') regex += '[Qq]';
    else if (format[i] === 'W') regex += '[Ww]';
    else regex += format[i]!.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&').replace(' ', '\\s');
  }
  return {
    regex: `^${fiscal ? '[Ff][Yy]' : ''}${regex}$`,
    year: order.indexOf('Y') + 1,
    part: order.indexOf('part') + 1,
    unit: format.includes('%q') ? 'quarter' : format.includes('%V') ? 'week' : 'year',
  };
}

/** True when a strptime format reads a UTC offset (DuckDB then returns TIMESTAMP WITH TIME ZONE). */
export function hasUtcOffset(format: string): boolean {
  return format.includes('%z');
}

/** True when a strptime format carries a time of day. */
export function hasTimeOfDay(format: string): boolean {
  return /%[HIMS]/.test(format);
}

/** Weighted date evidence from many cells of one column. */
export class DateEvidence {
  /** Format (or `dayFirst|monthFirst` pair key) → weight, in first-seen order. */
  private readonly weights = new Map<string, { reading: DateReading; weight: number }>();
  dayFirstProof = 0;
  monthFirstProof = 0;
  /** The first cell seen that reads either way, to show in a warning. */
  ambiguousExample: string | null = null;

  add(reading: DateReading, weight: number, value: string): void {
    if (reading.kind === 'day_or_month' && reading.proves === null) this.ambiguousExample ??= value;
    const key = reading.kind === 'fixed' ? reading.format : `${reading.dayFirst}|${reading.monthFirst}`;
    const entry = this.weights.get(key) ?? { reading, weight: 0 };
    entry.weight += weight;
    this.weights.set(key, entry);
    if (reading.kind === 'day_or_month' && reading.proves === 'day_first') this.dayFirstProof += weight;
    if (reading.kind === 'day_or_month' && reading.proves === 'month_first') this.monthFirstProof += weight;
  }

  get hasDayMonthPairs(): boolean {
    return [...this.weights.values()].some((entry) => entry.reading.kind === 'day_or_month');
  }

  /** Set when no cell proves the order: month-first keeps the rows in date order far more often. */
  monthFirstKeepsOrder = false;

  /** True when day/month cells exist and none has a part above 12. */
  get unproven(): boolean {
    return this.hasDayMonthPairs && this.dayFirstProof === 0 && this.monthFirstProof === 0;
  }

  /** Formats to try, most common first, reading day/month cells the given way. */
  formats(dayFirst: boolean): string[] {
    // `2011-12` reads as a split year and as December 2011: a month when the column holds other months.
    for (const separator of ['-', '/']) {
      const months = this.weights.get(`%Y${separator}%m`);
      const seasons = this.weights.get(`%Y${separator}%n`);
      if (months && seasons) {
        months.weight += seasons.weight;
        this.weights.delete(`%Y${separator}%n`);
      }
    }
    const formats = [...this.weights.values()]
      .sort((a, b) => b.weight - a.weight)
      .map(({ reading }) =>
        reading.kind === 'fixed' ? reading.format : dayFirst ? reading.dayFirst : reading.monthFirst,
      );
    return [...new Set(formats)];
  }

  /**
   * Day-first unless month-first has more proof (a second part > 12). With no proof at all, the reading
   * that keeps the rows in date order (`monthFirstKeepsOrder`), else day-first like DuckDB; `ambiguous`
   * says the reading is a guess.
   */
  decide(): { formats: string[]; dayFirst: boolean; ambiguous: boolean } {
    const ambiguous = this.unproven;
    const dayFirst = ambiguous ? !this.monthFirstKeepsOrder : this.monthFirstProof <= this.dayFirstProof;
    return { formats: this.formats(dayFirst), dayFirst, ambiguous };
  }
}
