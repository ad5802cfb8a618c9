import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, quoteLiteral } from '../db/duckdb.ts';
import { isCodeOfNamed } from './column-names.ts';
import { FULL_MONTHS } from './date-formats.ts';
import type { ColumnParse, ValueType, WideLayout } from './types.ts';

/**
 * Wide tables: one column per period ("country, 1990, 1995, 2000", "product, 2024-01, 2024-02", World Bank
 * and spreadsheet exports). Analysed as written, every year is its own measure ("1985 and 1990 rise
 * together"); read as one row per (row, period) instead, they are the time series they are.
 */

/** Fewest period columns that make a table wide. */
const MIN_PERIOD_COLUMNS = 3;

type PeriodGranularity = WideLayout['granularity'];

/** The period a column header names, as an ISO date (its first day), or null. */
export function periodOfHeader(header: string): { date: string; granularity: PeriodGranularity } | null {
  const text = header.trim();
  const pad = (n: number) => String(n).padStart(2, '0');
  let match = /^(1[89]\d\d|20\d\d)$/.exec(text);
  if (match) return { date: `${match[1]}-01-01`, granularity: 'year' };
  match = /^(1[89]\d\d|20\d\d)[-_/. ]?(0[1-9]|1[0-2])$/.exec(text);
  if (match) return { date: `${match[1]}-${match[2]}-01`, granularity: 'month' };
  match = /^(1[89]\d\d|20\d\d)[-_ ]?Q([1-4])$/i.exec(text) ?? /^Q([1-4])[-_ ]?(1[89]\d\d|20\d\d)$/i.exec(text);
  if (match) {
    const [year, quarter] = /^Q/i.test(text) ? [match[2]!, match[1]!] : [match[1]!, match[2]!];
    return { date: `${year}-${pad((Number(quarter) - 1) * 3 + 1)}-01`, granularity: 'quarter' };
  }
  // "Jan-23", "Jan 2023", "January 2023", "2023-Jan" (a two-digit year is 19xx from 69 on, as strptime reads %y).
  match =
    /^([A-Za-z]{3,9})\.?[-_ ]?(\d{2}|1[89]\d\d|20\d\d)$/.exec(text) ??
    /^(1[89]\d\d|20\d\d)[-_ ]?([A-Za-z]{3,9})$/.exec(text);
  if (match) {
    const [name, year] = /^\d/.test(match[1]!) ? [match[2]!, match[1]!] : [match[1]!, match[2]!];
    const month = monthOfHeader(name);
    const fullYear = year.length === 4 ? Number(year) : Number(year) + (Number(year) >= 69 ? 1900 : 2000);
    if (month) return { date: `${fullYear}-${pad(month)}-01`, granularity: 'month' };
  }
  match = /^(1[89]\d\d|20\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.exec(text);
  // A real day (not February 30th): it survives the round trip through a Date.
  const day = match ? new Date(`${text}T00:00:00Z`) : null;
  if (day && !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text) {
    return { date: text, granularity: 'day' };
  }
  return null;
}

/**
 * The wide layout of a typed table, or null: at least three numeric columns named by periods of one kind
 * (years, quarters, months or days), all different, and no other numeric column (it would be repeated on
 * every period's row and count several times over). The period and value columns get names no other
 * column has.
 */
export function wideLayout(
  columns: TypedHeader[],
  /** What the numbers are, when the file's name says it ("life_expectancy.csv"); else they are "value". */
  valueName = 'value',
): WideLayout | null {
  const periods = columns.flatMap((column) => {
    const period = isNumeric(column.type) ? periodOfHeader(column.name) : null;
    return period ? [{ column, ...period }] : [];
  });
  if (periods.length < MIN_PERIOD_COLUMNS) return monthsByYear(columns, valueName);
  const granularity = periods[0]!.granularity;
  if (periods.some((period) => period.granularity !== granularity)) return null;
  if (new Set(periods.map((period) => period.date)).size !== periods.length) return null;
  return layoutOf(
    columns,
    periods.map(({ column, date }) => ({ column, period: date })),
    granularity,
    valueName,
  );
}

/** A typed column as the layout needs it. */
type TypedHeader = { name: string; index: number; type: ValueType; parse: ColumnParse };

const isNumeric = (type: ValueType) => type === 'integer' || type === 'number';

/**
 * The layout over these period columns (and the year column of a "year, Jan … Dec" table), or null when
 * another numeric column would be repeated on every period's row and count several times over. The
 * period and value columns get names no other column has.
 */
function layoutOf(
  columns: TypedHeader[],
  periods: { column: TypedHeader; period: string }[],
  granularity: WideLayout['granularity'],
  valueName: string,
  year?: TypedHeader,
): WideLayout | null {
  const used = new Set([...periods.map((period) => period.column), ...(year ? [year] : [])]);
  const first = Math.min(...periods.map((period) => period.column.index));
  const last = Math.max(...periods.map((period) => period.column.index));
  const others = columns.filter((column) => isNumeric(column.type) && !used.has(column));
  // Inside the run of periods, or a total just past it: part of the block, but no period of its own.
  const leftOut = others.filter(
    (column) =>
      (column.index > first && column.index < last) ||
      ((column.index === last + 1 || column.index === first - 1) && TOTAL_HEADER.test(column.name.trim())),
  );
  // Codes (agency 12 = "Treasury") are labels of the row, repeated on each of its periods like its names.
  if (others.some((column) => !leftOut.includes(column) && !isCodeColumn(column, columns))) return null;
  for (const column of leftOut) used.add(column);
  const free = freeNames(columns.filter((column) => !used.has(column)));
  return {
    granularity,
    periodColumn: free(granularity === 'day' ? 'date' : granularity),
    valueColumn: free(valueName),
    valueType: periods.every((period) => period.column.type === 'integer') ? 'integer' : 'number',
    columns: periods.map(({ column, period }) => ({
      name: column.name,
      index: column.index,
      parse: column.parse,
      period,
    })),
    ...(year ? { yearColumn: { name: year.name, index: year.index, parse: year.parse } } : {}),
    ...(leftOut.length > 0 ? { leftOut: leftOut.map(({ name, index }) => ({ name, index })) } : {}),
  };
}

/** A total beside a block of periods ("2019, 2020, 2021, Total"). */
const TOTAL_HEADER = /^(total|totals|sum|all|grand total|overall)$/i;

/** A whole-number column that labels rows: named as a code or id, or the code of a "… name" column beside it. */
function isCodeColumn(column: TypedHeader, columns: TypedHeader[]): boolean {
  if (column.type !== 'integer') return false;
  if (/(^|[\s_-])(code|id|number|no|nr|key)$/i.test(column.name.trim())) return true;
  return isCodeOfNamed(
    column.name,
    columns.filter((other) => other.type === 'text').map((other) => other.name),
  );
}

/** Names no column of `columns` has (nor one given before): `name`, else `name_2`, `name_3`… */
function freeNames(columns: { name: string }[]): (name: string) => string {
  const taken = new Set(columns.map((column) => column.name.toLowerCase()));
  return (name) => {
    let candidate = name;
    for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${name}_${n}`;
    taken.add(candidate.toLowerCase());
    return candidate;
  };
}

/** The month a header names ("Jan", "jan.", "January", "Sept"), 1–12, or null. */
export function monthOfHeader(header: string): number | null {
  const word = header.trim().toLowerCase().replace(/\.$/, '');
  if (word.length < 3) return null;
  const index = FULL_MONTHS.findIndex((month) => month.startsWith(word) || (word === 'sept' && month === 'september'));
  return index >= 0 ? index + 1 : null;
}

/**
 * "year, Jan, Feb, … Dec": one integer column named like a year and at least six numeric columns named by
 * different months, nothing else numeric. Each row's year and a column's month make the period.
 */
function monthsByYear(columns: TypedHeader[], valueName: string): WideLayout | null {
  const year = columns.filter(
    (column) => column.type === 'integer' && /^(year|yr|jahr|année|annee|año|ano|anno)$/i.test(column.name.trim()),
  );
  const months = columns.flatMap((column) => {
    const month = isNumeric(column.type) ? monthOfHeader(column.name) : null;
    return month ? [{ column, month }] : [];
  });
  if (year.length !== 1 || months.length < 6 || new Set(months.map((m) => m.month)).size !== months.length) return null;
  const periods = months.map(({ column, month }) => ({ column, period: String(month).padStart(2, '0') }));
  return layoutOf(columns, periods, 'month', valueName, year[0]);
}

/**
 * Creates `toTable` from the wide `fromTable`: the other columns, then the period (a DATE) and the value,
 * one row per (row, period) with a value, in file order then period order. Returns its row count.
 */
export async function unpivotWide(
  connection: DuckDBConnection,
  fromTable: string,
  toTable: string,
  layout: WideLayout,
  keep: string[],
): Promise<number> {
  const source = layout.columns.map((column) => quoteIdent(column.name)).join(', ');
  const periodOf = layout.yearColumn
    ? `make_date(CAST(${quoteIdent(layout.yearColumn.name)} AS INTEGER), CASE __period ${layout.columns
        .map((column) => `WHEN ${quoteLiteral(column.name)} THEN ${Number(column.period)}`)
        .join(' ')} END, 1)`
    : `CASE __period ${layout.columns
        .map((column) => `WHEN ${quoteLiteral(column.name)} THEN DATE ${quoteLiteral(column.period)}`)
        .join(' ')} END`;
  const kept = keep.map((name) => `${quoteIdent(name)}, `).join('');
  await connection.run(
    `CREATE OR REPLACE TABLE ${quoteIdent(toTable)} AS
     SELECT ${kept}${periodOf} AS ${quoteIdent(layout.periodColumn)},
            __value AS ${quoteIdent(layout.valueColumn)}
     FROM (UNPIVOT (SELECT rowid AS __row, * FROM ${quoteIdent(fromTable)}) ON ${source} INTO NAME __period VALUE __value)
     ORDER BY __row, ${quoteIdent(layout.periodColumn)}`,
  );
  const reader = await connection.runAndReadAll(`SELECT count(*) FROM ${quoteIdent(toTable)}`);
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

/** Words a file name often has that say nothing about the numbers in it. */
const GENERIC_NAMES = new Set([
  'data',
  'dataset',
  'export',
  'download',
  'file',
  'sheet',
  'table',
  'report',
  'untitled',
  'wide',
  'csv',
  'copy',
  'final',
  'new',
]);

/**
 * A name for the numbers of a wide file from its file name: "life_expectancy.csv" → "life_expectancy".
 * Only one to four plain words, not all generic ("export (3).csv" and "API_SP.DYN.LE00.IN.csv" give null).
 */
export function valueNameFromFileName(fileName: string): string | null {
  const stem = fileName.replace(/\.[a-z0-9]{1,5}$/i, '');
  const words = stem
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  if (words.length === 0 || words.length > 4 || words.some((word) => !/^[a-z]{2,}$/.test(word))) return null;
  if (words.every((word) => GENERIC_NAMES.has(word))) return null;
  return words.join('_');
}
