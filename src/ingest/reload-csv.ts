import { randomUUID } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../db/duckdb.ts';
import { AppError } from '../errors.ts';
import { dropEmptyRows } from './column-stats.ts';
import { loadRawTable } from './load-raw.ts';
import { parseExpression, rawColumnName } from './parse-expressions.ts';
import { unpivotWide } from './reshape.ts';
import { prepareSource } from './source-file.ts';
import { dropCountedTotalsRows } from './totals-rows.ts';
import type { CsvReading } from './types.ts';

/** Loads the same file again from a stored reading (no sniffing, same types): used when a session is reloaded after a restart. */
export async function reloadCsv(
  connection: DuckDBConnection,
  filePath: string,
  reading: CsvReading,
  tableName: string,
): Promise<void> {
  const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
  const rawTable = `__ingest_raw_${suffix}`;
  const typedTable = `__ingest_typed_${suffix}`;
  const longTable = `__ingest_long_${suffix}`;
  const source = await prepareSource(filePath, reading.format);
  try {
    const rowCount = await loadRawTable(connection, source.path, reading.format, rawTable);
    // A wide file's reading counts the rows it became; the file has one per (row, period) with a value.
    const totals = reading.format.totalsRows;
    const expected = reading.format.wide
      ? null
      : reading.rowCount + (reading.format.emptyRows ?? 0) + (totals ? totals.first + totals.last : 0);
    if (expected !== null && rowCount !== expected) throw stale(rowCount, expected);
    await dropEmptyRows(
      connection,
      rawTable,
      Array.from({ length: reading.format.fieldCount }, (_, index) => rawColumnName(index)),
    );
    if (totals) await dropCountedTotalsRows(connection, rawTable, totals);
    // A wide file: the columns as written (the period columns included, not the two the reading added).
    const wide = reading.format.wide;
    const written = [
      ...reading.columns.filter((column) => column.index >= 0),
      ...(wide?.columns ?? []),
      ...(wide?.yearColumn ? [wide.yearColumn] : []),
    ].sort((a, b) => a.index - b.index);
    const select = written
      .map((column) => `${parseExpression(rawColumnName(column.index), column.parse)} AS ${quoteIdent(column.name)}`)
      .join(',\n  ');
    await connection.run(`CREATE TABLE ${quoteIdent(typedTable)} AS SELECT ${select} FROM ${quoteIdent(rawTable)}`);
    let table = typedTable;
    if (wide) {
      table = longTable;
      const kept = reading.columns.filter((column) => column.index >= 0).map((column) => column.name);
      const longRows = await unpivotWide(connection, typedTable, longTable, wide, kept);
      if (longRows !== reading.rowCount) throw stale(longRows, reading.rowCount);
      await connection.run(`DROP TABLE ${quoteIdent(typedTable)}`);
    }
    await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(tableName)}`);
    await connection.run(`ALTER TABLE ${quoteIdent(table)} RENAME TO ${quoteIdent(tableName)}`);
  } catch (error) {
    await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(typedTable)}`).catch(() => undefined);
    await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(longTable)}`).catch(() => undefined);
    throw error;
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${quoteIdent(rawTable)}`).catch(() => undefined);
    await source.remove();
  }
}

const stale = (found: number, expected: number) =>
  new AppError(
    'unreadable_file',
    `The stored file no longer matches its session (${found} rows instead of ${expected}). Upload the file again.`,
  );
