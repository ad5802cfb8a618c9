import type { DuckDBConnection } from '@duckdb/node-api';
import { queryOne, queryRows, quoteIdent } from '../db/duckdb.ts';
import { countBoundedCells } from './column-census.ts';
import type { TypedColumn } from './column-plan.ts';
import { hasUtcOffset, isPatternFormat } from './date-formats.ts';
import { type LoadOptions, loadRawTable } from './load-raw.ts';
import { NULL_MARKERS } from './null-markers.ts';
import { isPlainNumber, parseExpression, rawColumnName } from './parse-expressions.ts';
import { countWhere, isOneOf } from './sql-fragments.ts';
import { TOTALS_NAMES } from './totals-rows.ts';
import { removeSentinels, settleNumberAndTimeTypes, typeColumns } from './type-columns.ts';
import type { ColumnParse, CsvFormat } from './types.ts';

/**
 * The quick way in for a large, clean file. The careful reading (`type-columns.ts`) loads every field as
 * text and then copies the table into typed columns: on a million rows that copy costs more than DuckDB's
 * own typed load of the file. Here the column plans come from the file's first rows (the same typing
 * code, on a head table), DuckDB's reader parses the numbers and ISO dates while it loads, and one scan of
 * the loaded table proves that the careful reading would have made the same table: no cell the plan
 * cannot read, no null marker, no padded or empty text, no blank row, no totals row or note at the ends.
 * When anything is off the caller reads the file the careful way, as before.
 */

type Layout = Pick<CsvFormat, 'delimiter' | 'quote' | 'escape' | 'fieldCount' | 'skipLines'>;

/** Rows of the head the plan is read from, and the filled cells each column must show there. */
const HEAD_ROWS = 2_000;
const MIN_FILLED = 20;

/** How DuckDB's reader loads one field; `convert` fields are loaded as text and converted in place. */
interface FieldPlan {
  parse: ColumnParse;
  readerType: 'DOUBLE' | 'DATE' | 'TIMESTAMP' | 'VARCHAR';
  convert: boolean;
}

export interface TypedLoadPlan {
  fields: FieldPlan[];
  load: LoadOptions;
}

/** The plan for loading the file typed, from its first rows; null when the head shows a column needs care. */
export async function planTypedLoad(
  connection: DuckDBConnection,
  utf8Path: string,
  layout: Layout,
  tables: { headRaw: string; headTyped: string },
): Promise<TypedLoadPlan | null> {
  try {
    const rows = await loadRawTable(connection, utf8Path, layout, tables.headRaw, { limit: HEAD_ROWS });
    if (rows === 0) return null;
    const columns = await typeColumns(connection, {
      rawTable: tables.headRaw,
      typedTable: tables.headTyped,
      columns: Array.from({ length: layout.fieldCount }, (_, index) => ({ index, name: rawColumnName(index) })),
      rowCount: rows,
    });
    const fields: FieldPlan[] = [];
    for (const column of columns) {
      const field = planField(column, rows);
      if (!field) return null;
      fields.push(field);
    }
    // DuckDB's reader takes one date and one timestamp format for the whole file: the first column's. Date
    // columns written otherwise are loaded as text and converted.
    const load: LoadOptions = {};
    for (const [type, key] of [
      ['DATE', 'dateFormat'],
      ['TIMESTAMP', 'timestampFormat'],
    ] as const) {
      for (const field of fields.filter((candidate) => candidate.readerType === type)) {
        const format = field.parse.dateFormats![0]!;
        load[key] ??= format;
        if (load[key] !== format) Object.assign(field, { readerType: 'VARCHAR', convert: true });
      }
    }
    load.types = fields.map((field) => field.readerType);
    return { fields, load };
  } catch {
    // Whatever failed here, the careful reading meets it again and says what it is.
    return null;
  } finally {
    for (const table of [tables.headRaw, tables.headTyped])
      await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(table)}`).catch(() => undefined);
  }
}

function planField(column: TypedColumn, rows: number): FieldPlan | null {
  const { parse } = column;
  const clean =
    column.invalidCount === 0 &&
    column.markerCount === 0 &&
    parse.nullMarkers.length === 0 &&
    column.ambiguousDates === null &&
    rows - column.emptyCount >= Math.min(MIN_FILLED, rows);
  if (!clean) return null;
  // Sentinels and whole numbers are decided on the whole column, as the careful reading does.
  const { sentinels: _, ...rest } = parse;
  const plan: ColumnParse = { ...rest, type: parse.type === 'integer' ? 'number' : parse.type };
  switch (plan.type) {
    case 'text':
      return { parse: plan, readerType: 'VARCHAR', convert: false };
    case 'boolean':
      return { parse: plan, readerType: 'VARCHAR', convert: true };
    case 'number': {
      const plain = isPlainNumber(plan);
      return { parse: plan, readerType: plain ? 'DOUBLE' : 'VARCHAR', convert: !plain };
    }
    case 'date':
    case 'datetime': {
      const formats = plan.dateFormats ?? [];
      // Year first only: a day/month order is proven on the whole column, which the head is not.
      if (formats.length === 0 || !formats.every((format) => format.startsWith('%Y'))) return null;
      const [only] = formats;
      // A literal `Z` reads as written (UTC wall time), as the careful reading's quick path does.
      const readable = formats.length === 1 && !isPatternFormat(only!) && !hasUtcOffset(only!);
      const readerType = !readable ? 'VARCHAR' : plan.type === 'date' ? 'DATE' : 'TIMESTAMP';
      return { parse: plan, readerType, convert: readerType === 'VARCHAR' };
    }
    default:
      return null;
  }
}

const DUCKDB_TYPE: Record<ColumnParse['type'], string> = {
  text: 'VARCHAR',
  boolean: 'BOOLEAN',
  integer: 'DOUBLE',
  number: 'DOUBLE',
  date: 'DATE',
  datetime: 'TIMESTAMP',
};

/**
 * Proves the loaded table is what the careful reading would have made, converts the fields loaded as
 * text, and names the columns. Returns the typed columns, or null when the file needs the careful reading.
 */
export async function confirmTypedLoad(
  connection: DuckDBConnection,
  table: string,
  plan: TypedLoadPlan,
  names: string[],
  rowCount: number,
): Promise<TypedColumn[] | null> {
  const t = quoteIdent(table);
  const raw = plan.fields.map((_, index) => quoteIdent(rawColumnName(index)));
  const longestMarker = Math.max(...NULL_MARKERS.map((marker) => marker.length));
  const problems = plan.fields.map((field, index) => {
    const c = raw[index]!;
    switch (field.readerType) {
      case 'DOUBLE':
        // The reader reads `nan` and `inf` as numbers; the careful reading leaves them out.
        return `NOT isfinite(${c})`;
      case 'DATE':
      case 'TIMESTAMP':
        // strptime reads `infinity` and `epoch` as 1900-01-01 (see `parse-expressions.ts`).
        return `CAST(${c} AS DATE) = DATE '1900-01-01'`;
      default:
        // A cell loaded as text to be converted: one the careful reading's expression cannot read.
        if (field.convert)
          return `${c} IS NOT NULL AND (${parseExpression(rawColumnName(index), field.parse)}) IS NULL`;
        // Text the careful reading would change: padded, empty, or a null marker in any spelling. Tested
        // directly rather than against its expression (\`IS DISTINCT FROM\`), which cost 0.25 s more on 1M rows.
        return `${c} = '' OR ${c} <> trim(${c}) OR (strlen(${c}) <= ${longestMarker} AND ${isOneOf(`lower(${c})`, NULL_MARKERS)})`;
    }
  });
  const blankRow = raw.map((c) => `${c} IS NULL`).join(' AND ');
  const counts = await queryOne(
    connection,
    `SELECT ${countWhere(`(${problems.map((problem) => `(${problem})`).join(' OR ')}) OR (${blankRow})`)} AS problems,
            ${raw.map((c, index) => `count(${c}) AS "n${index}"`).join(', ')}
     FROM ${t}`,
  );
  if (Number(counts.problems) !== 0 || (await hasTotalsOrNote(connection, table, plan))) return null;
  const bounded = await countBoundedCells(
    connection,
    table,
    plan.fields.flatMap((field, key) => (field.parse.bounds ? [{ key, rawColumn: rawColumnName(key) }] : [])),
  );

  for (const [index, field] of plan.fields.entries()) {
    if (!field.convert) continue;
    const c = raw[index]!;
    await connection.run(
      `ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${DUCKDB_TYPE[field.parse.type]} USING ${parseExpression(rawColumnName(index), field.parse)}`,
    );
  }
  // Two steps: a header may name a column `c1` while the field called c1 is still there.
  const parked = raw.map((_, index) => quoteIdent(`__typed_${index}_${table}`));
  for (const [index, c] of raw.entries())
    await connection.run(`ALTER TABLE ${t} RENAME COLUMN ${c} TO ${parked[index]}`);
  for (const [index, name] of names.entries())
    await connection.run(`ALTER TABLE ${t} RENAME COLUMN ${parked[index]} TO ${quoteIdent(name)}`);

  const columns: TypedColumn[] = plan.fields.map((field, index) => ({
    index,
    name: names[index]!,
    parse: structuredClone(field.parse),
    invalidCount: 0,
    invalidExample: null,
    emptyCount: rowCount - Number(counts[`n${index}`]),
    markerCount: 0,
    sentinels: [],
    ambiguousDates: null,
    ...(bounded.has(index) ? { bounded: bounded.get(index) } : {}),
  }));
  await removeSentinels(connection, table, columns);
  await settleNumberAndTimeTypes(connection, table, columns);
  return columns;
}

/** A totals row or a one-cell note at either end: the careful reading knows what to do with those. */
async function hasTotalsOrNote(connection: DuckDBConnection, table: string, plan: TypedLoadPlan): Promise<boolean> {
  const cells = plan.fields.map((field, index) =>
    field.readerType === 'VARCHAR'
      ? quoteIdent(rawColumnName(index))
      : `CAST(${quoteIdent(rawColumnName(index))} AS VARCHAR)`,
  );
  const list = `[${cells.join(', ')}]`;
  const rows = await queryRows(
    connection,
    `(SELECT ${list} AS cells FROM ${quoteIdent(table)} ORDER BY rowid DESC LIMIT 2)
     UNION ALL (SELECT ${list} AS cells FROM ${quoteIdent(table)} ORDER BY rowid LIMIT 1)`,
  );
  return rows.some((row) => {
    const values = (row.cells as (string | null)[]).filter((cell): cell is string => cell !== null);
    return (plan.fields.length >= 3 && values.length <= 1) || values.some((value) => TOTALS_NAMES.test(value.trim()));
  });
}
