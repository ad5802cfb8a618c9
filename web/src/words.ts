// How the page says technical things in plain words.
import type { ApiError, Upload } from './api.ts';

const numberFormat = new Intl.NumberFormat('en');
export const count = (value: number) => numberFormat.format(value);
export const plural = (value: number, one: string, many = `${one}s`) => `${count(value)} ${value === 1 ? one : many}`;

export function bytes(value: number): string {
  if (value < 1024) return `${value} bytes`;
  if (value < 1024 * 1024) return `${(value / 1024).toFixed(value < 10 * 1024 ? 1 : 0)} KB`;
  return `${(value / 1024 / 1024).toFixed(value < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export const typeWords: Record<string, string> = {
  integer: 'whole numbers',
  number: 'numbers',
  date: 'dates',
  datetime: 'dates and times',
  boolean: 'yes / no',
  text: 'text',
};

export const roleWords: Record<string, string> = {
  time: 'the timeline',
  category: 'groups to compare',
  measure: 'a quantity to add up or compare',
  binary: 'a yes / no split',
  identifier: 'an ID (labels rows, not analysed)',
  text: 'free text (not analysed)',
  metric: 'names the quantity in each row (each one analysed on its own)',
  ignored: 'not used',
};

const delimiterWords: Record<string, string> = {
  ',': 'commas ( , )',
  ';': 'semicolons ( ; )',
  '\t': 'tabs',
  '|': 'vertical bars ( | )',
};

/** strptime → what a person recognises: `%d/%m/%Y` → `DD/MM/YYYY`. */
export function datePattern(format: string): string {
  const parts: Record<string, string> = {
    Y: 'YYYY',
    y: 'YY',
    m: 'MM',
    d: 'DD',
    H: 'hh',
    I: 'hh',
    M: 'mm',
    S: 'ss',
    f: 'fraction',
    p: 'AM/PM',
    b: 'Jan',
    B: 'January',
    a: 'Mon',
    A: 'Monday',
    j: 'day of year',
    z: '+hh:mm',
    Z: 'time zone',
    q: 'n (quarter)',
    V: 'ww (week)',
    n: 'YY (the next year)',
    N: 'YYYY (the next year)',
  };
  return format.replace(/^FY/, 'FY ').replace(/%-?([A-Za-z])/g, (whole, letter: string) => parts[letter] ?? whole);
}

export interface FormatLine {
  label: string;
  value: string;
}

/** The file's format as a short list of labelled sentences. */
export function formatLines({ format, columns }: Pick<Upload, 'format' | 'columns'>): FormatLine[] {
  const lines: FormatLine[] = [
    {
      label: 'Text encoding',
      value:
        (format.encoding === 'utf-8'
          ? 'UTF-8, the usual modern encoding'
          : 'Windows-1252, as older Excel exports use') + (format.bom ? ' (with a byte-order mark at the start)' : ''),
    },
    { label: 'Values separated by', value: delimiterWords[format.delimiter] ?? `“${format.delimiter}”` },
    {
      label: 'Decimal mark',
      value:
        (format.decimal === ',' ? 'a comma, as in 3,5' : 'a point, as in 3.5') +
        (format.thousands
          ? `; thousands grouped with “${format.thousands === ' ' ? 'a space' : format.thousands}”`
          : ''),
    },
  ];
  const dates = Object.entries(format.dateFormats);
  const wide = format.wide;
  lines.push({
    label: 'Dates',
    value: wide
      ? `“${wide.periodColumn}”, made from the column headers (${wide.columns[0]?.name} to ${wide.columns.at(-1)?.name})`
      : dates.length === 0
        ? 'no date column found'
        : dates
            .map(([column, formats]) => {
              const example = columns.find((candidate) => candidate.name === column)?.examples[0];
              return `“${column}” written as ${formats.map(datePattern).join(' or ')}${example ? `, e.g. ${example}` : ''}`;
            })
            .join('; '),
  });
  if (format.nullMarkers.length > 0) {
    lines.push({
      label: 'Read as empty',
      value: `empty cells and ${format.nullMarkers.map((marker) => `“${marker}”`).join(', ')}`,
    });
  }
  return lines;
}

export const warningWords: Record<string, string> = {
  large_file: 'Large file',
  sampled_analysis: 'Sampled',
  missing_values: 'Missing values',
  duplicate_rows: 'Duplicate rows',
  invalid_values: 'Unreadable values',
  sentinel_values: 'Placeholder numbers',
  ambiguous_dates: 'Ambiguous dates',
  renamed_columns: 'Renamed columns',
  encoding_guessed: 'Encoding guessed',
  skipped_lines: 'Lines around the table',
  wide_table: 'One column per period',
  formula_cells: 'Spreadsheet formulas',
  converted_units: 'Units converted',
  bounded_values: 'Values written as bounds',
  year_periods: 'Fiscal or split years',
};

export const strengthWords: Record<string, string> = {
  strong: 'Strong evidence',
  moderate: 'Moderate evidence',
  weak: 'Weak evidence',
};

/** A headline for a failed call, by HTTP status; the server's own message follows it. */
export function errorHeadline(error: ApiError): string {
  switch (error.status) {
    case 0:
      return 'No connection';
    case 400:
      return 'The request was not accepted';
    case 404:
      return error.code === 'session_not_found' ? 'This session no longer exists' : 'Not found';
    case 413:
      return 'This file is too large';
    case 415:
      return 'This does not look like a CSV file';
    case 422:
      return 'We could not read this file';
    case 429:
    case 503:
      return 'The service is busy — try again in a few minutes';
    case 504:
      return 'The analysis took too long';
    default:
      return 'Something went wrong on our side';
  }
}
