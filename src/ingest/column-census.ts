import type { DuckDBConnection } from '@duckdb/node-api';
import { queryOne, quoteIdent } from '../db/duckdb.ts';
import { WORD_MARKERS } from './null-markers.ts';
import { countWhere, isOneOf, listLiteral } from './sql-fragments.ts';

/** Cells that are not NULL in each raw column (DuckDB reads an empty field as NULL). */
export async function countRawCells(
  connection: DuckDBConnection,
  rawTable: string,
  rawColumns: string[],
): Promise<number[]> {
  if (rawColumns.length === 0) return [];
  const row = await queryOne(
    connection,
    `SELECT ${rawColumns.map((column, index) => `count(${quoteIdent(column)}) AS "n${index}"`).join(', ')}
     FROM ${quoteIdent(rawTable)}`,
  );
  return rawColumns.map((_, index) => Number(row[`n${index}`] ?? 0));
}

/** Why some non-NULL raw cells of a column became NULL: blanks, null markers, or (the rest) invalid cells. */
export interface ColumnGap {
  /** Cells holding only spaces. */
  blank: number;
  /** Cells equal to one of the markers applied to the column, and their spellings. */
  markers: number;
  markerSpellings: string[];
  /** Cells equal to `NA`, `None` or `nil`, whether applied or not. */
  wordMarkers: number;
}

/** One scan over the raw table that explains the gaps of the given columns. */
export async function explainGaps(
  connection: DuckDBConnection,
  rawTable: string,
  columns: { key: number; rawColumn: string; markers: string[] }[],
): Promise<Map<number, ColumnGap>> {
  const gaps = new Map<number, ColumnGap>();
  if (columns.length === 0) return gaps;
  const aggregates = columns.flatMap(({ key, rawColumn, markers }) => {
    const cell = `trim(${quoteIdent(rawColumn)})`;
    const isMarker = markers.length > 0 ? isOneOf(`lower(${cell})`, markers) : 'false';
    const marker = `CASE WHEN ${isMarker} THEN ${cell} END`;
    return [
      `${countWhere(`${cell} = ''`)} AS "b${key}"`,
      `${countWhere(isMarker)} AS "m${key}"`,
      // list() keeps NULLs, so the non-markers leave one NULL behind: dropped in JS.
      `list(DISTINCT ${marker} ORDER BY ${marker}) AS "s${key}"`,
      `${countWhere(isOneOf(`lower(${cell})`, WORD_MARKERS))} AS "w${key}"`,
    ];
  });
  const row = await queryOne(connection, `SELECT ${aggregates.join(',\n')} FROM ${quoteIdent(rawTable)}`);
  for (const { key } of columns) {
    const spellings = row[`s${key}`];
    gaps.set(key, {
      blank: Number(row[`b${key}`] ?? 0),
      markers: Number(row[`m${key}`] ?? 0),
      markerSpellings: Array.isArray(spellings) ? spellings.filter((spelling) => spelling !== null).map(String) : [],
      wordMarkers: Number(row[`w${key}`] ?? 0),
    });
  }
  return gaps;
}

/**
 * How often the dates go backwards from one row to the next under each reading of `01/05/2024`-style
 * cells. Dates in a file are usually in order (overall or within groups); swapping day and month breaks
 * that order whenever the month changes.
 */
export async function countOrderBreaks(
  connection: DuckDBConnection,
  rawTable: string,
  rawColumn: string,
  formats: { dayFirst: string[]; monthFirst: string[] },
): Promise<{ dayFirst: number; monthFirst: number }> {
  const cell = `trim(${quoteIdent(rawColumn)})`;
  const row = await queryOne(
    connection,
    `SELECT ${countWhere('d < previous_d')} AS d, ${countWhere('m < previous_m')} AS m FROM (
       SELECT d, m, lag(d) OVER (ORDER BY position) AS previous_d, lag(m) OVER (ORDER BY position) AS previous_m
       FROM (
         SELECT rowid AS position, try_strptime(${cell}, ${listLiteral(formats.dayFirst)}) AS d,
           try_strptime(${cell}, ${listLiteral(formats.monthFirst)}) AS m
         FROM ${quoteIdent(rawTable)})
       WHERE d IS NOT NULL AND m IS NOT NULL)`,
  );
  return { dayFirst: Number(row.d ?? 0), monthFirst: Number(row.m ?? 0) };
}

/** Cells like `13/01/2024` (first part > 12: day first) and `01/13/2024` (second part > 12: month first). */
export async function countDayMonthProofs(
  connection: DuckDBConnection,
  rawTable: string,
  columns: { key: number; rawColumn: string }[],
): Promise<Map<number, { dayFirst: number; monthFirst: number }>> {
  const proofs = new Map<number, { dayFirst: number; monthFirst: number }>();
  if (columns.length === 0) return proofs;
  const aggregates = columns.flatMap(({ key, rawColumn }) => {
    const cell = `trim(${quoteIdent(rawColumn)})`;
    return [
      `${countWhere(`regexp_matches(${cell}, '^(1[3-9]|2[0-9]|3[01])[-/.][0-9]{1,2}[-/.][0-9]')`)} AS "d${key}"`,
      `${countWhere(`regexp_matches(${cell}, '^[0-9]{1,2}[-/.](1[3-9]|2[0-9]|3[01])[-/.][0-9]')`)} AS "m${key}"`,
    ];
  });
  const row = await queryOne(connection, `SELECT ${aggregates.join(', ')} FROM ${quoteIdent(rawTable)}`);
  for (const { key } of columns) {
    proofs.set(key, { dayFirst: Number(row[`d${key}`] ?? 0), monthFirst: Number(row[`m${key}`] ?? 0) });
  }
  return proofs;
}

/** Cells written as a bound (`90+`, `>100`, `<5`) in one column, and the smallest such spelling. */
export interface BoundedCells {
  count: number;
  example: string;
  /** Written as an upper bound (`<5`): the values read are at most what they stand for. */
  atMost: boolean;
}

/** One scan counting the bounds written in the given raw (text) columns; columns without any are left out. */
export async function countBoundedCells(
  connection: DuckDBConnection,
  table: string,
  columns: { key: number; rawColumn: string }[],
): Promise<Map<number, BoundedCells>> {
  const found = new Map<number, BoundedCells>();
  if (columns.length === 0) return found;
  const aggregates = columns.flatMap(({ key, rawColumn }) => {
    const cell = `trim(${quoteIdent(rawColumn)})`;
    const isBound = `regexp_matches(${cell}, '^(<|>|≤|≥)|[0-9]\\s*\\+$')`;
    return [`${countWhere(isBound)} AS "n${key}"`, `min(CASE WHEN ${isBound} THEN ${cell} END) AS "e${key}"`];
  });
  const row = await queryOne(connection, `SELECT ${aggregates.join(', ')} FROM ${quoteIdent(table)}`);
  for (const { key } of columns) {
    const count = Number(row[`n${key}`] ?? 0);
    const example = String(row[`e${key}`]);
    if (count > 0) found.set(key, { count, example, atMost: /^(<|≤)/.test(example) });
  }
  return found;
}
